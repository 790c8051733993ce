// The REST endpoints the client uses (docs/mattermost-contract.md §6): users/me, the user's teams and
// their channels (the channel picker), channel by team+channel name, create post (with
// pending_post_id de-duplication), and posts since a time.
import { header, type FakeRequest } from './fake-request';
import { jsonResponse, textResponse, type FakeResponse } from './fake-response';
import { isValidId, newId } from './ids';
import { errorResponse, type RouteContext } from './route-context';
import { versionId } from './settings';
import type { FakeChannel, FakePost, FakeTeam, FakeUser } from './state';
import { parseUrlEncoded } from './url-form';

const CHANNEL_NAME = /^[a-z0-9]+([a-z\-_0-9]+|(__)?)[a-z0-9]*$/;
const TEAM_NAME = /^[a-z0-9]+([a-z\-0-9]+|(__)?)[a-z0-9]+$/;
const PENDING_TTL_MS = 30_000;
const PROPS_MAX_RUNES = 800_000;

/** pending_post_id → created post id ('' while the first request is still saving). */
export type PendingPostCache = Map<string, { postId: string; expiresAt: number }>;

function ok(ctx: RouteContext, status: number, value: unknown): FakeResponse {
  return jsonResponse(status, value, { 'x-request-id': newId(), 'x-version-id': versionId(ctx.settings) });
}

function sessionExpired(ctx: RouteContext): FakeResponse {
  return errorResponse(ctx, { id: 'api.context.session_expired.app_error', message: 'Invalid or expired session, please login again.', status: 401 });
}

/** ParseAuthTokenFromRequest: cookie, then Bearer/Token header, then access_token (refused). */
function authenticate(ctx: RouteContext, req: FakeRequest): FakeUser | FakeResponse {
  let token = '';
  const cookie = /(?:^|;\s*)MMAUTHTOKEN=([^;]*)/.exec(header(req, 'cookie'))?.[1];
  const auth = header(req, 'authorization');
  if (cookie) token = cookie;
  else if (auth.length > 6 && auth.slice(0, 6).toUpperCase() === 'BEARER') token = auth.slice(7);
  else if (auth.length > 5 && auth.slice(0, 5).toUpperCase() === 'TOKEN') token = auth.slice(6);
  else if (parseUrlEncoded(req.rawQuery).values.get('access_token')?.[0]) {
    return errorResponse(ctx, {
      id: 'api.context.token_provided.app_error',
      message: 'Session is not OAuth but token was provided in the query string.',
      status: 401,
    });
  }
  token = token.slice(0, 50);
  const user = token ? ctx.world.userByToken(token) : undefined;
  if (!user || !user.active || (!user.isBot && !ctx.settings.enableUserAccessTokens)) return sessionExpired(ctx);
  return user;
}

function userJson(user: FakeUser): Record<string, unknown> {
  return {
    id: user.id,
    username: user.username,
    email: `${user.username}@example.invalid`,
    nickname: '',
    first_name: '',
    last_name: '',
    roles: 'system_user',
    locale: 'en',
    is_bot: user.isBot,
    create_at: 0,
    update_at: 0,
    delete_at: 0,
  };
}

function channelJson(channel: FakeChannel, creatorId: string): Record<string, unknown> {
  return {
    id: channel.id,
    create_at: channel.createAt,
    update_at: channel.createAt,
    delete_at: channel.deleteAt,
    team_id: channel.teamId,
    type: channel.type,
    display_name: channel.displayName,
    name: channel.name,
    header: '',
    purpose: '',
    creator_id: creatorId,
  };
}

export function postJson(post: FakePost): Record<string, unknown> {
  return {
    id: post.id,
    create_at: post.createAt,
    update_at: post.updateAt,
    edit_at: 0,
    delete_at: post.deleteAt,
    is_pinned: false,
    user_id: post.userId,
    channel_id: post.channelId,
    root_id: '',
    original_id: '',
    message: post.message,
    type: post.type,
    props: post.props,
    hashtags: '',
    pending_post_id: post.pendingPostId,
    reply_count: 0,
    metadata: {},
  };
}

