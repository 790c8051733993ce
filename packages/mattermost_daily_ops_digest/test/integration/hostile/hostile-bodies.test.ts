// Hostile requests against every API endpoint that takes a body, a query or a path parameter:
// broken and non-object JSON, oversized bodies, deeply nested JSON, wrong content types and
// charsets, unicode edge cases (NUL, lone surrogates, BOM, invalid UTF-8 bytes, overlong and
// right-to-left text), prototype keys, hostile query strings, cursors and path segments. Each
// must get a 4xx in the one error shape with a stable code — never a 5xx — and leave nothing
// written for the tenant.
import request, { type Response } from 'supertest';
import type { Client } from 'pg';
import type { Express } from 'express';
import type { DbHandle } from '../../../../../lib/db/client';
import { buildTestApp } from '../../../../../test/helpers/app';
import { adminClient, testDb } from '../../../../../test/helpers/db';
import { expectClientError, fingerprint, hostileTenant, Tally, type HostileTenant } from '../../../../../test/integration/hostile/hostile-support';

jest.setTimeout(120_000);

interface Endpoint {
  name: string;
  method: 'post' | 'put' | 'delete';
  path: string;
  /** A body that is valid apart from the field under attack. */
  valid: Record<string, unknown>;
  /** Where a hostile string can go (a field path in `valid`). */
  stringFields: string[];
  auth: boolean;
  /** Body size limit (the ingest endpoint takes batches up to 10 MB). */
  limitBytes: number;
}

function setPath(obj: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(obj);
  const keys = path.split('.');
  let cur: Record<string, unknown> | unknown[] = copy;
  for (const k of keys.slice(0, -1)) cur = cur[k] as Record<string, unknown>;
  cur[keys[keys.length - 1]] = value;
  return copy;
}

