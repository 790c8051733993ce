// Signal ingest (POST /api/tenants/:tenant/signals), the signal list and the correlation timeline.
import { randomUUID } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';
import type { DbHandle } from '../../../lib/db/client';
import { withTenant } from '../../../lib/db/with-tenant';
import { emitSignals } from '../../../lib/signals/emit-signal';
import { SIGNAL_TYPES } from '../../../lib/signals/catalogue';
import { MAX_INGEST_BATCH } from '../../../api/routes/signals.schemas';
import { buildTestApp } from '../../helpers/app';
import { createTestTenant, testDb, type TestTenant } from '../../helpers/db';
import { signedInAgent } from '../../helpers/session';

const auth = (t: TestTenant, role: 'owner' | 'admin' | 'member' = 'owner') => ({ authorization: `Bearer ${t.tokens[role]}` });

describe('signal ingest', () => {
  let handle: DbHandle;
  let app: Express;
  let tenant: TestTenant;

  beforeAll(async () => {
    handle = testDb();
    app = buildTestApp({ db: handle.db });
    tenant = await createTestTenant(handle, 'ingest');
  });
  afterAll(() => handle.close());

  const ingest = (signals: unknown[], t = tenant, role: 'owner' | 'admin' | 'member' = 'owner') =>
    request(app).post(`/api/tenants/${t.slug}/signals`).set(auth(t, role)).send({ signals });

  it('stores a batch, reports accepted and duplicates, and is idempotent by dedupe key', async () => {
    const run = randomUUID();
    const batch = [
      {
        type: 'agent.execution.started',
        dedupe_key: `${run}:started`,
        correlation_id: `run:${run}`,
        subject: 'agent:triage',
        source: 'crm-bot',
        payload: { agent: 'triage' },
      },
      {
        type: 'agent.execution.completed',
        dedupe_key: `${run}:completed`,
        correlation_id: `run:${run}`,
        subject: 'agent:triage',
        source: 'crm-bot',
        payload: { agent: 'triage', cost_usd: 0.12, duration_ms: 5400 },
      },
      {
        type: 'workflow.run.failed',
        occurred_at: new Date(Date.now() - 3_600_000).toISOString(),
        payload: { workflow: 'nightly-sync', error_kind: 'network', error: 'upstream timed out' },
      },
    ];
    const first = await ingest(batch);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ received: 3, accepted: 3, duplicates: 0 });

    // Re-sending: the two keyed signals are duplicates; the unkeyed one is new again.
    const again = await ingest(batch);
    expect(again.body).toEqual({ received: 3, accepted: 1, duplicates: 2 });

    // The same key twice in one batch counts once.
    const twice = await ingest([
      { type: 'workflow.run.completed', dedupe_key: `${run}:wf` },
      { type: 'workflow.run.completed', dedupe_key: `${run}:wf` },
    ]);
    expect(twice.body).toEqual({ received: 2, accepted: 1, duplicates: 1 });

    const rows = await withTenant(handle.db, tenant.id, (tx) => tx.signal.findMany({ where: { correlationId: `run:${run}` }, orderBy: { type: 'asc' } }));
    expect(rows.map((r) => [r.type, r.source, r.dedupeKey])).toEqual([
      ['agent.execution.completed', 'ingest:crm-bot', `ingest:${run}:completed`],
      ['agent.execution.started', 'ingest:crm-bot', `ingest:${run}:started`],
    ]);
    expect(rows[0].payload).toEqual({ agent: 'triage', cost_usd: 0.12, duration_ms: 5400 });
  });

  it('cannot claim a dedupe key the platform uses (keys are namespaced), nor pass for a platform source', async () => {
    const key = `${randomUUID()}:package.requested`;
    await ingest([{ type: 'agent.execution.completed', dedupe_key: key, source: 'fleetprompt.api' }]).expect(200);
    const platform = await withTenant(handle.db, tenant.id, (tx) =>
      emitSignals(tx, [{ tenantId: tenant.id, type: SIGNAL_TYPES.packageInstallRequested, source: 'fleetprompt.api', dedupeKey: key }]),
    );
    expect(platform).toBe(1);
    const stored = await withTenant(handle.db, tenant.id, (tx) => tx.signal.findFirst({ where: { dedupeKey: `ingest:${key}` } }));
    expect(stored?.source).toBe('ingest:fleetprompt.api');
  });

  it('defaults the source to the reporting token and occurred_at to now', async () => {
    const key = randomUUID();
    await ingest([{ type: 'agent.execution.completed', dedupe_key: key }]).expect(200);
    const row = await withTenant(handle.db, tenant.id, (tx) => tx.signal.findFirstOrThrow({ where: { dedupeKey: `ingest:${key}` } }));
    expect(row.source).toMatch(/^ingest:token:[0-9a-f-]{36}$/);
    expect(Math.abs(row.occurredAt.getTime() - Date.now())).toBeLessThan(60_000);
  });

  it.each([
    ['a type outside agent.execution.* and workflow.run.*', { type: 'package.install.completed' }, 'signals.0.type'],
    ['an unknown type', { type: 'agent.execution.exploded' }, 'signals.0.type'],
    ['occurred_at 10 minutes ahead', { type: 'agent.execution.completed', occurred_at: new Date(Date.now() + 600_000).toISOString() }, 'signals.0.occurred_at'],
    [
      'occurred_at 31 days back',
      { type: 'agent.execution.completed', occurred_at: new Date(Date.now() - 31 * 86_400_000).toISOString() },
      'signals.0.occurred_at',
    ],
    ['occurred_at without a zone', { type: 'agent.execution.completed', occurred_at: '2025-01-01T10:00:00' }, 'signals.0.occurred_at'],
    ['an unknown field', { type: 'agent.execution.completed', tenant_id: randomUUID() }, 'signals.0'],
    ['a payload that is not an object', { type: 'agent.execution.completed', payload: [1, 2] }, 'signals.0.payload'],
    ['a payload over 16 KiB', { type: 'agent.execution.completed', payload: { blob: 'x'.repeat(17_000) } }, 'signals.0.payload'],
    ['a payload nested too deep', { type: 'agent.execution.completed', payload: JSON.parse(`${'{"a":'.repeat(20)}1${'}'.repeat(20)}`) }, 'signals.0.payload'],
  ])('refuses %s (400, naming the field, nothing stored)', async (_what, bad, path) => {
    const good = { type: 'agent.execution.completed', dedupe_key: randomUUID() };
    const res = await ingest([good, bad].reverse());
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details.map((d: { path: string }) => d.path).some((p: string) => p.startsWith(path))).toBe(true);
    const stored = await withTenant(handle.db, tenant.id, (tx) => tx.signal.count({ where: { dedupeKey: `ingest:${good.dedupe_key}` } }));
    expect(stored).toBe(0);
  });

  it(`takes up to ${MAX_INGEST_BATCH} signals per batch, and refuses ${MAX_INGEST_BATCH + 1} and an empty batch`, async () => {
    const run = randomUUID();
    const make = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ type: 'workflow.run.completed', dedupe_key: `${run}:${n}:${i}`, payload: { workflow: 'bulk', i } }));
    expect((await ingest(make(MAX_INGEST_BATCH))).body).toEqual({ received: MAX_INGEST_BATCH, accepted: MAX_INGEST_BATCH, duplicates: 0 });
    const over = await ingest(make(MAX_INGEST_BATCH + 1));
    expect(over.status).toBe(400);
    expect(over.body.error.details[0].path).toBe('signals');
    expect((await ingest([])).status).toBe(400);
  });

  it('wide batches sent concurrently and overlapping: every signal stored once, none lost', async () => {
    const run = randomUUID();
    const n = MAX_INGEST_BATCH;
    // Three batches of n keys each, shifted by n/2: 2n distinct keys, half of them sent twice.
    const batch = (from: number) =>
      Array.from({ length: n }, (_, i) => ({ type: 'agent.execution.completed', dedupe_key: `${run}:${from + i}`, payload: { cost_usd: 0.001, i: from + i } }));
    const results = await Promise.all([0, n / 2, n].map((from) => ingest(batch(from))));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(results.reduce((sum, r) => sum + r.body.accepted, 0)).toBe(2 * n);
    expect(results.reduce((sum, r) => sum + r.body.duplicates, 0)).toBe(n);
    const stored = await withTenant(handle.db, tenant.id, (tx) =>
      tx.$queryRawUnsafe<{ n: number; keys: number }[]>(
        `select count(*)::int as n, count(distinct dedupe_key)::int as keys from signals where dedupe_key like $1`,
        `ingest:${run}:%`,
      ),
    );
    expect(stored[0]).toEqual({ n: 2 * n, keys: 2 * n });
  });

  it('needs owner or admin (member 403, no login 401), and a session needs the CSRF token', async () => {
    expect((await ingest([{ type: 'agent.execution.completed' }], tenant, 'admin')).status).toBe(200);
    const member = await ingest([{ type: 'agent.execution.completed' }], tenant, 'member');
    expect(member.status).toBe(403);
    expect(
      (
        await request(app)
          .post(`/api/tenants/${tenant.slug}/signals`)
          .send({ signals: [{ type: 'agent.execution.completed' }] })
      ).status,
    ).toBe(401);
    const owner = await signedInAgent(app, handle, tenant, 'owner');
    const noCsrf = await owner.agent.post(`/api/tenants/${tenant.slug}/signals`).send({ signals: [{ type: 'agent.execution.completed' }] });
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.body.error.code).toBe('CSRF_FAILED');
    const withCsrf = await owner.agent
      .post(`/api/tenants/${tenant.slug}/signals`)
      .set('x-csrf-token', owner.csrfToken)
      .send({ signals: [{ type: 'agent.execution.completed' }] });
    expect(withCsrf.status).toBe(200);
  });

  it('another tenant cannot write into this one (404), and its signals stay its own', async () => {
    const other = await createTestTenant(handle, 'ingest-other');
    const res = await request(app)
      .post(`/api/tenants/${tenant.slug}/signals`)
      .set(auth(other))
      .send({ signals: [{ type: 'agent.execution.completed' }] });
    expect(res.status).toBe(404);
    const key = randomUUID();
    await ingest([{ type: 'agent.execution.completed', dedupe_key: key }], other).expect(200);
    const list = await request(app).get(`/api/tenants/${tenant.slug}/signals`).query({ limit: 200 }).set(auth(tenant, 'member'));
    expect(list.body.items.some((s: { dedupe_key: string }) => s.dedupe_key === `ingest:${key}`)).toBe(false);
  });
});