export function handleApi(ctx: RouteContext, req: FakeRequest, pending: PendingPostCache): FakeResponse {
  const notFound = (): FakeResponse => errorResponse(ctx, { id: 'api.context.404.app_error', message: 'Sorry, we could not find the page.', status: 404 });
  const path = req.path.slice('/api/v4'.length);

  let match: RegExpExecArray | null;
  if (path === '/users/me') {
    if (req.method !== 'GET') return textResponse(405, '');
    const user = authenticate(ctx, req);
    return 'status' in user ? user : ok(ctx, 200, userJson(user));
  }
  // Router patterns {user_id:[A-Za-z0-9]+} and {team_id:[A-Za-z0-9]+}: anything else is no route (404).
  if ((match = /^\/users\/([A-Za-z0-9]+)\/teams$/.exec(path))) {
    if (req.method !== 'GET') return textResponse(405, '');
    const user = authenticate(ctx, req);
    if ('status' in user) return user;
    return getTeamsForUser(ctx, user, match[1]);
  }
  if ((match = /^\/users\/([A-Za-z0-9]+)\/teams\/([A-Za-z0-9]+)\/channels$/.exec(path))) {
    if (req.method !== 'GET') return textResponse(405, '');
    const user = authenticate(ctx, req);
    if ('status' in user) return user;
    return getChannelsForTeamForUser(ctx, req, user, match[1], match[2]);
  }
  if ((match = /^\/teams\/name\/([^/]+)\/channels\/name\/([^/]+)$/.exec(path))) {
    if (req.method !== 'GET') return textResponse(405, '');
    if (!/^[A-Za-z0-9_-]+$/.test(match[1]) || !/^[A-Za-z0-9_-]+$/.test(match[2])) return notFound();
    const user = authenticate(ctx, req);
    if ('status' in user) return user;
    return getChannelByName(ctx, req, user, match[1], match[2]);
  }
  if (path === '/posts') {
    if (req.method !== 'POST') return textResponse(405, '');
    const user = authenticate(ctx, req);
    if ('status' in user) return user;
    return createPost(ctx, req, user, pending);
  }
  if ((match = /^\/channels\/([^/]+)\/members\/me$/.exec(path))) {
    if (req.method !== 'GET') return textResponse(405, '');
    const user = authenticate(ctx, req);
    if ('status' in user) return user;
    return getChannelMemberMe(ctx, user, match[1]);
  }
  if ((match = /^\/channels\/([^/]+)\/posts$/.exec(path))) {
    if (req.method !== 'GET') return textResponse(405, '');
    if (!/^[A-Za-z0-9]+$/.test(match[1])) return notFound();
    const user = authenticate(ctx, req);
    if ('status' in user) return user;
    return getPostsForChannel(ctx, req, user, match[1]);
  }
  return notFound();
}

function invalidUrlParam(ctx: RouteContext, name: string): FakeResponse {
  return errorResponse(ctx, { id: 'api.context.invalid_url_param.app_error', message: `Invalid or missing ${name} parameter in request URL.`, status: 400 });
}

function forbidden(ctx: RouteContext): FakeResponse {
  return errorResponse(ctx, { id: 'api.context.permissions.app_error', message: 'You do not have the appropriate permissions.', status: 403 });
}

function teamJson(team: FakeTeam): Record<string, unknown> {
  // SanitizeTeams: a plain member sees no email, invite id or allowed domains.
  return {
    id: team.id,
    create_at: 0,
    update_at: 0,
    delete_at: 0,
    display_name: team.displayName,
    name: team.name,
    description: '',
    email: '',
    type: 'O',
    company_name: '',
    allowed_domains: '',
    invite_id: '',
    allow_open_invite: false,
    scheme_id: null,
    group_constrained: null,
    policy_id: null,
  };
}

/** Context.RequireUserId: "me" is the session's user; anything else must be a 26-character id. */
function requestedUser(ctx: RouteContext, user: FakeUser, userId: string): FakeResponse | null {
  const id = userId === 'me' ? user.id : userId;
  if (!isValidId(id)) return invalidUrlParam(ctx, 'user_id');
  // SessionHasPermissionToUser / the sysconsole read permission: a plain user may ask only about itself.
  if (id !== user.id) return forbidden(ctx);
  return null;
}

// api4/team.go getTeamsForUser: every team the user is a member of, in one answer (no paging).
function getTeamsForUser(ctx: RouteContext, user: FakeUser, userId: string): FakeResponse {
  const refused = requestedUser(ctx, user, userId);
  if (refused) return refused;
  const teams = [...ctx.world.teams.values()].filter((t) => user.teamIds.has(t.id));
  return ok(ctx, 200, teams.map(teamJson));
}

