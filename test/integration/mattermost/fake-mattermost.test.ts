// The fake itself against the contract (docs/mattermost-contract.md): raw HTTP
// requests, so that what the client is tested against is what Mattermost does.
import http from 'node:http';
import { startFakeMattermost, type FakeMattermost } from '../../fakes/mattermost-server';

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function send(fake: FakeMattermost, method: string, path: string, options: { headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: fake.port, method, path, headers: options.headers ?? {}, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const json = { 'content-type': 'application/json' };

describe('fake Mattermost: incoming webhooks', () => {
  let fake: FakeMattermost;
  let hookId: string;
  const hook = (body: string | Buffer, headers: Record<string, string> = json, query = ''): Promise<Raw> =>
    send(fake, 'POST', `/hooks/${hookId}${query}`, { headers, body });

  beforeAll(async () => {
    fake = await startFakeMattermost();
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => {
    fake.reset();
    hookId = fake.createHook({ channel: 'town-square', displayName: 'Ops digest' });
  });

  it('answers success with 200 text/plain "ok" and a request id', async () => {
    const res = await hook('{"text":"hi"}');
    expect(res.status).toBe(200);
    expect(res.body).toBe('ok');
    expect(res.headers['content-type']).toBe('text/plain');
    expect(res.headers['x-request-id']).toMatch(/^[a-z0-9]{26}$/);
    expect(res.headers['x-version-id']).toBeTruthy();
  });

  it('shapes errors as AppError JSON with keys in order and the status as status_code', async () => {
    fake.settings.serverGeneration = 'A';
    fake.deleteHook(hookId);
    const res = await hook('{"text":"hi"}');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe('application/json');
    const body = JSON.parse(res.body);
    expect(Object.keys(body)).toEqual(['id', 'message', 'detailed_error', 'request_id', 'status_code']);
    expect(body).toMatchObject({ id: 'web.incoming_webhook.invalid.app_error', detailed_error: '', status_code: 400 });
    expect(res.headers['x-request-id']).toBe(body.request_id);
  });

  it('generation B wraps errors as general, keeps the inner status, and names the hook in the message', async () => {
    fake.deleteHook(hookId);
    const res = await hook('{"text":"hi"}');
    const body = JSON.parse(res.body);
    expect(res.status).toBe(400);
    expect(body.id).toBe('web.incoming_webhook.general.app_error');
    expect(body.message).toBe(`Failed to handle the payload of media type application/json for incoming webhook ${hookId}.`);
  });

  it('generation B: no Content-Type leaves the media type empty in the message', async () => {
    fake.settings.enableIncomingWebhooks = false;
    const res = await hook('{"text":"hi"}', {});
    expect(res.status).toBe(501);
    expect(JSON.parse(res.body).message).toContain('media type  for incoming webhook');
  });

  describe.each([
    [
      'A',
      {
        decode: 'model.incoming_hook.parse_data.app_error',
        media: 'api.webhook.incoming.error',
        disabled: 'web.incoming_webhook.disabled.app_error',
        text: 'web.incoming_webhook.text.app_error',
        channel: 'web.incoming_webhook.channel.app_error',
        locked: 'web.incoming_webhook.channel_locked.app_error',
        perms: 'web.incoming_webhook.permissions.app_error',
        user: 'web.incoming_webhook.user.app_error',
        param: 'api.context.invalid_param.app_error',
        creating: 'api.post.create_webhook_post.creating.app_error',
        multipartKey: 'api.webhook.incoming.error',
      },
    ],
    [
      'B',
      {
        decode: 'web.incoming_webhook.decode.app_error',
        media: 'web.incoming_webhook.media_type.app_error',
        disabled: 'web.incoming_webhook.general.app_error',
        text: 'web.incoming_webhook.general.app_error',
        channel: 'web.incoming_webhook.general.app_error',
        locked: 'web.incoming_webhook.general.app_error',
        perms: 'web.incoming_webhook.general.app_error',
        user: 'web.incoming_webhook.general.app_error',
        param: 'web.incoming_webhook.general.app_error',
        creating: 'web.incoming_webhook.general.app_error',
        multipartKey: 'web.incoming_webhook.decode.app_error',
      },
    ],
  ] as const)('generation %s error table', (generation, ids) => {
    beforeEach(() => {
      fake.settings.serverGeneration = generation;
    });
    const expectError = (res: Raw, status: number, id: string): void => {
      expect({ status: res.status, id: JSON.parse(res.body).id }).toEqual({ status, id });
    };

    it.each([
      ['malformed JSON', '{"text":'],
      ['empty body', ''],
      ['a type mismatch', '{"text":5}'],
      ['a JSON array', '[1]'],
    ])('%s → 400 decode', async (_name, body) => {
      expectError(await hook(body), 400, ids.decode);
    });

    it('an unparseable Content-Type → 400', async () => {
      expectError(await hook('{"text":"x"}', { 'content-type': 'application/' }), 400, ids.media);
    });

    it('a form without payload → 400 decode', async () => {
      expectError(await hook('text=hi', { 'content-type': 'application/x-www-form-urlencoded' }), 400, ids.decode);
    });

    it('decode errors come before the disabled check; then disabled → 501', async () => {
      fake.settings.enableIncomingWebhooks = false;
      expectError(await hook('{bad'), 400, ids.decode);
      expectError(await hook('{"text":"x"}'), 501, ids.disabled);
    });

    it('empty text is checked before the hook exists; null decodes to an empty request', async () => {
      expectError(await send(fake, 'POST', '/hooks/doesnotexist', { headers: json, body: '{"text":""}' }), 400, ids.text);
      expectError(await hook('null'), 400, ids.text);
    });

    it('unknown channel → 404, @unknown user → 400, locked → 403, private without access → 403', async () => {
      expectError(await hook('{"text":"x","channel":"nope"}'), 404, ids.channel);
      expectError(await hook('{"text":"x","channel":"@nobody"}'), 400, ids.user);
      const locked = fake.createHook({ channel: 'town-square', lockedToChannel: true });
      expectError(await send(fake, 'POST', `/hooks/${locked}`, { headers: json, body: '{"text":"x","channel":"ops"}' }), 403, ids.locked);
      const hidden = fake.createHook({ channel: 'secret' });
      expectError(await send(fake, 'POST', `/hooks/${hidden}`, { headers: json, body: '{"text":"x"}' }), 403, ids.perms);
    });

    it('system_ type and priority without priority → 400; an unknown type → 500 at save', async () => {
      expectError(await hook('{"text":"x","type":"system_join"}'), 400, ids.param);
      expectError(await hook('{"text":"x","priority":{"requested_ack":true}}'), 400, ids.param);
      expectError(await hook('{"text":"x","type":"weird"}'), 500, ids.creating);
      expect(fake.received()).toHaveLength(0);
    });

    it('multipart with a Slack-style key (channel) → 400', async () => {
      const boundary = 'XyZ';
      const body = `--${boundary}\r\nContent-Disposition: form-data; name="text"\r\n\r\nhello\r\n--${boundary}\r\nContent-Disposition: form-data; name="channel"\r\n\r\nops\r\n--${boundary}--\r\n`;
      expectError(await hook(body, { 'content-type': `multipart/form-data; boundary=${boundary}` }), 400, ids.multipartKey);
    });
  });

  it('decodes form payloads, also from the query string', async () => {
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    expect((await hook(`payload=${encodeURIComponent('{"text":"from form"}')}&ignored=1`, form)).status).toBe(200);
    expect((await hook('', form, `?payload=${encodeURIComponent('{"text":"from query"}')}`)).status).toBe(200);
    expect(fake.received().map((p) => p.text)).toEqual(['from form', 'from query']);
  });

  it('decodes multipart fields by Go field name, case-insensitively', async () => {
    const boundary = 'b0undary';
    const part = (name: string, value: string): string => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
    const res = await hook(`${part('Text', 'multi')}${part('channelname', 'ops')}--${boundary}--\r\n`, {
      'content-type': `multipart/form-data; boundary=${boundary}`,
    });
    expect(res.status).toBe(200);
    expect(fake.received()[0]).toMatchObject({ text: 'multi', channelName: 'ops' });
  });

  it('treats a missing, text/plain or made-up Content-Type as JSON, and tolerates bad parameters', async () => {
    expect((await hook('{"text":"a"}', {})).status).toBe(200);
    expect((await hook('{"text":"b"}', { 'content-type': 'text/plain' })).status).toBe(200);
    expect((await hook('{"text":"c"}', { 'content-type': 'application/x-made-up' })).status).toBe(200);
    expect((await hook('{"text":"d"}', { 'content-type': 'application/json; charset' })).status).toBe(200);
    expect(fake.received()).toHaveLength(4);
  });

  it('JSON quirks: first value only, case-insensitive keys, raw newlines in text', async () => {
    expect((await hook('{"text":"first"} trailing garbage')).status).toBe(200);
    expect((await hook('{"Text":"upper"}')).status).toBe(200);
    expect((await hook('{"text":"line one\nline\ttwo"}')).status).toBe(200);
    expect(fake.received().map((p) => p.text)).toEqual(['first', 'upper', 'line one\nline\ttwo']);
  });

  it('an empty attachments array lets an empty message through', async () => {
    expect((await hook('{"text":"","attachments":[]}')).status).toBe(200);
    expect(fake.received()[0].text).toBe('');
  });

  it('converts Slack markup in text', async () => {
    await hook(`{"text":"<!channel> see <https://example.com|the report> <@${fake.user.id}>"}`);
    expect(fake.received()[0].text).toBe('@channel see [the report](https://example.com) @fleetbot');
  });

  it('resolves #name, bare name and @user (a DM) overrides', async () => {
    await hook('{"text":"1","channel":"#ops"}');
    await hook('{"text":"2","channel":"ops"}');
    await hook('{"text":"3","channel":"@alice"}');
    expect(fake.received().map((p) => [p.channelName === 'ops' ? 'ops' : p.channelType])).toEqual([['ops'], ['ops'], ['D']]);
  });

  it('props: reserved keys are ignored and set by the server', async () => {
    await hook('{"text":"x","props":{"from_webhook":"false","override_username":"evil","webhook_display_name":"fake","k":"v","attachments":[1]}}');
    const { props } = fake.received()[0];
    expect(props).toEqual({ k: 'v', from_webhook: 'true', webhook_display_name: 'Ops digest' });
  });

  it('override settings: off ignores username/icon; on uses request, then hook, then "webhook"', async () => {
    await hook('{"text":"x","username":"Bot","icon_url":"https://example.com/i.png"}');
    expect(fake.received()[0]).toMatchObject({ username: 'fleetbot', iconUrl: null });
    fake.settings.enablePostUsernameOverride = true;
    fake.settings.enablePostIconOverride = true;
    await hook('{"text":"x","username":"Bot","icon_url":"https://example.com/i.png"}');
    await hook('{"text":"x"}');
    expect(fake.received()[1]).toMatchObject({ username: 'Bot', iconUrl: 'https://example.com/i.png' });
    expect(fake.received()[2]).toMatchObject({ username: 'webhook', iconUrl: null });
  });

  it('splits text over 16,383 runes into consecutive posts (runes, not UTF-16 units)', async () => {
    await hook(JSON.stringify({ text: '😀'.repeat(16_383) }));
    expect(fake.received()).toHaveLength(1);
    fake.reset();
    await hook(JSON.stringify({ text: `${'a'.repeat(16_383)}😀`, props: { k: 1 } }));
    const posts = fake.received();
    expect(posts.map((p) => Array.from(p.text).length)).toEqual([16_383, 1]);
    expect(posts[1].text).toBe('😀');
    expect(posts.every((p) => p.props.k === 1)).toBe(true);
  });

  it('bodies over the limit: JSON → 400 decode; form (B) → 413', async () => {
    const big = JSON.stringify({ text: 'x'.repeat(301_000) });
    const jsonRes = await hook(big);
    expect([jsonRes.status, JSON.parse(jsonRes.body).id]).toEqual([400, 'web.incoming_webhook.decode.app_error']);
    const formRes = await hook(`payload=${'x'.repeat(301_000)}`, { 'content-type': 'application/x-www-form-urlencoded' });
    expect([formRes.status, JSON.parse(formRes.body).id]).toEqual([413, 'api.context.request_body_too_large.app_error']);
  });

  it('a GET to a hook URL gets the web app HTML; a non-alphanumeric id is not routed', async () => {
    const get = await send(fake, 'GET', `/hooks/${hookId}`);
    expect(get.status).toBe(200);
    expect(get.headers['content-type']).toContain('text/html');
    expect((await send(fake, 'POST', '/hooks/not-valid', { headers: json, body: '{"text":"x"}' })).status).toBe(404);
  });

  it('archiving a channel deletes its hooks', async () => {
    const opsHook = fake.createHook({ channel: 'ops' });
    fake.archiveChannel('ops');
    const res = await send(fake, 'POST', `/hooks/${opsHook}`, { headers: json, body: '{"text":"x"}' });
    expect(res.status).toBe(400);
    expect((await hook('{"text":"x","channel":"ops"}')).status).toBe(404);
  });
});

describe('fake Mattermost: failure injection', () => {
  let fake: FakeMattermost;
  let hookId: string;
  beforeAll(async () => {
    fake = await startFakeMattermost();
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => {
    fake.reset();
    hookId = fake.createHook({ channel: 'town-square' });
  });

  it('429 is plain text with the limiter headers and no request id', async () => {
    fake.failNext(1, '429', { retryAfterSec: 3 });
    const res = await send(fake, 'POST', `/hooks/${hookId}`, { headers: json, body: '{"text":"x"}' });
    expect(res.status).toBe(429);
    expect(res.body).toBe('limit exceeded\n');
    expect(res.headers).toMatchObject({
      'content-type': 'text/plain; charset=utf-8',
      'x-content-type-options': 'nosniff',
      'retry-after': '3',
      'x-ratelimit-limit': '101',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': '3',
    });
    expect(res.headers['x-request-id']).toBeUndefined();
  });

  it('failures are consumed in order, then requests succeed again', async () => {
    fake.failNext(1, '5xx');
    fake.failNext(1, '429');
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await send(fake, 'POST', `/hooks/${hookId}`, { headers: json, body: '{"text":"x"}' })).status);
    expect(statuses).toEqual([503, 429, 200]);
    expect(fake.requests().map((r) => r.failure)).toEqual(['5xx', '429', undefined]);
  });

  it('failFor applies for a time window', async () => {
    fake.failFor(150, '5xx');
    expect((await send(fake, 'POST', `/hooks/${hookId}`, { headers: json, body: '{"text":"x"}' })).status).toBe(503);
    await new Promise((r) => setTimeout(r, 200));
    expect((await send(fake, 'POST', `/hooks/${hookId}`, { headers: json, body: '{"text":"x"}' })).status).toBe(200);
  });

  it("'slow' records the post at once and answers later; waitFor sees it", async () => {
    fake.failNext(1, 'slow', { delayMs: 300 });
    const started = Date.now();
    const pending = send(fake, 'POST', `/hooks/${hookId}`, { headers: json, body: '{"text":"slow"}' });
    const posts = await fake.waitFor(1, 1000);
    expect(posts[0].text).toBe('slow');
    expect((await pending).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('request log masks hook keys', () => {
    return send(fake, 'POST', `/hooks/${hookId}`, { headers: json, body: '{"text":"x"}' }).then(() => {
      expect(fake.requests()[0].path).toBe(`/hooks/…${hookId.slice(-4)}`);
      expect(JSON.stringify(fake.requests())).not.toContain(hookId);
    });
  });
});

describe('fake Mattermost: REST', () => {
  let fake: FakeMattermost;
  beforeAll(async () => {
    fake = await startFakeMattermost();
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => fake.reset());
  const auth = (): Record<string, string> => ({ authorization: `Bearer ${fake.token}` });

  it('401 session_expired without a token; access_token in the query is refused', async () => {
    const none = await send(fake, 'GET', '/api/v4/users/me');
    expect([none.status, JSON.parse(none.body).id]).toEqual([401, 'api.context.session_expired.app_error']);
    const query = await send(fake, 'GET', `/api/v4/users/me?access_token=${fake.token}`);
    expect([query.status, JSON.parse(query.body).id]).toEqual([401, 'api.context.token_provided.app_error']);
  });

  it('accepts "Token" and a lower-case bearer scheme, and the MMAUTHTOKEN cookie', async () => {
    expect((await send(fake, 'GET', '/api/v4/users/me', { headers: { authorization: `token ${fake.token}` } })).status).toBe(200);
    expect((await send(fake, 'GET', '/api/v4/users/me', { headers: { authorization: `bearer ${fake.token}` } })).status).toBe(200);
    expect((await send(fake, 'GET', '/api/v4/users/me', { headers: { cookie: `MMAUTHTOKEN=${fake.token}` } })).status).toBe(200);
  });

  it('channel lookup: unrouted names → 404 api.context.404; invalid names → 400', async () => {
    const unrouted = await send(fake, 'GET', '/api/v4/teams/name/fleet/channels/name/a.b', { headers: auth() });
    expect([unrouted.status, JSON.parse(unrouted.body).id]).toEqual([404, 'api.context.404.app_error']);
    const upper = await send(fake, 'GET', '/api/v4/teams/name/fleet/channels/name/Ops', { headers: auth() });
    expect([upper.status, JSON.parse(upper.body).id]).toEqual([400, 'api.context.invalid_url_param.app_error']);
  });

  it('create post: 201 with the post; message over the limit → 400 (no split); empty message allowed', async () => {
    const channelId = fake.channels.ops.id;
    const created = await send(fake, 'POST', '/api/v4/posts', {
      headers: { ...auth(), ...json },
      body: JSON.stringify({ channel_id: channelId, message: 'hi', props: { add_channel_member: 'x', k: 'v' } }),
    });
    expect(created.status).toBe(201);
    expect(JSON.parse(created.body)).toMatchObject({ channel_id: channelId, message: 'hi', props: { k: 'v' } });
    expect(JSON.parse(created.body).props).not.toHaveProperty('add_channel_member');
    const long = await send(fake, 'POST', '/api/v4/posts', {
      headers: { ...auth(), ...json },
      body: JSON.stringify({ channel_id: channelId, message: 'x'.repeat(16_384) }),
    });
    expect([long.status, JSON.parse(long.body).id]).toEqual([400, 'model.post.is_valid.message_length.app_error']);
    expect(
      (await send(fake, 'POST', '/api/v4/posts', { headers: { ...auth(), ...json }, body: JSON.stringify({ channel_id: channelId, message: '' }) })).status,
    ).toBe(201);
  });

  it('list posts: since is strict on update_at; a bad since or channel id → 400', async () => {
    const channelId = fake.channels.ops.id;
    const created = JSON.parse(
      (await send(fake, 'POST', '/api/v4/posts', { headers: { ...auth(), ...json }, body: JSON.stringify({ channel_id: channelId, message: 'a' }) })).body,
    );
    const at = (since: number) => send(fake, 'GET', `/api/v4/channels/${channelId}/posts?since=${since}`, { headers: auth() }).then((r) => JSON.parse(r.body));
    expect((await at(created.update_at - 1)).order).toEqual([created.id]);
    expect((await at(created.update_at)).order).toEqual([]);
    expect((await send(fake, 'GET', `/api/v4/channels/${channelId}/posts?since=abc`, { headers: auth() })).status).toBe(400);
    expect((await send(fake, 'GET', '/api/v4/channels/short/posts', { headers: auth() })).status).toBe(400);
  });
});
