// A Mattermost-compatible HTTP server for tests and for `npm start`'s local sink. It behaves as
// docs/mattermost-contract.md describes (incoming webhooks, the REST calls
// the client makes, AppError bodies, limits, two server generations) and can fail on demand:
// 5xx, 429, slow answers (the post IS recorded), dropped connections after the request was
// read (the post IS recorded), invalid hook, redirect.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { appErrorResponse } from './server/app-error';
import type { FakeRequest } from './server/fake-request';
import { textResponse, type FakeResponse } from './server/fake-response';
import { newId } from './server/ids';
import { handleIncomingWebhook } from './server/incoming-webhook-route';
import { handleApi, type PendingPostCache } from './server/rest-routes';
import type { RouteContext } from './server/route-context';
import { defaultSettings, versionId, type FakeSettings } from './server/settings';
import { FakeWorld, type FakeChannel, type FakePost, type FakeUser } from './server/state';

export type { FakeSettings, ServerGeneration } from './server/settings';

// 'slow-save': POST /api/v4/posts with a pending_post_id takes `delayMs` to save, as a slow
// database makes it: meanwhile the id is marked pending (a repeat gets the 500
// deduplicate_create_post.pending) and the post is not visible; then it lands and is answered.
export type FailureMode = '5xx' | '429' | 'slow' | 'slow-save' | 'drop-after-read' | 'invalid-hook' | 'redirect';

export interface FailureOptions {
  /** Which requests the failure applies to. Default 'all' ('hooks' for invalid-hook). */
  route?: 'hooks' | 'api' | 'all';
  /** '5xx': the status (default 503; 500 gives Mattermost's creation error; 502/504 a proxy page). */
  status?: number;
  /** 'slow': how long to hold the answer (default 2000 ms); make it longer than the client timeout. */
  delayMs?: number;
  /** Only requests with this method / exact path (e.g. 'POST', '/api/v4/posts'). */
  method?: string;
  path?: string;
  /** '429': Retry-After / X-RateLimit-Reset seconds (default 1). */
  retryAfterSec?: number;
  /** 'redirect': the Location header (default <url>/landing). */
  location?: string;
}

export interface ReceivedPost {
  id: string;
  via: 'webhook' | 'api';
  /** The hook that created it (webhook posts). Test-only data: never log it. */
  hookId?: string;
  channelId: string;
  channelName: string;
  channelType: 'O' | 'P' | 'D';
  teamName: string;
  userId: string;
  text: string;
  props: Record<string, unknown>;
  /** The name shown: override_username when the override setting is on, else the author's. */
  username: string;
  /** override_icon_url when the icon override setting is on, else null (the author's avatar). */
  iconUrl: string | null;
  type: string;
  createAt: number;
}

export interface FakeUserInfo {
  id: string;
  username: string;
  /** A valid personal access token (or bot token) for this user. */
  token: string;
  isBot: boolean;
}

export interface FakeChannelInfo {
  id: string;
  name: string;
  displayName: string;
  type: 'O' | 'P' | 'D';
}

export interface CreateHookOptions {
  /** Channel name in the team. */
  channel: string;
  lockedToChannel?: boolean;
  displayName?: string;
  /** The hook's stored username/icon (used when override settings are on). */
  username?: string;
  iconUrl?: string;
  /** Creator's username (default: the default user). */
  creator?: string;
  /** A fixed hook id (e.g. a stable sink URL across restarts); 26 [a-z0-9] recommended. */
  id?: string;
}

export interface RequestRecord {
  method: string;
  /** Path with any hook key masked to its last four characters. */
  path: string;
  status: number | 'dropped' | 'saving';
  failure?: FailureMode;
}