// api4/channel.go getChannelsForTeamForUser → store GetChannels: the channels the user is a member
// of in the team plus its DMs/GMs (team_id ""), archived ones only with include_deleted=true,
// ordered by display name, all in one answer (page and per_page are not read); none at all is a
// 404. Not on the team (PermissionViewTeam) is a 403.
function getChannelsForTeamForUser(ctx: RouteContext, req: FakeRequest, user: FakeUser, userId: string, teamId: string): FakeResponse {
  const refused = requestedUser(ctx, user, userId);
  if (refused) return refused;
  if (!isValidId(teamId)) return invalidUrlParam(ctx, 'team_id');
  if (!user.teamIds.has(teamId)) return forbidden(ctx);
  const includeDeleted = parseUrlEncoded(req.rawQuery).values.get('include_deleted')?.[0] === 'true';
  const channels = [...ctx.world.channels.values()]
    .filter((c) => c.memberIds.has(user.id) && (c.teamId === teamId || c.teamId === '') && (includeDeleted || c.deleteAt === 0))
    .sort((a, b) => (a.displayName < b.displayName ? -1 : a.displayName > b.displayName ? 1 : 0));
  if (!channels.length) {
    return errorResponse(ctx, { id: 'app.channel.get_channels.not_found.app_error', message: 'No channels were found.', status: 404 });
  }
  return ok(
    ctx,
    200,
    channels.map((c) => channelJson(c, user.id)),
  );
}

function getChannelByName(ctx: RouteContext, req: FakeRequest, user: FakeUser, teamName: string, channelName: string): FakeResponse {
  if (!TEAM_NAME.test(teamName) || teamName.length > 64) return invalidUrlParam(ctx, 'team_name');
  if (!CHANNEL_NAME.test(channelName)) return invalidUrlParam(ctx, 'channel_name');
  const team = ctx.world.teamByName(teamName);
  if (!team) return errorResponse(ctx, { id: 'app.team.get_by_name.missing.app_error', message: 'Unable to find the existing team.', status: 404 });
  const includeDeleted = parseUrlEncoded(req.rawQuery).values.get('include_deleted')?.[0] === 'true';
  const channel = ctx.world.channelByName(team.id, channelName, includeDeleted);
  const missing = errorResponse(ctx, { id: 'app.channel.get_by_name.missing.app_error', message: 'Channel does not exist.', status: 404 });
  if (!channel) return missing;
  if (channel.type !== 'O' && !channel.memberIds.has(user.id)) return missing; // hide private channels
  if (channel.type === 'O' && !user.teamIds.has(team.id)) return forbidden(ctx);
  return ok(ctx, 200, channelJson(channel, user.id));
}

function createPost(ctx: RouteContext, req: FakeRequest, user: FakeUser, pending: PendingPostCache): FakeResponse {
  const { world, settings } = ctx;
  if (req.bodyTooLarge) {
    return settings.serverGeneration === 'B'
      ? errorResponse(ctx, { id: 'api.context.request_body_too_large.app_error', message: 'The request body is too large.', status: 413 })
      : errorResponse(ctx, { id: 'api.context.invalid_body_param.app_error', message: 'Invalid or missing post in request body.', status: 400 });
  }
  let body: unknown;
  try {
    body = JSON.parse(req.body.toString('utf8'));
  } catch {
    body = undefined;
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    return errorResponse(ctx, { id: 'api.context.invalid_body_param.app_error', message: 'Invalid or missing post in request body.', status: 400 });
  }
  const input = body as Record<string, unknown>;
  const str = (v: unknown): string => (typeof v === 'string' ? v : '');
  const channel = world.channels.get(str(input.channel_id));
  // createPost checks PermissionCreatePost on the channel, which only the channel's members hold
  // (channel_user role): a team member who is not in a public channel may read it, not post.
  const canPost = channel && channel.memberIds.has(user.id);
  if (!channel || !canPost) return forbidden(ctx);
  if (channel.deleteAt !== 0) {
    return errorResponse(ctx, { id: 'api.post.create_post.can_not_post_to_deleted.error', message: 'Can not post to deleted channel.', status: 400 });
  }
  const type = str(input.type);
  if (type.startsWith('system_')) {
    return errorResponse(ctx, { id: 'api.context.invalid_param.app_error', message: 'Invalid or missing post.type parameter in request body.', status: 400 });
  }
  if (str(input.root_id) !== '' && !world.posts.some((p) => p.id === input.root_id)) {
    return errorResponse(ctx, { id: 'api.post.create_post.root_id.app_error', message: 'Invalid RootId parameter.', status: 400 });
  }
  const message = str(input.message);
  if (Array.from(message).length > settings.maxPostRunes) {
    return settings.serverGeneration === 'B'
      ? errorResponse(ctx, {
          id: 'model.post.is_valid.message_length.app_error',
          message: 'Post Message property is longer than the maximum permitted length.',
          status: 400,
        })
      : errorResponse(ctx, { id: 'model.post.is_valid.msg.app_error', message: 'Invalid Message.', status: 400 });
  }
  const props: Record<string, unknown> =
    input.props && typeof input.props === 'object' && !Array.isArray(input.props) ? { ...(input.props as Record<string, unknown>) } : {};
  delete props.add_channel_member;
  if (user.isBot) props.from_bot = 'true';
  if (Array.from(JSON.stringify(props)).length > PROPS_MAX_RUNES) {
    return errorResponse(ctx, { id: 'model.post.is_valid.props.app_error', message: 'Invalid props.', status: 400 });
  }

  // deduplicateCreatePost: a repeat within 30 s of success returns the original post.
  const pendingPostId = str(input.pending_post_id);
  const now = Date.now();
  if (pendingPostId) {
    const seen = pending.get(pendingPostId);
    if (seen && seen.expiresAt > now) {
      if (seen.postId === '') {
        return errorResponse(ctx, {
          id: 'api.post.deduplicate_create_post.pending',
          message: 'Rejected post since another client is making the same request.',
          status: 500,
        });
      }
      const original = world.posts.find((p) => p.id === seen.postId);
      if (original) return ok(ctx, 201, postJson(original));
    }
  }
  const at = world.now();
  const post: FakePost = {
    id: newId(),
    createAt: at,
    updateAt: at,
    deleteAt: 0,
    userId: user.id,
    channelId: channel.id,
    message,
    type,
    props,
    pendingPostId,
    via: 'api',
  };
  ctx.savePost(post);
  if (pendingPostId) pending.set(pendingPostId, { postId: post.id, expiresAt: now + PENDING_TTL_MS });
  return ok(ctx, 201, postJson(post));
}