describe('hostile request bodies, queries and paths', () => {
  let handle: DbHandle;
  let admin: Client;
  let app: Express;
  let h: HostileTenant;
  let endpoints: Endpoint[];
  const tally = new Tally();

  beforeAll(async () => {
    handle = testDb();
    admin = await adminClient();
    app = buildTestApp({ db: handle.db });
    h = await hostileTenant(handle);
    const t = `/api/tenants/${h.tenant.slug}`;
    const inst = `${t}/installations/${h.installationId}`;
    endpoints = [
      {
        name: 'sign in',
        method: 'post',
        path: '/api/auth/login',
        valid: { email: `${h.tenant.slug}@example.test`, password: 'not-the-password' },
        stringFields: ['email', 'password'],
        auth: false,
        limitBytes: 256 * 1024,
      },
      {
        name: 'create API token',
        method: 'post',
        path: `${t}/api-tokens`,
        valid: { name: 'ci', role: 'member' },
        stringFields: ['name', 'role'],
        auth: true,
        limitBytes: 256 * 1024,
      },
      {
        name: 'install',
        method: 'post',
        path: `${t}/installations`,
        valid: { package_slug: 'mattermost_daily_ops_digest', config: { timezone: 'UTC', schedule_time: '07:30', channel: 'town-square' } },
        stringFields: ['package_slug', 'config.timezone', 'config.schedule_time', 'config.channel'],
        auth: true,
        limitBytes: 256 * 1024,
      },
      {
        name: 'connect Mattermost',
        method: 'put',
        path: `${inst}/credential`,
        valid: { kind: 'webhook', webhook_url: 'http://127.0.0.1:9/hooks/abcdefghijklmnopqrstuvwxyz', verify: 'dry_run' },
        stringFields: ['kind', 'webhook_url', 'verify'],
        auth: true,
        limitBytes: 256 * 1024,
      },
      {
        name: 'configure',
        method: 'put',
        path: `${inst}/config`,
        valid: { channel: 'town-square', post_as_username: 'digest-bot', post_icon_url: 'https://example.com/i.png', timezone: 'Europe/Berlin' },
        stringFields: ['channel', 'post_as_username', 'post_icon_url', 'timezone'],
        auth: true,
        limitBytes: 256 * 1024,
      },
      {
        name: 'ingest signals',
        method: 'post',
        path: `${t}/signals`,
        valid: {
          signals: [
            { type: 'agent.execution.failed', subject: 'agent:a', source: 'ci', correlation_id: 'run-1', dedupe_key: 'd-1', payload: { error: 'boom' } },
          ],
        },
        stringFields: [
          'signals.0.type',
          'signals.0.subject',
          'signals.0.source',
          'signals.0.correlation_id',
          'signals.0.dedupe_key',
          'signals.0.payload.error',
        ],
        auth: true,
        limitBytes: 10 * 1024 * 1024,
      },
      { name: 'Run now', method: 'post', path: `${inst}/runs`, valid: {}, stringFields: [], auth: true, limitBytes: 256 * 1024 },
      { name: 'Retry', method: 'post', path: `${t}/executions/${h.failedExecutionId}/retry`, valid: {}, stringFields: [], auth: true, limitBytes: 256 * 1024 },
    ];
  });
  afterAll(async () => {
    console.log(`hostile bodies/queries/paths: ${tally.total} requests → ${tally.toString()}`);
    await admin?.end();
    await handle?.close();
  });

  const authed = (req: request.Test, e: { auth: boolean }) => (e.auth ? req.set('authorization', `Bearer ${h.tenant.tokens.owner}`) : req);

  async function sendRaw(e: Endpoint, body: string | Buffer, contentType?: string): Promise<Response> {
    let req = authed(request(app)[e.method](e.path), e);
    if (contentType !== undefined) req = req.set('content-type', contentType);
    const res = await req.send(body);
    tally.add(res);
    return res;
  }

  async function sendJson(e: Endpoint, body: unknown): Promise<Response> {
    return sendRaw(e, JSON.stringify(body), 'application/json');
  }

  async function expectRejectedWithoutWrites(label: string, attempt: () => Promise<void>) {
    const before = await fingerprint(admin, h.tenant);
    await attempt();
    expect({ label, state: await fingerprint(admin, h.tenant) }).toEqual({ label, state: before });
  }

  it('broken JSON, non-object JSON and JSON of the wrong shape', async () => {
    await expectRejectedWithoutWrites('shapes', async () => {
      for (const e of endpoints) {
        for (const raw of ['{"a":', '{"a":1,}', "{'a':1}", 'nul', 'null', '"text"', '42', 'true', '[]', '[{}]', '{"a":1}{"b":2}', 'NaN', '{"a":Infinity}']) {
          const res = await sendRaw(e, raw, 'application/json');
          expectClientError(res, `${e.name} ${raw}`);
        }
      }
    });
  });

  it('oversized bodies: 413 PAYLOAD_TOO_LARGE before any parsing or writing', async () => {
    await expectRejectedWithoutWrites('oversized', async () => {
      for (const e of endpoints) {
        const res = await sendRaw(e, JSON.stringify({ ...e.valid, pad: 'x'.repeat(e.limitBytes + 1024) }), 'application/json');
        expectClientError(res, e.name);
        expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
      }
    });
  });

  it('deeply nested JSON (arrays, objects, inside known fields, inside a signal payload)', async () => {
    await expectRejectedWithoutWrites('deep', async () => {
      for (const e of endpoints) {
        const depth = 20_000;
        for (const raw of ['['.repeat(depth) + ']'.repeat(depth), '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)]) {
          expectClientError(await sendRaw(e, raw, 'application/json'), `${e.name} deep`);
        }
        // 5 000 levels inside each known field (built as text: too deep for JSON.stringify here).
        const marker = '"__DEEP__"';
        const deepValue = '{"k":'.repeat(5_000) + '"leaf"' + '}'.repeat(5_000);
        for (const field of e.stringFields) {
          const raw = JSON.stringify(setPath(e.valid, field, '__DEEP__')).replace(marker, deepValue);
          expectClientError(await sendRaw(e, raw, 'application/json'), `${e.name} deep in ${field}`);
        }
      }
      // A signal payload nested deeper than the stored limit.
      const ingest = endpoints.find((e) => e.name === 'ingest signals')!;
      let payload: Record<string, unknown> = { leaf: true };
      for (let i = 0; i < 40; i++) payload = { k: payload };
      const res = await sendJson(ingest, setPath(ingest.valid, 'signals.0.payload', payload));
      expectClientError(res, 'deep payload');
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    });
  });

  it('wrong content types and charsets: 415 (a form post cannot reach a handler)', async () => {
    await expectRejectedWithoutWrites('content types', async () => {
      for (const e of endpoints) {
        const json = JSON.stringify(e.valid);
        for (const [contentType, body] of [
          ['text/plain', json],
          ['text/plain;charset=UTF-8', json],
          ['application/x-www-form-urlencoded', 'email=a%40b.c&password=x&name=x&role=owner'],
          ['multipart/form-data; boundary=XyZ', `--XyZ\r\nContent-Disposition: form-data; name="name"\r\n\r\nx\r\n--XyZ--\r\n`],
          ['application/xml', '<a>1</a>'],
          ['application/octet-stream', Buffer.from(json)],
          ['application/json; charset=latin1', json],
          ['application/json; charset=utf-7', json],
          ['application/jsonp', json],
          ['', json],
        ] as const) {
          const res = await sendRaw(e, body, contentType);
          expectClientError(res, `${e.name} as ${contentType || '(empty content type)'}`);
          if (e.auth && contentType !== 'application/json; charset=latin1' && contentType !== 'application/json; charset=utf-7')
            expect(res.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
        }
      }
    });
  });

  it('text Postgres cannot store (NUL, lone surrogates) in any string field or key: 400, nothing written', async () => {
    const unstorable = ['a\u0000b', '\u0000', 'x\ud800y', '\udfffz', 'ok\ud83d'];
    await expectRejectedWithoutWrites('unstorable text', async () => {
      for (const e of endpoints) {
        for (const field of e.stringFields) {
          for (const value of unstorable) {
            const res = await sendJson(e, setPath(e.valid, field, value));
            expectClientError(res, `${e.name}.${field} = ${JSON.stringify(value)}`);
          }
        }
        // Hostile keys, including the prototype's, on every endpoint (Run now and Retry take no body fields).
        for (const key of ['__proto__', 'constructor', 'prototype', 'a\u0000', '\ud800']) {
          const raw = JSON.stringify(e.valid)
            .replace(/^\{/, `{${JSON.stringify(key)}:{"role":"owner","polluted":true},`)
            .replace(/,\}$/, '}');
          expectClientError(await sendRaw(e, raw, 'application/json'), `${e.name} key ${JSON.stringify(key)}`);
        }
        // Invalid UTF-8 bytes in an unknown field.
        const json = Buffer.from(JSON.stringify(e.valid));
        const rest = json.length > 2 ? Buffer.concat([Buffer.from(','), json.subarray(1)]) : Buffer.from('}');
        expectClientError(
          await sendRaw(e, Buffer.concat([Buffer.from('{"x":"'), Buffer.from([0xff, 0xfe, 0xc0, 0x80]), Buffer.from('"'), rest]), 'application/json'),
          `${e.name} invalid utf-8`,
        );
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  });

  it('odd but storable text (BOM, RTL, zero-width, combining marks, emoji, markup, SQL, path tricks, overlong): never a 5xx; what is accepted is stored exactly', async () => {
    // A tenant of its own: some of these are legitimate values and get written.
    const other = await hostileTenant(handle);
    const odd = [
      '\ufeffbom',
      'ri\u202eght-to-left',
      'zero\u200bwidth',
      'e\u0301\u0301\u0301',
      '\u{1F4A9}'.repeat(10),
      '<script>alert(1)</script>',
      "'; drop table tenants; --",
      '../../etc/passwd',
      '%00%2e%2e',
      '\r\nX-Injected: 1',
      'a'.repeat(70_000),
    ];
    const mine = endpoints.map((e) => ({
      ...e,
      path: e.path
        .replace(h.tenant.slug, other.tenant.slug)
        .replace(h.installationId, other.installationId)
        .replace(h.failedExecutionId, other.failedExecutionId),
    }));
    const as = (req: request.Test, e: Endpoint) => (e.auth ? req.set('authorization', `Bearer ${other.tenant.tokens.owner}`) : req);
    for (const e of mine.filter((x) => x.name !== 'Run now' && x.name !== 'Retry')) {
      for (const field of e.stringFields) {
        for (const value of odd) {
          const res = await as(request(app)[e.method](e.path), e)
            .set('content-type', 'application/json')
            .send(JSON.stringify(setPath(e.valid, field, value)));
          tally.add(res);
          if (res.status >= 400) expectClientError(res, `${e.name}.${field} = ${JSON.stringify(value).slice(0, 40)}`);
          else if (e.name === 'create API token') expect(res.body.name).toBe(value.trim()); // stored as sent (names are trimmed)
        }
      }
    }
    const tokens = await request(app).get(`/api/tenants/${other.tenant.slug}/api-tokens`).set('authorization', `Bearer ${other.tenant.tokens.owner}`);
    const names = new Set(tokens.body.items.map((x: { name: string }) => x.name));
    for (const value of odd) if (value.trim().length <= 100) expect(names.has(value.trim())).toBe(true);
  });

  it('hostile query strings, cursors and path segments on the read endpoints', async () => {
    const t = `/api/tenants/${h.tenant.slug}`;
    const bad = ['%00', 'a%00b', '%ud800', '%E0%80%80', '%ZZ', 'x'.repeat(5_000), '-1', '1e309', '[]', '{}'];
    const cursors = [
      'not-base64!',
      Buffer.from('-200000-01-01T00:00:00.000Z|00000000-0000-4000-8000-000000000000').toString('base64url'),
      Buffer.from('+275760-09-13T00:00:00.000Z|00000000-0000-4000-8000-000000000000').toString('base64url'),
      Buffer.from('2025-01-01T00:00:00.000Z|00000000-0000-4000-8000-00000000000\u0000').toString('base64url'),
      Buffer.from('\u0000|\u0000').toString('base64url'),
    ];
    const urls: string[] = [];
    for (const list of ['directives', 'executions', 'signals']) {
      for (const v of bad) {
        for (const param of ['status', 'type', 'correlation_id', 'subject', 'source', 'installation_id', 'trigger', 'limit', 'cursor', 'unknown_param'])
          urls.push(`${t}/${list}?${param}=${v}`);
      }
      for (const c of cursors) urls.push(`${t}/${list}?cursor=${c}`);
      urls.push(`${t}/${list}?limit=1&limit=2`, `${t}/${list}?status[]=failed`, `${t}/${list}?status=failed&status=running`);
    }
    for (const v of [...bad, '%2F..%2F..', '..', 'not-a-uuid', '00000000-0000-0000-0000-000000000000%00']) {
      urls.push(
        `${t}/installations/${v}`,
        `${t}/installations/${v}/health`,
        `${t}/installations/${v}/schedule`,
        `${t}/installations/${v}/credential`,
        `${t}/executions/${v}`,
        `${t}/directives/${v}`,
        `${t}/timeline/${v}`,
        `/api/tenants/${v}/installations`,
        `/api/packages/${v}`,
      );
      urls.push(
        `${t}/installations/${h.installationId}/digest-preview?local_date=${v}`,
        `${t}/installations/${h.installationId}/digest-preview?window_end=${v}`,
      );
    }
    await expectRejectedWithoutWrites('reads', async () => {
      for (const url of urls) {
        const res = await request(app).get(url).set('authorization', `Bearer ${h.tenant.tokens.owner}`);
        tally.add(res);
        if (res.status >= 500) throw new Error(`GET ${url.slice(0, 200)} → ${res.status} ${res.text.slice(0, 200)}`);
        if (res.status >= 400) expectClientError(res, `GET ${url.slice(0, 120)}`);
      }
    });
  });

  it('hostile headers: malformed bearer tokens and cookies are 401, never 5xx', async () => {
    const e = endpoints.find((x) => x.name === 'create API token')!;
    for (const header of [
      'Bearer',
      'Bearer ',
      'Bearer fpk_' + 'a'.repeat(10_000),
      'Bearer fpk_\u00e9',
      'Basic dXNlcjpwYXNz',
      'Bearer a b',
      `Bearer ${h.tenant.tokens.owner}x`,
    ]) {
      const res = await request(app)
        .post(e.path)
        .set('content-type', 'application/json')
        .set('authorization', header)
        .send(JSON.stringify(e.valid))
        .catch((err: Error) => err);
      if (res instanceof Error) continue; // the HTTP client refused to send it: nothing to test
      tally.add(res);
      expectClientError(res, `authorization ${header.slice(0, 30)}`);
    }
    for (const cookie of ['fp_session=' + 'x'.repeat(8_000), 'fp_session=%00', 'fp_session=%E0%80', 'fp_session="unterminated', ';;;=;']) {
      const res = await request(app).get(`/api/tenants/${h.tenant.slug}/installations`).set('cookie', cookie);
      tally.add(res);
      expectClientError(res, `cookie ${cookie.slice(0, 30)}`);
    }
  });
});
