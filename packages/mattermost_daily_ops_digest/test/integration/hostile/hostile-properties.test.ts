// Property-based hostile input (fast-check):
//   1. the digest config schema: never throws, accepts exactly the documented shapes, and what it
//      accepts is stable (parsing the stored form again changes nothing);
//   2. every API body: arbitrary JSON and one-field mutations of a valid body that the route's
//      own schema refuses get a 4xx with a stable code — never a 5xx — and write nothing;
//   3. signal payloads through the ingest API: whatever is accepted is stored and read back
//      exactly; whatever is refused is a 400 VALIDATION_FAILED and nothing of the batch is stored.
import fc from 'fast-check';
import request, { type Response } from 'supertest';
import type { Client } from 'pg';
import type { Express } from 'express';
import type { z } from 'zod';
import { ZCreateApiTokenBody } from '../../../../../api/routes/api-tokens.schemas';
import { ZLoginBody } from '../../../../../api/routes/auth.schemas';
import { ZConnectCredentialBody } from '../../../../../api/routes/connection.schemas';
import { ZConfigBody } from '../../../routes/installation-digest.schemas';
import { ZEmptyBody, ZInstallBody } from '../../../../../api/routes/installations.schemas';
import { ZIngestBody } from '../../../../../api/routes/signals.schemas';
import { findUnstorableText } from '../../../../../api/middleware/storable-text';
import type { DbHandle } from '../../../../../lib/db/client';
import { withTenant } from '../../../../../lib/db/with-tenant';
import { DEFAULT_DIGEST_CONFIG, storedDigestConfig, ZDigestConfig, ZDigestConfigPatch } from '../../../config';
import { isValidHHMM } from '../../../../../lib/schedule/hhmm';
import { assertJsonSafePayload } from '../../../../../lib/signals/json-safe';
import { buildTestApp } from '../../../../../test/helpers/app';
import { adminClient, testDb } from '../../../../../test/helpers/db';
import { expectClientError, fingerprint, hostileTenant, Tally, type HostileTenant } from '../../../../../test/integration/hostile/hostile-support';

jest.setTimeout(180_000);

const RUNS = Number(process.env.HOSTILE_RUNS ?? 40);

// Values that break naive code: unicode edge cases (lone surrogates, NUL, RTL, BOM), numbers at
// the edges, wrong types, deep and wide containers.
const edgeStrings = fc.constantFrom(
  '',
  ' ',
  '\u0000',
  'a\u0000',
  '\ud800',
  '\udc00x',
  '\ufeff',
  '\u202e',
  '\u200b',
  'null',
  'undefined',
  '__proto__',
  'constructor',
  '0',
  '-1',
  '1e309',
  'NaN',
  '07:30',
  '24:00',
  '7:30',
  'UTC',
  'Europe/Berlin',
  'europe/berlin',
  'Mars/Olympus',
  'town-square',
  'Town Square',
  'x'.repeat(65),
  'x'.repeat(2049),
  'http://169.254.169.254/hooks/abc',
  'javascript:alert(1)',
  'owner',
  'admin',
  'member',
  'webhook',
  'pat',
);
const anyString = fc.oneof(fc.string({ unit: 'binary', maxLength: 80 }), fc.string({ unit: 'grapheme', maxLength: 40 }), edgeStrings);
const edgeNumbers = fc.constantFrom(0, -0, 1, -1, 4, 5, 200, 201, 2 ** 31, -(2 ** 53), Number.MAX_SAFE_INTEGER + 2, 1.5, 1e308);
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: anyString },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: edgeNumbers },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}, [[]], { '': '' }) },
);

/** A valid body with one field (known or not) replaced, added or removed. */
function mutate(valid: Record<string, unknown>): fc.Arbitrary<unknown> {
  const keys = Object.keys(valid);
  return fc.oneof(
    fc.record({ key: keys.length > 0 ? fc.constantFrom(...keys) : anyString, value: hostileValue }).map(({ key, value }) => ({ ...valid, [key]: value })),
    fc.record({ key: anyString, value: hostileValue }).map(({ key, value }) => ({ ...valid, [key]: value })),
    keys.length > 0 ? fc.constantFrom(...keys).map((key) => Object.fromEntries(Object.entries(valid).filter(([k]) => k !== key))) : fc.constant({ extra: 1 }),
  );
}

const anyBody: fc.Arbitrary<unknown> = fc.oneof(fc.jsonValue({ maxDepth: 4 }), fc.dictionary(anyString, hostileValue, { maxKeys: 6 }));