export interface FakeMattermost {
  url: string;
  port: number;
  team: { id: string; name: string };
  /** Default user: a team member, creator of hooks, owner of `token`. */
  user: FakeUserInfo;
  token: string;
  /** By name: town-square, ops (public), private-ops (private, default user is a member), secret (private, not a member). */
  readonly channels: Record<string, FakeChannelInfo>;
  /** Live settings: change them between requests. */
  settings: FakeSettings;
  hookUrl(hookId: string): string;
  createHook(options: CreateHookOptions): string;
  deleteHook(hookId: string): void;
  createUser(options: { username: string; isBot?: boolean; onTeam?: boolean }): FakeUserInfo;
  /** In the default team, or in `team` (a team name from createTeam). */
  createChannel(options: { name: string; type?: 'O' | 'P'; displayName?: string; members?: string[]; team?: string }): FakeChannelInfo;
  /** Another team; `members` (usernames) join it. */
  createTeam(options: { name: string; displayName?: string; members?: string[] }): { id: string; name: string };
  /** Archives a channel; like Mattermost, this deletes its incoming webhooks. */
  archiveChannel(name: string): void;
  revokeToken(token: string): void;
  /** Makes an existing user a member of the channel. */
  addChannelMember(channelName: string, username: string): void;
  /** `count` posts by another user in the channel, now (a busy channel). */
  seedPosts(channelName: string, count: number): void;
  received(): ReceivedPost[];
  requests(): RequestRecord[];
  /** The next `count` matching requests fail this way (queued after earlier failures). */
  failNext(count: number, mode: FailureMode, options?: FailureOptions): void;
  /** Matching requests fail this way for `ms` milliseconds. */
  failFor(ms: number, mode: FailureMode, options?: FailureOptions): void;
  onReceived(listener: (post: ReceivedPost) => void): () => void;
  /** Resolves once at least `count` posts were received (since start or reset). */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedPost[]>;
  /** Forgets posts, requests, failures and de-dup state; restores default settings. Keeps hooks, users, channels. */
  reset(): void;
  close(): Promise<void>;
}

interface QueuedFailure {
  mode: FailureMode;
  remaining: number;
  until?: number;
  route: 'hooks' | 'api' | 'all';
  options: FailureOptions;
}

const WEB_APP_HTML = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Mattermost</title></head><body><div id="root"></div></body></html>';

function maskHookPath(path: string): string {
  return path.replace(/\/hooks\/([A-Za-z0-9]+)/, (_m, id: string) => `/hooks/…${id.slice(-4)}`);
}