describe('signal list and timeline', () => {
  let handle: DbHandle;
  let app: Express;
  let tenant: TestTenant;

  beforeAll(async () => {
    handle = testDb();
    app = buildTestApp({ db: handle.db });
    tenant = await createTestTenant(handle, 'signals');
  });
  afterAll(() => handle.close());

  it('filters by type prefix, exact type, correlation id and subject, newest first, with a cursor', async () => {
    const corr = `run:${randomUUID()}`;
    const base = Date.now() - 600_000;
    const signals = Array.from({ length: 7 }, (_, i) => ({
      type: i % 2 ? 'agent.execution.completed' : 'workflow.run.completed',
      occurred_at: new Date(base + i * 1_000).toISOString(),
      correlation_id: corr,
      subject: i < 3 ? 'agent:a' : 'agent:b',
      payload: { i },
    }));
    await request(app).post(`/api/tenants/${tenant.slug}/signals`).set(auth(tenant)).send({ signals }).expect(200);

    const get = (query: Record<string, string | number>) => request(app).get(`/api/tenants/${tenant.slug}/signals`).query(query).set(auth(tenant, 'member'));
    const all = await get({ correlation_id: corr });
    expect(all.body.items.map((s: { payload: { i: number } }) => s.payload.i)).toEqual([6, 5, 4, 3, 2, 1, 0]);
    expect((await get({ correlation_id: corr, type: 'agent.' })).body.items).toHaveLength(3);
    expect((await get({ correlation_id: corr, type: 'agent.execution.completed' })).body.items).toHaveLength(3);
    expect((await get({ correlation_id: corr, type: 'agent.execution' })).body.items).toHaveLength(0); // exact type unless it ends in "."
    expect((await get({ correlation_id: corr, subject: 'agent:a' })).body.items).toHaveLength(3);

    const page1 = await get({ correlation_id: corr, limit: 4 });
    expect(page1.body.items).toHaveLength(4);
    const page2 = await get({ correlation_id: corr, limit: 4, cursor: page1.body.next_cursor });
    expect(page2.body.items.map((s: { payload: { i: number } }) => s.payload.i)).toEqual([2, 1, 0]);
    expect(page2.body.next_cursor).toBeNull();

    expect((await get({ limit: 0 })).status).toBe(400);
    expect((await get({ type: 'DROP TABLE' })).status).toBe(400);
    expect((await get({ cursor: 'nonsense' })).status).toBe(400);
  });

  it('the timeline merges directive, execution, logs and signals of one correlation id in time order', async () => {
    const corr = `dir:test:${randomUUID()}`;
    const t0 = Date.now() - 60_000;
    const installation = await withTenant(handle.db, tenant.id, (tx) =>
      tx.installation.create({
        data: { tenantId: tenant.id, packageSlug: `pkg-${randomUUID().slice(0, 6)}`, packageVersion: '1.0.0', status: 'installed', config: {} },
      }),
    );
    await withTenant(handle.db, tenant.id, async (tx) => {
      await tx.directive.create({
        data: {
          tenantId: tenant.id,
          type: 'package.install',
          params: {},
          idempotencyKey: corr,
          correlationId: corr,
          workflowId: corr,
          runId: 'run-1',
          status: 'completed',
          createdAt: new Date(t0),
        },
      });
      const e = await tx.execution.create({
        data: {
          tenantId: tenant.id,
          installationId: installation.id,
          kind: 'digest',
          trigger: 'manual',
          correlationId: corr,
          workflowId: `${corr}:wf`,
          status: 'failed',
          errorKind: 'auth',
          windowStart: new Date(t0 - 86_400_000),
          windowEnd: new Date(t0),
          createdAt: new Date(t0 + 2_000),
        },
      });
      await tx.executionLog.create({
        data: {
          tenantId: tenant.id,
          executionId: e.id,
          correlationId: corr,
          at: new Date(t0 + 3_000),
          level: 'error',
          message: 'Mattermost refused',
          data: {},
        },
      });
      await emitSignals(tx, [
        { tenantId: tenant.id, type: SIGNAL_TYPES.packageInstallRequested, source: 'test', correlationId: corr, occurredAt: new Date(t0 + 1_000) },
        {
          tenantId: tenant.id,
          type: SIGNAL_TYPES.messageFailed,
          source: 'test',
          correlationId: corr,
          occurredAt: new Date(t0 + 4_000),
          payload: { error_kind: 'auth' },
        },
      ]);
    });

    const res = await request(app)
      .get(`/api/tenants/${tenant.slug}/timeline/${encodeURIComponent(corr)}`)
      .set(auth(tenant, 'member'));
    expect(res.status).toBe(200);
    expect(res.body.events.map((e: { kind: string; title: string }) => `${e.kind}:${e.title}`)).toEqual([
      'directive:Directive package.install recorded',
      'signal:package.install.requested',
      'execution:Manual run requested',
      'log:Mattermost refused',
      'signal:mattermost.message.failed',
    ]);
    expect(res.body.directives[0].temporal_url).toBe(`http://127.0.0.1:8233/namespaces/default/workflows/${encodeURIComponent(corr)}/run-1/history`);
    expect(res.body.executions[0].temporal_url).toContain('/namespaces/default/workflows/');
    expect(res.body.executions[0].hint).toMatch(/Reconnect Mattermost/);
    expect(res.body.executions[0].logs).toHaveLength(1);

    const empty = await request(app).get(`/api/tenants/${tenant.slug}/timeline/nothing-here`).set(auth(tenant, 'member'));
    expect(empty.status).toBe(200);
    expect(empty.body.events).toEqual([]);

    const other = await createTestTenant(handle, 'signals-other');
    const cross = await request(app)
      .get(`/api/tenants/${other.slug}/timeline/${encodeURIComponent(corr)}`)
      .set(auth(other));
    expect(cross.body.events).toEqual([]);
  });
});