/** What the route's own schema accepts after the JSON round trip the body takes. */
function accepts(schema: z.ZodType, body: unknown): boolean {
  const text = JSON.stringify(body);
  if (text === undefined) return false;
  return schema.safeParse(JSON.parse(text)).success;
}

describe('config schema properties', () => {
  const zones = fc.constantFrom(
    'UTC',
    'Europe/Berlin',
    'America/New_York',
    'Asia/Kolkata',
    'Australia/Lord_Howe',
    'europe/berlin',
    'EST5EDT',
    'Etc/GMT+12',
    'Mars/Olympus',
    '',
    'UTC+1',
    '../../etc',
    'Europe/Berlin\u0000',
  );
  const configLike = fc.record(
    {
      timezone: fc.oneof(zones, anyString),
      schedule_time: fc.oneof(
        fc
          .tuple(fc.integer({ min: -1, max: 25 }), fc.integer({ min: -1, max: 61 }))
          .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`),
        anyString,
      ),
      enabled: fc.oneof(fc.boolean(), hostileValue),
      channel: fc.oneof(fc.constantFrom('town-square', 'ops', 'a', 'a-', '-a', 'a__b', 'A', null), anyString),
      max_lines: fc.oneof(fc.integer({ min: 0, max: 250 }), edgeNumbers, hostileValue),
      include_llm_summary: fc.oneof(fc.boolean(), hostileValue),
      include_cost_estimates: fc.boolean(),
      post_as_username: fc.oneof(fc.constantFrom('digest-bot', 'a.b_c-d', null), anyString),
      post_icon_url: fc.oneof(fc.constantFrom('https://example.com/i.png', 'http://x/y', 'ftp://x/y', 'javascript:alert(1)', null), anyString),
      mattermost_credential_id: fc.oneof(fc.uuid(), fc.constant(null), anyString),
      llm_monthly_budget_usd: fc.oneof(fc.double({ min: -10, max: 20_000, noNaN: false }), fc.constant(null), edgeNumbers, hostileValue),
      llm_max_tokens_per_run: fc.oneof(fc.integer({ min: 0, max: 300_000 }), fc.constant(null), edgeNumbers, hostileValue),
    },
    { requiredKeys: [] },
  );

  it('never throws; whatever it accepts is a complete valid config that parses to itself', () => {
    fc.assert(
      fc.property(fc.oneof(configLike, anyBody), (patch) => {
        const parsed = ZDigestConfigPatch.safeParse(patch);
        if (!parsed.success) return;
        const stored = storedDigestConfig(parsed.data);
        expect(ZDigestConfig.parse(stored)).toEqual(stored);
        expect(storedDigestConfig(JSON.parse(JSON.stringify(stored)))).toEqual(stored);
        expect(findUnstorableText(stored, 'config')).toBeUndefined();
      }),
      { numRuns: 2_000 },
    );
  });

  it('schedule_time is exactly zero-padded 24-hour HH:MM', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc
            .tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }))
            .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`),
          anyString,
        ),
        (value) => {
          const ok = ZDigestConfigPatch.safeParse({ schedule_time: value }).success;
          const m = /^(\d\d):(\d\d)$/.exec(value);
          expect(ok).toBe(Boolean(m && Number(m[1]) < 24 && Number(m[2]) < 60));
          expect(ok).toBe(isValidHHMM(value));
        },
      ),
      { numRuns: 1_000 },
    );
  });

  it('refuses unknown keys, wrong types and every value outside its range', () => {
    fc.assert(
      fc.property(fc.constantFrom(...(Object.keys(DEFAULT_DIGEST_CONFIG) as (keyof typeof DEFAULT_DIGEST_CONFIG)[])), hostileValue, (key, value) => {
        const parsed = ZDigestConfigPatch.safeParse({ [key]: value });
        if (parsed.success) {
          // Accepted values have the field's type.
          const v = (parsed.data as Record<string, unknown>)[key];
          const expected = typeof DEFAULT_DIGEST_CONFIG[key];
          // Nullable fields default to null: the LLM cost caps are numbers, the others strings.
          const nullableNumber = key === 'llm_monthly_budget_usd' || key === 'llm_max_tokens_per_run';
          if (v !== null) expect(typeof v).toBe(nullableNumber ? 'number' : expected === 'object' ? 'string' : expected);
          if (key === 'max_lines') expect(Number.isInteger(v) && (v as number) >= 5 && (v as number) <= 200).toBe(true);
          if (key === 'llm_monthly_budget_usd' && v !== null) expect(Number.isFinite(v) && (v as number) >= 0 && (v as number) <= 10_000).toBe(true);
          if (key === 'llm_max_tokens_per_run' && v !== null) expect(Number.isInteger(v) && (v as number) >= 500 && (v as number) <= 200_000).toBe(true);
        }
        expect(ZDigestConfigPatch.safeParse({ [key]: DEFAULT_DIGEST_CONFIG[key], unknown_key: value }).success).toBe(false);
      }),
      { numRuns: 1_000 },
    );
  });
});