// api4/channel.go getChannelMember: read permission on the channel, then the membership row
// (404 app.channel.get_member.missing.app_error when the user is not a member).
function getChannelMemberMe(ctx: RouteContext, user: FakeUser, channelId: string): FakeResponse {
  if (!isValidId(channelId)) return invalidUrlParam(ctx, 'channel_id');
  const channel = ctx.world.channels.get(channelId);
  if (!channel || !ctx.world.canRead(user, channel)) return forbidden(ctx);
  if (!channel.memberIds.has(user.id)) {
    return errorResponse(ctx, {
      id: 'app.channel.get_member.missing.app_error',
      message: 'No channel member found for that user ID and channel ID.',
      status: 404,
    });
  }
  return ok(ctx, 200, { channel_id: channel.id, user_id: user.id, roles: 'channel_user', msg_count: 0, mention_count: 0 });
}

function getPostsForChannel(ctx: RouteContext, req: FakeRequest, user: FakeUser, channelId: string): FakeResponse {
  if (!isValidId(channelId)) return invalidUrlParam(ctx, 'channel_id');
  const channel = ctx.world.channels.get(channelId);
  if (!channel || !ctx.world.canRead(user, channel)) return forbidden(ctx);
  const query = parseUrlEncoded(req.rawQuery).values;
  const sinceText = query.get('since')?.[0];
  let since = 0;
  if (sinceText !== undefined && sinceText !== '') {
    if (!/^-?\d+$/.test(sinceText)) return invalidUrlParam(ctx, 'since');
    since = Number(sinceText);
  }
  const inChannel = ctx.world.posts.filter((p) => p.channelId === channel.id);
  let selected: FakePost[];
  if (since > 0) {
    // update_at strictly greater; deleted posts included; one page of at most 1,000.
    selected = inChannel
      .filter((p) => p.updateAt > since)
      .sort((a, b) => b.createAt - a.createAt)
      .slice(0, 1000);
  } else {
    const perPage = Math.min(Math.max(Number(query.get('per_page')?.[0] ?? 60) || 60, 1), 200);
    const page = Math.max(Number(query.get('page')?.[0] ?? 0) || 0, 0);
    selected = inChannel
      .filter((p) => p.deleteAt === 0)
      .sort((a, b) => b.createAt - a.createAt)
      .slice(page * perPage, page * perPage + perPage);
  }
  const posts: Record<string, unknown> = {};
  for (const post of selected) posts[post.id] = postJson(post);
  return ok(ctx, 200, {
    order: selected.map((p) => p.id),
    posts,
    next_post_id: '',
    prev_post_id: '',
    has_next: false,
    first_inaccessible_post_time: 0,
  });
}
