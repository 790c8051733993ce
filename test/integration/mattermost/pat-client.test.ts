// The personal-access-token path against the fake: verify, resolve, create, and reconcile an
// unknown outcome by finding our marker before re-posting.
import { createMattermostClient, type MattermostClient } from '../../../lib/mattermost/mattermost-client';
import { MattermostError } from '../../../lib/mattermost/mattermost-error';
import { startFakeMattermost, type FakeMattermost } from '../../fakes/mattermost-server';

const MARKER = 'fleetprompt_dedupe_key';

async function failure(promise: Promise<unknown>): Promise<MattermostError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(MattermostError);
    return err as MattermostError;
  }
  throw new Error('expected the call to fail');
}

describe('Mattermost REST client with a PAT (integration, fake Mattermost)', () => {
  let fake: FakeMattermost;
  let client: MattermostClient;

  beforeAll(async () => {
    fake = await startFakeMattermost();
    client = createMattermostClient({ allowedHosts: ['127.0.0.1'], timeoutMs: 2000 });
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => fake.reset());

  it('verifyToken returns the token user', async () => {
    await expect(client.verifyToken(fake.url, fake.token)).resolves.toEqual({ id: fake.user.id, username: 'fleetbot', isBot: false });
    await expect(client.verifyToken(`${fake.url}/`, fake.token)).resolves.toMatchObject({ username: 'fleetbot' });
  });

  it.each([
    ['a wrong token', 'thisisnotavalidtokenatall00'],
    ['a malformed token', 'has space'],
  ])('verifyToken with %s → auth', async (_name, token) => {
    expect(await failure(client.verifyToken(fake.url, token))).toMatchObject({ kind: 'auth', code: 'TOKEN_INVALID', retryable: false });
  });

  it('verifyToken when the server has PATs disabled → auth 401', async () => {
    fake.settings.enableUserAccessTokens = false;
    expect(await failure(client.verifyToken(fake.url, fake.token))).toMatchObject({
      kind: 'auth',
      status: 401,
      errorId: 'api.context.session_expired.app_error',
    });
  });

  it('a revoked token → auth', async () => {
    const other = fake.createUser({ username: 'temp-user' });
    fake.revokeToken(other.token);
    expect(await failure(client.verifyToken(fake.url, other.token))).toMatchObject({ kind: 'auth', code: 'TOKEN_INVALID' });
  });

  it('resolveChannelId finds public and member-private channels', async () => {
    await expect(client.resolveChannelId(fake.url, fake.token, 'fleet', 'town-square')).resolves.toBe(fake.channels['town-square'].id);
    await expect(client.resolveChannelId(fake.url, fake.token, 'fleet', '#private-ops')).resolves.toBe(fake.channels['private-ops'].id);
  });

  it.each([
    ['an unknown channel', 'fleet', 'nope', 'CHANNEL_NOT_FOUND'],
    ['a private channel the user is not in (hidden)', 'fleet', 'secret', 'CHANNEL_NOT_FOUND'],
    ['an unknown team', 'nosuchteam', 'town-square', 'TEAM_NOT_FOUND'],
    ['a display name instead of a name', 'fleet', 'Town Square', 'BAD_REQUEST'],
  ])('resolveChannelId with %s → validation', async (_name, team, channel, code) => {
    expect(await failure(client.resolveChannelId(fake.url, fake.token, team, channel))).toMatchObject({ kind: 'validation', code });
  });

  it('createPost posts with props and a reused pending_post_id returns the same post', async () => {
    const channelId = fake.channels.ops.id;
    const first = await client.createPost(fake.url, fake.token, channelId, { text: 'Digest', props: { [MARKER]: 'k-1' } }, { pendingPostId: 'fp:k-1:attempt' });
    const again = await client.createPost(fake.url, fake.token, channelId, { text: 'Digest', props: { [MARKER]: 'k-1' } }, { pendingPostId: 'fp:k-1:attempt' });
    expect(again.id).toBe(first.id);
    expect(first).toMatchObject({ channelId, message: 'Digest', props: { [MARKER]: 'k-1' }, userId: fake.user.id });
    expect(fake.received()).toHaveLength(1);
    expect(fake.received()[0]).toMatchObject({ via: 'api', channelName: 'ops', text: 'Digest' });
  });

  it('createPost into a channel the user cannot post to → 403, a channel permission (not a refused token)', async () => {
    const err = await failure(client.createPost(fake.url, fake.token, fake.channels.secret.id, { text: 'x' }));
    expect(err).toMatchObject({ kind: 'validation', code: 'CHANNEL_PERMISSION', status: 403 });
  });

  it('findPostByMarker finds our post, and nothing for another marker or a later time', async () => {
    const channelId = fake.channels['town-square'].id;
    const before = Date.now() - 1000;
    const created = await client.createPost(fake.url, fake.token, channelId, { text: 'Digest', props: { [MARKER]: 'k-2' } });
    await expect(client.findPostByMarker(fake.url, fake.token, channelId, MARKER, 'k-2', before)).resolves.toMatchObject({ id: created.id });
    await expect(client.findPostByMarker(fake.url, fake.token, channelId, MARKER, 'other', before)).resolves.toBeNull();
    await expect(client.findPostByMarker(fake.url, fake.token, channelId, MARKER, 'k-2', created.createAt)).resolves.toBeNull();
  });

  it('finds a webhook post by its marker too', async () => {
    const hookUrl = fake.hookUrl(fake.createHook({ channel: 'ops' }));
    const client2 = createMattermostClient({ allowedHosts: ['127.0.0.1'], timeoutMs: 2000 });
    await client2.postViaWebhook({ kind: 'webhook', webhookUrl: hookUrl }, { text: 'x', props: { [MARKER]: 'k-hook' } });
    await expect(client.findPostByMarker(fake.url, fake.token, fake.channels.ops.id, MARKER, 'k-hook', 1)).resolves.not.toBeNull();
  });

  it('an unknown outcome is reconciled by marker instead of re-posting', async () => {
    const channelId = fake.channels.ops.id;
    const since = Date.now() - 1000;
    fake.failNext(1, 'drop-after-read', { route: 'api' });
    const err = await failure(client.createPost(fake.url, fake.token, channelId, { text: 'Digest', props: { [MARKER]: 'k-3' } }));
    expect(err).toMatchObject({ kind: 'network', outcomeUnknown: true, retryable: false });
    const found = await client.findPostByMarker(fake.url, fake.token, channelId, MARKER, 'k-3', since);
    expect(found).not.toBeNull();
    expect(fake.received()).toHaveLength(1);
  });

  it('reads are retryable after a dropped connection or a 5xx (no outcome to lose)', async () => {
    fake.failNext(1, 'drop-after-read', { route: 'api' });
    expect(await failure(client.verifyToken(fake.url, fake.token))).toMatchObject({ kind: 'network', outcomeUnknown: false, retryable: true });
    fake.failNext(1, '5xx', { status: 500, route: 'api' });
    expect(await failure(client.verifyToken(fake.url, fake.token))).toMatchObject({ kind: 'network', retryable: true });
  });

  it('a 429 on create carries the retry hint', async () => {
    fake.failNext(1, '429', { retryAfterSec: 4, route: 'api' });
    const err = await failure(client.createPost(fake.url, fake.token, fake.channels.ops.id, { text: 'x' }));
    expect(err).toMatchObject({ kind: 'rate_limit', retryable: true, retryAfterMs: 4000 });
  });

  it('the base URL goes through the outbound guard', async () => {
    const strict = createMattermostClient({ allowedHosts: [], timeoutMs: 2000 });
    expect(await failure(strict.verifyToken(fake.url, fake.token))).toMatchObject({ kind: 'validation', code: 'URL_NOT_ALLOWED' });
    expect(fake.requests()).toHaveLength(0);
  });

  it('pointing the base URL at something that is not Mattermost is reported clearly', async () => {
    // The web app answers any unknown GET with 200 HTML; the fake does the same.
    const err = await failure(client.verifyToken(`${fake.url}/not-mattermost`, fake.token));
    expect(err).toMatchObject({ kind: 'validation', code: 'UNEXPECTED_RESPONSE', status: 200 });
    expect(err.message).toContain('points at Mattermost');
  });

  it('no error ever contains the token (canary)', async () => {
    const canary = fake.createUser({ username: 'canary-user' }).token;
    fake.createChannel({ name: 'canary-room', type: 'P', members: ['canary-user'] });
    const errors: MattermostError[] = [];
    const collect = async (p: Promise<unknown>): Promise<void> => {
      errors.push(await failure(p));
    };
    await collect(client.resolveChannelId(fake.url, canary, 'fleet', 'secret'));
    await collect(client.createPost(fake.url, canary, fake.channels.secret.id, { text: 'x' }));
    fake.failNext(1, 'drop-after-read', { route: 'api' });
    await collect(client.createPost(fake.url, canary, fake.channels['canary-room'].id, { text: 'x' }));
    fake.failNext(1, 'invalid-hook', { route: 'api' });
    await collect(client.verifyToken(fake.url, canary));
    fake.failNext(1, 'slow', { delayMs: 800, route: 'api' });
    await collect(createMattermostClient({ allowedHosts: ['127.0.0.1'], timeoutMs: 200 }).verifyToken(fake.url, canary));
    await collect(createMattermostClient({ allowedHosts: [] }).verifyToken(`${fake.url}?token=${canary}`, canary));
    await collect(client.verifyToken(fake.url, `${canary} `));
    for (const err of errors) {
      for (const text of [err.message, String(err.stack), JSON.stringify(err), String(err)]) expect(text).not.toContain(canary);
    }
  });
});