describe('API bodies and signal payloads (property-based, through the real app)', () => {
  let handle: DbHandle;
  let admin: Client;
  let app: Express;
  let h: HostileTenant;
  const tally = new Tally();

  beforeAll(async () => {
    handle = testDb();
    admin = await adminClient();
    app = buildTestApp({ db: handle.db });
    h = await hostileTenant(handle);
  });
  afterAll(async () => {
    console.log(`hostile properties: ${tally.total} requests → ${tally.toString()}`);
    await admin?.end();
    await handle?.close();
  });

  async function send(method: 'post' | 'put', path: string, body: unknown, authed = true): Promise<Response> {
    let req = request(app)[method](path).set('content-type', 'application/json');
    if (authed) req = req.set('authorization', `Bearer ${h.tenant.tokens.owner}`);
    const res = await req.send(JSON.stringify(body) ?? 'null');
    tally.add(res);
    return res;
  }

  const routes = () => {
    const t = `/api/tenants/${h.tenant.slug}`;
    const inst = `${t}/installations/${h.installationId}`;
    const installAccepts = (b: unknown) =>
      accepts(ZInstallBody, b) && accepts(ZDigestConfigPatch, (JSON.parse(JSON.stringify(b)) as { config?: unknown }).config ?? {});
    return [
      {
        name: 'sign in',
        method: 'post' as const,
        path: '/api/auth/login',
        authed: false,
        valid: { email: 'a@example.test', password: 'x' },
        ok: (b: unknown) => accepts(ZLoginBody, b),
      },
      {
        name: 'create API token',
        method: 'post' as const,
        path: `${t}/api-tokens`,
        authed: true,
        valid: { name: 'ci', role: 'member' },
        ok: (b: unknown) => accepts(ZCreateApiTokenBody, b),
      },
      {
        name: 'install',
        method: 'post' as const,
        path: `${t}/installations`,
        authed: true,
        valid: { package_slug: 'mattermost_daily_ops_digest', config: { timezone: 'UTC' } },
        ok: installAccepts,
      },
      {
        name: 'install config',
        method: 'post' as const,
        path: `${t}/installations`,
        authed: true,
        valid: { timezone: 'UTC', schedule_time: '07:30', channel: 'ops', max_lines: 40 },
        wrap: (config: unknown) => ({ package_slug: 'mattermost_daily_ops_digest', config }),
        ok: installAccepts,
      },
      {
        name: 'connect Mattermost (webhook)',
        method: 'put' as const,
        path: `${inst}/credential`,
        authed: true,
        valid: { kind: 'webhook', webhook_url: 'http://127.0.0.1:9/hooks/abcdefghijklmnopqrstuvwxyz', verify: 'dry_run' },
        ok: (b: unknown) => accepts(ZConnectCredentialBody, b),
      },
      {
        name: 'connect Mattermost (token)',
        method: 'put' as const,
        path: `${inst}/credential`,
        authed: true,
        valid: { kind: 'pat', base_url: 'http://127.0.0.1:9', token: 'abcdefghijklmnopqrstuvwxyz', team: 'fleet' },
        ok: (b: unknown) => accepts(ZConnectCredentialBody, b),
      },
      {
        name: 'configure',
        method: 'put' as const,
        path: `${inst}/config`,
        authed: true,
        valid: { channel: 'ops', max_lines: 40, timezone: 'Europe/Berlin' },
        ok: (b: unknown) => accepts(ZConfigBody, b),
      },
      { name: 'Run now', method: 'post' as const, path: `${inst}/runs`, authed: true, valid: {}, ok: (b: unknown) => accepts(ZEmptyBody, b) },
      {
        name: 'Retry',
        method: 'post' as const,
        path: `${t}/executions/${h.failedExecutionId}/retry`,
        authed: true,
        valid: {},
        ok: (b: unknown) => accepts(ZEmptyBody, b),
      },
      {
        name: 'ingest signals',
        method: 'post' as const,
        path: `${t}/signals`,
        authed: true,
        valid: { signals: [{ type: 'agent.execution.failed', payload: {} }] },
        ok: (b: unknown) => accepts(ZIngestBody, b),
      },
    ];
  };

  it('a body the route’s schema refuses gets a 4xx with a stable code, never a 5xx, and writes nothing', async () => {
    const before = await fingerprint(admin, h.tenant);
    for (const route of routes()) {
      const wrap = (route as { wrap?: (x: unknown) => unknown }).wrap ?? ((x: unknown) => x);
      await fc.assert(
        fc.asyncProperty(fc.oneof(mutate(route.valid), anyBody), async (raw) => {
          const body = wrap(raw);
          fc.pre(!route.ok(body)); // only bad input here; valid input would (rightly) act
          const res = await send(route.method, route.path, body, route.authed);
          expectClientError(res, `${route.name} ${JSON.stringify(body)?.slice(0, 200)}`);
        }),
        { numRuns: RUNS, maxSkipsPerRun: 50 },
      );
    }
    expect(await fingerprint(admin, h.tenant)).toEqual(before);
  });

  it('signal payloads: what is accepted reads back exactly; what is refused is a 400 and stores nothing of the batch', async () => {
    const key = fc.oneof(fc.string({ unit: 'binary', maxLength: 12 }), fc.constantFrom('__proto__', 'constructor', '', 'a.b', '$where'));
    const payload = fc.oneof(
      fc.dictionary(key, fc.jsonValue({ maxDepth: 4 }), { maxKeys: 8 }),
      fc.dictionary(key, fc.oneof(anyString, edgeNumbers, fc.constant(null)), { maxKeys: 8 }),
      fc.integer({ min: 10, max: 40 }).map((depth) => {
        let v: Record<string, unknown> = { leaf: 1 };
        for (let i = 0; i < depth; i++) v = { k: v };
        return v;
      }),
      fc.integer({ min: 15_000, max: 20_000 }).map((n) => ({ big: 'x'.repeat(n) })),
    );
    const signal = fc.record({
      type: fc.oneof(
        fc.constantFrom('agent.execution.started', 'agent.execution.failed', 'workflow.run.completed'),
        fc.constantFrom('package.install.completed', 'mattermost.message.posted', 'agent.execution.', 'x'),
        anyString,
      ),
      subject: fc.option(anyString, { nil: undefined }),
      source: fc.option(fc.oneof(fc.constantFrom('ci', 'fleetprompt.digest', 'a/b:c'), anyString), { nil: undefined }),
      payload,
    });
    let n = 0;
    await fc.assert(
      fc.asyncProperty(signal, async (s) => {
        const correlationId = `prop-${h.tenant.id.slice(0, 8)}-${n++}`;
        const body = JSON.parse(JSON.stringify({ signals: [{ ...s, correlation_id: correlationId }] }));
        let valid = ZIngestBody.safeParse(body).success && findUnstorableText(body, 'body') === undefined;
        if (valid) {
          try {
            assertJsonSafePayload(body.signals[0].payload);
          } catch {
            valid = false;
          }
        }
        const res = await send('post', `/api/tenants/${h.tenant.slug}/signals`, body);
        const stored = await withTenant(handle.db, h.tenant.id, (tx) => tx.signal.findMany({ where: { correlationId } }));
        if (valid) {
          expect(res.status).toBe(200);
          expect(res.body).toEqual({ received: 1, accepted: 1, duplicates: 0 });
          expect(stored).toHaveLength(1);
          expect(stored[0].payload).toEqual(body.signals[0].payload);
          expect(stored[0].subject).toBe(body.signals[0].subject ?? null);
          const listed = await request(app)
            .get(`/api/tenants/${h.tenant.slug}/signals`)
            .query({ correlation_id: correlationId })
            .set('authorization', `Bearer ${h.tenant.tokens.owner}`);
          expect(listed.body.items[0].payload).toEqual(body.signals[0].payload);
        } else {
          expectClientError(res, `signal ${JSON.stringify(body).slice(0, 200)}`);
          expect(res.body.error.code).toBe('VALIDATION_FAILED');
          expect(stored).toHaveLength(0);
        }
      }),
      { numRuns: RUNS * 3 },
    );
  });
});
