// The webhook client against the fake Mattermost on 127.0.0.1: success, every failure kind on
// both server generations, retry hints, and the sent/not-sent distinction.
import { MattermostError } from '../../../lib/mattermost/mattermost-error';
import { postViaWebhook } from '../../../lib/mattermost/post-via-webhook';
import type { MattermostCallOptions, PostRequest, WebhookTarget } from '../../../lib/mattermost/types';
import { VERIFY_WEBHOOK_TEXT, verifyWebhook } from '../../../lib/mattermost/verify-webhook';
import { startFakeMattermost, type FakeMattermost } from '../../fakes/mattermost-server';

const opts: MattermostCallOptions = { allowedHosts: ['127.0.0.1'], timeoutMs: 2000 };

async function failure(promise: Promise<unknown>): Promise<MattermostError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(MattermostError);
    return err as MattermostError;
  }
  throw new Error('expected the call to fail');
}

describe('postViaWebhook (integration, fake Mattermost)', () => {
  let fake: FakeMattermost;
  let hookId: string;
  let target: WebhookTarget;
  const post = (req: Partial<PostRequest> = {}, callOpts: MattermostCallOptions = opts): Promise<void> =>
    postViaWebhook(target, { text: 'Daily digest', ...req }, callOpts);

  beforeAll(async () => {
    fake = await startFakeMattermost();
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => {
    fake.reset();
    hookId = fake.createHook({ channel: 'town-square', username: 'hook-default' });
    target = { kind: 'webhook', webhookUrl: fake.hookUrl(hookId) };
  });

  it('posts the text and props; overrides are ignored while the server settings are off', async () => {
    await post({ props: { fleetprompt_dedupe_key: 'digest:t1:2025-01-01:town-square' }, username: 'Digest', iconUrl: 'https://example.com/i.png' });
    const [received] = fake.received();
    expect(fake.received()).toHaveLength(1);
    expect(received).toMatchObject({
      via: 'webhook',
      channelName: 'town-square',
      text: 'Daily digest',
      username: 'fleetbot',
      iconUrl: null,
      props: { fleetprompt_dedupe_key: 'digest:t1:2025-01-01:town-square', from_webhook: 'true', webhook_display_name: 'FleetPrompt' },
    });
    expect(received.props).not.toHaveProperty('override_username');
  });

  it('applies username and icon overrides when the server allows them', async () => {
    fake.settings.enablePostUsernameOverride = true;
    fake.settings.enablePostIconOverride = true;
    await post({ username: 'Digest', iconUrl: 'https://example.com/i.png' });
    expect(fake.received()[0]).toMatchObject({ username: 'Digest', iconUrl: 'https://example.com/i.png' });
  });

  it('honours a channel override', async () => {
    await post({ channel: 'ops' });
    expect(fake.received()[0].channelName).toBe('ops');
  });

  it('verifyWebhook sends a visible test post', async () => {
    await verifyWebhook(target, opts);
    expect(fake.received()[0].text).toBe(VERIFY_WEBHOOK_TEXT);
  });

  describe.each(['A', 'B'] as const)('generation %s server', (generation) => {
    beforeEach(() => {
      fake.settings.serverGeneration = generation;
    });

    it('unknown (deleted) hook → auth, not retryable', async () => {
      fake.deleteHook(hookId);
      const err = await failure(post());
      expect(err).toMatchObject({ kind: 'auth', code: 'INVALID_WEBHOOK', status: 400, retryable: false, outcomeUnknown: false });
      expect(err.errorId).toBe(generation === 'A' ? 'web.incoming_webhook.invalid.app_error' : 'web.incoming_webhook.general.app_error');
    });

    it("injected 'invalid-hook' → auth", async () => {
      fake.failNext(1, 'invalid-hook');
      expect(await failure(post())).toMatchObject({ kind: 'auth', code: 'INVALID_WEBHOOK' });
      expect(fake.received()).toHaveLength(0);
    });

    it('webhooks disabled (501) → validation, not retryable', async () => {
      fake.settings.enableIncomingWebhooks = false;
      expect(await failure(post())).toMatchObject({ kind: 'validation', code: 'WEBHOOKS_DISABLED', status: 501, retryable: false });
    });

    it('unknown override channel (404) → validation', async () => {
      expect(await failure(post({ channel: 'no-such-channel' }))).toMatchObject({ kind: 'validation', code: 'CHANNEL_NOT_FOUND', status: 404 });
    });

    it('locked hook with another channel (403) → validation', async () => {
      const locked = fake.createHook({ channel: 'town-square', lockedToChannel: true });
      const err = await failure(postViaWebhook({ kind: 'webhook', webhookUrl: fake.hookUrl(locked) }, { text: 'x', channel: 'ops' }, opts));
      expect(err).toMatchObject({ kind: 'validation', code: 'CHANNEL_LOCKED', status: 403 });
    });

    it("private channel the hook's creator cannot read (403) → auth", async () => {
      const hidden = fake.createHook({ channel: 'secret' }); // fleetbot is not a member of #secret
      const err = await failure(postViaWebhook({ kind: 'webhook', webhookUrl: fake.hookUrl(hidden) }, { text: 'x' }, opts));
      expect(err).toMatchObject({ kind: 'auth', code: 'FORBIDDEN', status: 403 });
    });

    it('503 → network, retryable, nothing posted', async () => {
      fake.failNext(1, '5xx');
      expect(await failure(post())).toMatchObject({ kind: 'network', code: 'SERVER_UNAVAILABLE', status: 503, retryable: true, outcomeUnknown: false });
      await post();
      expect(fake.received()).toHaveLength(1);
    });

    it("500 with Mattermost's own AppError → nothing was posted: retryable", async () => {
      fake.failNext(1, '5xx', { status: 500 });
      expect(await failure(post())).toMatchObject({ kind: 'network', code: 'SERVER_ERROR_NOT_POSTED', status: 500, retryable: true, outcomeUnknown: false });
      expect(fake.received()).toHaveLength(0);
    });

    it("a proxy's 502 → unknown outcome, not blindly retryable", async () => {
      fake.failNext(1, '5xx', { status: 502 });
      expect(await failure(post())).toMatchObject({ kind: 'unknown', code: 'SERVER_ERROR', status: 502, retryable: false, outcomeUnknown: true });
    });

    it('429 → rate_limit with the retry hint', async () => {
      fake.failNext(1, '429', { retryAfterSec: 2 });
      expect(await failure(post())).toMatchObject({
        kind: 'rate_limit',
        code: 'RATE_LIMITED',
        status: 429,
        retryable: true,
        retryAfterMs: 2000,
        outcomeUnknown: false,
      });
    });
  });

  it('empty and over-long text are refused locally: nothing is sent', async () => {
    expect(await failure(post({ text: '' }))).toMatchObject({ kind: 'validation', code: 'EMPTY_TEXT' });
    expect(await failure(post({ text: '😀'.repeat(16_384) }))).toMatchObject({ kind: 'validation', code: 'MESSAGE_TOO_LONG' });
    expect(fake.requests()).toHaveLength(0);
  });

  it('a message of exactly 16,383 runes (emoji) is one post', async () => {
    await post({ text: '😀'.repeat(16_383) });
    expect(fake.received()).toHaveLength(1);
  });

  it('timeout after the request was sent → outcomeUnknown; the server did record the post', async () => {
    fake.failNext(1, 'slow', { delayMs: 1500 });
    const err = await failure(post({}, { ...opts, timeoutMs: 300 }));
    expect(err).toMatchObject({ kind: 'network', code: 'TIMEOUT', outcomeUnknown: true, retryable: false });
    expect(fake.received()).toHaveLength(1);
  });

  it('connection dropped after the server read the request → outcomeUnknown; one post recorded', async () => {
    fake.failNext(1, 'drop-after-read');
    const err = await failure(post());
    expect(err).toMatchObject({ kind: 'network', code: 'CONNECTION_LOST', outcomeUnknown: true, retryable: false });
    expect(fake.received()).toHaveLength(1);
    expect(fake.requests()[0].status).toBe('dropped');
  });

  it('connection refused → network, retryable, outcome known', async () => {
    const gone = await startFakeMattermost();
    const url = gone.hookUrl(gone.createHook({ channel: 'town-square' }));
    await gone.close();
    const err = await failure(postViaWebhook({ kind: 'webhook', webhookUrl: url }, { text: 'x' }, opts));
    expect(err).toMatchObject({ kind: 'network', code: 'CONNECT_FAILED', outcomeUnknown: false, retryable: true });
  });

  it('a redirect is not followed', async () => {
    fake.failNext(1, 'redirect', { location: fake.hookUrl(hookId) });
    const err = await failure(post());
    expect(err).toMatchObject({ kind: 'validation', code: 'REDIRECT_NOT_FOLLOWED', status: 302 });
    expect(fake.requests()).toHaveLength(1);
    expect(fake.received()).toHaveLength(0);
  });

  it('the guard refuses 127.0.0.1 when it is not allow-listed: nothing is sent', async () => {
    const err = await failure(post({}, { allowedHosts: [], timeoutMs: 2000 }));
    expect(err).toMatchObject({ kind: 'validation', code: 'URL_NOT_ALLOWED', outcomeUnknown: false });
    expect(fake.requests()).toHaveLength(0);
  });

  it('allow-listing by host:port works too', async () => {
    await post({}, { allowedHosts: [`127.0.0.1:${fake.port}`], timeoutMs: 2000 });
    expect(fake.received()).toHaveLength(1);
  });

  it('no error message, stack or JSON ever contains the hook id (canary)', async () => {
    const canary = 'canaryhookzq7x9w2v4t6r8p0n';
    fake.createHook({ channel: 'town-square', id: canary, lockedToChannel: true });
    const canaryTarget: WebhookTarget = { kind: 'webhook', webhookUrl: fake.hookUrl(canary) };
    const errors: MattermostError[] = [];
    const attempt = async (setup: () => void, req: Partial<PostRequest> = {}, callOpts: MattermostCallOptions = opts): Promise<void> => {
      setup();
      errors.push(await failure(postViaWebhook(canaryTarget, { text: 'x', ...req }, callOpts)));
    };
    for (const generation of ['A', 'B'] as const) {
      fake.settings.serverGeneration = generation;
      fake.settings.enableDeveloper = true; // detailed_error filled too
      await attempt(() => fake.failNext(1, 'invalid-hook'));
      await attempt(() => fake.failNext(1, '5xx', { status: 500 }));
      await attempt(() => fake.failNext(1, '429'));
      await attempt(() => fake.failNext(1, 'redirect', { location: fake.hookUrl(canary) }));
      await attempt(() => fake.failNext(1, 'drop-after-read'));
      await attempt(() => fake.failNext(1, 'slow', { delayMs: 1000 }), {}, { ...opts, timeoutMs: 200 });
      await attempt(() => undefined, { channel: 'ops' }); // locked
      await attempt(() => undefined, { channel: 'missing' }); // 404
      await attempt(() => (fake.settings.enableIncomingWebhooks = false));
      fake.settings.enableIncomingWebhooks = true;
    }
    await attempt(() => undefined, {}, { allowedHosts: [], timeoutMs: 2000 });
    expect(errors.length).toBeGreaterThan(15);
    for (const err of errors) {
      for (const text of [err.message, String(err.stack), JSON.stringify(err), String(err)]) {
        expect(text).not.toContain(canary);
      }
    }
  });
});