export async function startFakeMattermost(options: { port?: number; host?: string } = {}): Promise<FakeMattermost> {
  const host = options.host ?? '127.0.0.1';
  const settings = defaultSettings();
  const world = new FakeWorld();
  const pending: PendingPostCache = new Map();
  const team = world.addTeam('fleet', 'FleetPrompt');
  const mainUser = world.addUser('fleetbot', { teamIds: [team.id] });
  const alice = world.addUser('alice', { teamIds: [team.id] });
  world.addChannel(team.id, 'town-square', 'O', [mainUser.id, alice.id], 'Town Square');
  world.addChannel(team.id, 'ops', 'O', [mainUser.id], 'Ops');
  world.addChannel(team.id, 'private-ops', 'P', [mainUser.id], 'Private Ops');
  world.addChannel(team.id, 'secret', 'P', [alice.id], 'Secret');

  const receivedPosts: ReceivedPost[] = [];
  const requestLog: RequestRecord[] = [];
  const listeners = new Set<(post: ReceivedPost) => void>();
  let failures: QueuedFailure[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();

  const toReceived = (post: FakePost): ReceivedPost => {
    const channel = world.channels.get(post.channelId)!;
    const author = world.users.get(post.userId);
    const overrideName = typeof post.props.override_username === 'string' ? post.props.override_username : undefined;
    const overrideIcon = typeof post.props.override_icon_url === 'string' ? post.props.override_icon_url : undefined;
    return {
      id: post.id,
      via: post.via,
      hookId: post.hookId,
      channelId: channel.id,
      channelName: channel.name,
      channelType: channel.type,
      teamName: world.teams.get(channel.teamId)?.name ?? '',
      userId: post.userId,
      text: post.message,
      props: structuredClone(post.props),
      username: (settings.enablePostUsernameOverride && overrideName) || author?.username || '',
      iconUrl: (settings.enablePostIconOverride && overrideIcon) || null,
      type: post.type,
      createAt: post.createAt,
    };
  };

  const ctx: RouteContext = {
    world,
    settings,
    savePost(post) {
      world.posts.push(post);
      const received = toReceived(post);
      receivedPosts.push(received);
      for (const listener of [...listeners]) listener(received);
    },
  };

  const takeFailure = (kind: 'hooks' | 'api', req: FakeRequest): QueuedFailure | undefined => {
    const now = Date.now();
    failures = failures.filter((f) => f.remaining > 0 && (f.until === undefined || f.until > now));
    const failure = failures.find(
      (f) =>
        (f.route === 'all' || f.route === kind) && (!f.options.method || f.options.method === req.method) && (!f.options.path || f.options.path === req.path),
    );
    if (failure) failure.remaining--;
    return failure;
  };

  const route = (req: FakeRequest): FakeResponse => {
    if (settings.serverGeneration === 'B' && req.rawUrl.length > 2048) {
      return appErrorResponse(
        { id: 'basic_security_check.url.too_long_error', message: 'URL is too long.', status: 414 },
        { developerMode: settings.enableDeveloper, versionId: versionId(settings) },
      );
    }
    const hook = /^\/hooks\/([A-Za-z0-9]+)$/.exec(req.path);
    if (hook && req.method === 'POST') return handleIncomingWebhook(ctx, req, hook[1]);
    if (req.path.startsWith('/api/v4/')) return handleApi(ctx, req, pending);
    if (req.method === 'GET') return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: WEB_APP_HTML };
    return textResponse(404, '404 page not found\n', { 'content-type': 'text/plain; charset=utf-8' });
  };

  const injected = (failure: QueuedFailure, req: FakeRequest, kind: 'hooks' | 'api'): FakeResponse | null => {
    const opts = failure.options;
    switch (failure.mode) {
      case '429': {
        // Written by the rate limiter before any Mattermost handler: plain text, no X-Request-ID.
        const seconds = String(opts.retryAfterSec ?? 1);
        return {
          status: 429,
          headers: {
            'content-type': 'text/plain; charset=utf-8',
            'x-content-type-options': 'nosniff',
            'retry-after': seconds,
            'x-ratelimit-limit': '101',
            'x-ratelimit-remaining': '0',
            'x-ratelimit-reset': seconds,
          },
          body: 'limit exceeded\n',
        };
      }
      case '5xx': {
        const status = opts.status ?? 503;
        if (status === 502 || status === 504) {
          return textResponse(status, status === 502 ? 'Bad Gateway\n' : 'Gateway Timeout\n', { 'content-type': 'text/html' });
        }
        const hookId = /^\/hooks\/([A-Za-z0-9]+)$/.exec(req.path)?.[1];
        const spec =
          status === 500 && hookId
            ? settings.serverGeneration === 'A'
              ? { id: 'api.post.create_webhook_post.creating.app_error', message: 'Error creating post', status }
              : {
                  id: 'web.incoming_webhook.general.app_error',
                  message: `Failed to handle the payload of media type application/json for incoming webhook ${hookId}.`,
                  status,
                }
            : status === 503
              ? { id: 'api.context.server_busy.app_error', message: 'Server is busy, non-critical services are temporarily unavailable.', status }
              : { id: '', message: 'Internal Server Error', status };
        return appErrorResponse(spec, { developerMode: settings.enableDeveloper, versionId: versionId(settings) });
      }
      case 'invalid-hook': {
        const hookId = /^\/hooks\/([A-Za-z0-9]+)$/.exec(req.path)?.[1] ?? '';
        if (kind === 'api') {
          return appErrorResponse(
            { id: 'api.context.session_expired.app_error', message: 'Invalid or expired session, please login again.', status: 401 },
            { developerMode: settings.enableDeveloper, versionId: versionId(settings) },
          );
        }
        const spec =
          settings.serverGeneration === 'A'
            ? { id: 'web.incoming_webhook.invalid.app_error', message: 'Invalid webhook.', status: 400 }
            : {
                id: 'web.incoming_webhook.general.app_error',
                message: `Failed to handle the payload of media type application/json for incoming webhook ${hookId}.`,
                status: 400,
              };
        return appErrorResponse(spec, { developerMode: settings.enableDeveloper, versionId: versionId(settings) });
      }
      case 'redirect':
        return textResponse(302, 'Found\n', { location: opts.location ?? `${fake.url}/landing` });
      default:
        return null; // slow / drop-after-read: handled around the real route
    }
  };

  const write = (res: http.ServerResponse, response: FakeResponse): void => {
    if (res.destroyed || res.writableEnded) return;
    res.writeHead(response.status, response.headers);
    res.end(response.body);
  };

  const server = http.createServer((req, res) => {
    const limit = settings.maximumPayloadSizeBytes + 512;
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      if (size < limit) chunks.push(chunk.subarray(0, limit - size));
      size += chunk.length;
    });
    req.on('end', () => {
      const rawUrl = req.url ?? '/';
      const q = rawUrl.indexOf('?');
      const fakeReq: FakeRequest = {
        method: req.method ?? 'GET',
        rawUrl,
        path: q === -1 ? rawUrl : rawUrl.slice(0, q),
        rawQuery: q === -1 ? '' : rawUrl.slice(q + 1),
        headers: req.headers,
        body: Buffer.concat(chunks),
        bodyTooLarge: size > limit,
      };
      const kind = fakeReq.path.startsWith('/hooks/') ? 'hooks' : fakeReq.path.startsWith('/api/') ? 'api' : null;
      const failure = kind ? takeFailure(kind, fakeReq) : undefined;
      const record: RequestRecord = { method: fakeReq.method, path: maskHookPath(fakeReq.path), status: 0, failure: failure?.mode };
      requestLog.push(record);

      const early = failure && kind ? injected(failure, fakeReq, kind) : null;
      if (early) {
        record.status = early.status;
        write(res, early);
        return;
      }
      if (failure?.mode === 'slow-save' && fakeReq.method === 'POST' && fakeReq.path === '/api/v4/posts') {
        let pendingId = '';
        try {
          const value = (JSON.parse(fakeReq.body.toString('utf8')) as { pending_post_id?: unknown }).pending_post_id;
          pendingId = typeof value === 'string' ? value : '';
        } catch {
          pendingId = '';
        }
        const seen = pendingId ? pending.get(pendingId) : undefined;
        if (pendingId && !(seen && seen.expiresAt > Date.now())) {
          pending.set(pendingId, { postId: '', expiresAt: Date.now() + 30_000 });
          const timer = setTimeout(() => {
            timers.delete(timer);
            pending.delete(pendingId);
            const saved = route(fakeReq);
            record.status = saved.status;
            write(res, saved);
          }, failure.options.delayMs ?? 2000);
          timers.add(timer);
          record.status = 'saving';
          return;
        }
      }
      const response = route(fakeReq);
      if (failure?.mode === 'drop-after-read') {
        // The request was read and acted on; the client never hears back.
        record.status = 'dropped';
        req.socket.destroy();
        return;
      }
      record.status = response.status;
      if (failure?.mode === 'slow') {
        const timer = setTimeout(() => {
          timers.delete(timer);
          write(res, response);
        }, failure.options.delayMs ?? 2000);
        timers.add(timer);
        return;
      }
      write(res, response);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  const userInfo = (u: FakeUser): FakeUserInfo => ({ id: u.id, username: u.username, token: u.token, isBot: u.isBot });
  const channelInfo = (c: FakeChannel): FakeChannelInfo => ({ id: c.id, name: c.name, displayName: c.displayName, type: c.type });
  const requireUser = (username: string): FakeUser => {
    const user = world.userByName(username);
    if (!user) throw new Error(`fake Mattermost: no user named ${username}`);
    return user;
  };

  const fake: FakeMattermost = {
    url: `http://${urlHost}:${port}`,
    port,
    team: { id: team.id, name: team.name },
    user: userInfo(mainUser),
    token: mainUser.token,
    get channels() {
      const out: Record<string, FakeChannelInfo> = {};
      for (const c of world.channels.values()) if (c.teamId === team.id && c.deleteAt === 0) out[c.name] = channelInfo(c);
      return out;
    },
    settings,
    hookUrl: (hookId) => `${fake.url}/hooks/${hookId}`,
    createHook(opts) {
      const channel = world.channelByName(team.id, opts.channel);
      if (!channel) throw new Error(`fake Mattermost: no channel named ${opts.channel}`);
      const creator = opts.creator ? requireUser(opts.creator) : mainUser;
      const id = opts.id ?? newId(); // same shape as real hook ids
      world.hooks.set(id, {
        id,
        channelId: channel.id,
        teamId: team.id,
        userId: creator.id,
        displayName: opts.displayName ?? 'FleetPrompt',
        username: opts.username ?? '',
        iconUrl: opts.iconUrl ?? '',
        channelLocked: opts.lockedToChannel ?? false,
      });
      return id;
    },
    deleteHook(hookId) {
      world.hooks.delete(hookId);
    },
    createUser({ username, isBot, onTeam }) {
      return userInfo(world.addUser(username, { isBot, teamIds: onTeam === false ? [] : [team.id] }));
    },
    createChannel({ name, type, displayName, members, team: teamName }) {
      const ids = (members ?? [mainUser.username]).map((m) => requireUser(m).id);
      const inTeam = teamName ? world.teamByName(teamName) : team;
      if (!inTeam) throw new Error(`fake Mattermost: no team named ${teamName}`);
      return channelInfo(world.addChannel(inTeam.id, name, type ?? 'O', ids, displayName));
    },
    createTeam({ name, displayName, members }) {
      const created = world.addTeam(name, displayName);
      for (const m of members ?? []) requireUser(m).teamIds.add(created.id);
      return { id: created.id, name: created.name };
    },
    archiveChannel(name) {
      const channel = world.channelByName(team.id, name);
      if (!channel) throw new Error(`fake Mattermost: no channel named ${name}`);
      channel.deleteAt = world.now();
      for (const [id, hook] of world.hooks) if (hook.channelId === channel.id) world.hooks.delete(id);
    },
    addChannelMember(channelName, username) {
      const channel = world.channelByName(team.id, channelName);
      if (!channel) throw new Error(`fake Mattermost: no channel named ${channelName}`);
      channel.memberIds.add(requireUser(username).id);
    },
    seedPosts(channelName, count) {
      const channel = world.channelByName(team.id, channelName);
      if (!channel) throw new Error(`fake Mattermost: no channel named ${channelName}`);
      for (let i = 0; i < count; i++) {
        const at = world.now();
        world.posts.push({
          id: newId(),
          createAt: at,
          updateAt: at,
          deleteAt: 0,
          userId: alice.id,
          channelId: channel.id,
          message: `chatter ${i}`,
          type: '',
          props: {},
          pendingPostId: '',
          via: 'api',
        });
      }
    },
    revokeToken(token) {
      const user = world.userByToken(token);
      if (user) user.token = `revoked-${user.token}`;
    },
    received: () => receivedPosts.map((p) => ({ ...p, props: structuredClone(p.props) })),
    requests: () => requestLog.map((r) => ({ ...r })),
    failNext(count, mode, opts = {}) {
      failures.push({ mode, remaining: count, route: opts.route ?? (mode === 'invalid-hook' ? 'hooks' : 'all'), options: opts });
    },
    failFor(ms, mode, opts = {}) {
      failures.push({
        mode,
        remaining: Number.POSITIVE_INFINITY,
        until: Date.now() + ms,
        route: opts.route ?? (mode === 'invalid-hook' ? 'hooks' : 'all'),
        options: opts,
      });
    },
    onReceived(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    waitFor(count, timeoutMs = 5000) {
      if (receivedPosts.length >= count) return Promise.resolve(fake.received());
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          unsubscribe();
          reject(new Error(`fake Mattermost: expected ${count} posts within ${timeoutMs} ms, got ${receivedPosts.length}`));
        }, timeoutMs);
        const unsubscribe = fake.onReceived(() => {
          if (receivedPosts.length >= count) {
            clearTimeout(timer);
            unsubscribe();
            resolve(fake.received());
          }
        });
      });
    },
    reset() {
      receivedPosts.length = 0;
      requestLog.length = 0;
      world.posts.length = 0;
      failures = [];
      pending.clear();
      Object.assign(settings, defaultSettings());
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      listeners.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      });
    },
  };
  return fake;
}
