// Replay: GET /signals in time order by range, type prefix and correlation id, with cursor pages
// that stay stable while signals keep arriving (also ones dated into the range already paged),
// or as one ndjson stream; and the digest preview of a past window, which posts and writes nothing.
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Client } from 'pg';
import { withTenant } from '../../../../lib/db/with-tenant';
import { emitSignals, type SignalInput } from '../../../../lib/signals/emit-signal';
import { SIGNAL_TYPES } from '../../../../lib/signals/catalogue';
import { adminClient, createTestTenant, type TestTenant } from '../../../../test/helpers/db';
import { auth, openDigestStack, postsWithMarker, waitForExecution, type DigestStack } from '../../../../test/helpers/digest-stack';
import { installedTenant } from '../helpers/installed-digest';

const MIN = 60_000;

interface SignalJson {
  id: string;
  type: string;
  occurred_at: string;
  correlation_id: string | null;
}

describe('signal replay', () => {
  let s: DigestStack;
  let admin: Client;
  beforeAll(async () => {
    s = await openDigestStack();
    admin = await adminClient();
  });
  afterAll(async () => {
    await admin.end();
    await s.close();
  });

  const emit = (tenant: TestTenant, inputs: Omit<SignalInput, 'tenantId' | 'source'>[]) =>
    withTenant(s.handle.db, tenant.id, (tx) =>
      emitSignals(
        tx,
        inputs.map((i) => ({ ...i, tenantId: tenant.id, source: 'test.replay' })),
      ),
    );
  const list = (tenant: TestTenant, query: Record<string, string | number>) =>
    request(s.app).get(`/api/tenants/${tenant.slug}/signals`).query(query).set(auth(tenant, 'member'));
  const byTime = (a: SignalJson, b: SignalJson) => a.occurred_at.localeCompare(b.occurred_at) || a.id.localeCompare(b.id);

  it('pages oldest first through a time range; pages stay stable while signals keep arriving', async () => {
    const tenant = await createTestTenant(s.handle, 'rpl');
    const base = Date.now() - 6 * 3_600_000;
    const at = (minutes: number) => new Date(base + minutes * MIN);
    // 30 signals, two per minute stamp (ties broken by id), plus one before and one after the range.
    await emit(
      tenant,
      Array.from({ length: 30 }, (_, i) => ({ type: SIGNAL_TYPES.agentExecutionCompleted, occurredAt: at(Math.floor(i / 2) + 1) })),
    );
    await emit(tenant, [
      { type: SIGNAL_TYPES.agentExecutionCompleted, occurredAt: at(-5) },
      { type: SIGNAL_TYPES.agentExecutionCompleted, occurredAt: at(100) },
    ]);
    const range = { from: at(0).toISOString(), to: at(60).toISOString(), order: 'asc', limit: 7 };

    const seen: SignalJson[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await list(tenant, { ...range, ...(cursor ? { cursor } : {}) });
      expect(res.status).toBe(200);
      seen.push(...(res.body.items as SignalJson[]));
      cursor = res.body.next_cursor;
      pages++;
      // Meanwhile, more signals arrive: dated into the part already paged, into the part still
      // ahead, and exactly at the last row's instant.
      const last = seen[seen.length - 1];
      await emit(tenant, [
        { type: SIGNAL_TYPES.agentExecutionFailed, occurredAt: at(1) },
        { type: SIGNAL_TYPES.agentExecutionFailed, occurredAt: at(14) },
        { type: SIGNAL_TYPES.agentExecutionFailed, occurredAt: new Date(last.occurred_at) },
      ]);
    } while (cursor && pages < 20);

    expect(pages).toBe(5); // 7+7+7+7+2
    expect(seen).toHaveLength(30);
    expect(new Set(seen.map((x) => x.id)).size).toBe(30);
    expect(seen.every((x) => x.type === 'agent.execution.completed')).toBe(true); // only the snapshot
    expect([...seen].sort(byTime)).toEqual(seen); // in time order

    // A new replay sees what arrived since.
    const fresh = await list(tenant, { ...range, limit: 200 });
    expect(fresh.body.items).toHaveLength(30 + 3 * pages);

    // Newest first pages the same snapshot backwards.
    const desc: SignalJson[] = [];
    cursor = null;
    do {
      const res = await list(tenant, { from: range.from, to: range.to, type: 'agent.execution.completed', limit: 8, ...(cursor ? { cursor } : {}) });
      desc.push(...res.body.items);
      cursor = res.body.next_cursor;
    } while (cursor);
    expect(desc.map((x) => x.id)).toEqual(seen.map((x) => x.id).reverse());
  });

  it('filters by type prefix and correlation id, streams ndjson in order, and refuses a foreign cursor', async () => {
    const tenant = await createTestTenant(s.handle, 'rpf');
    const corr = `corr:${randomUUID()}`;
    const t0 = Date.now() - 3_600_000;
    await emit(tenant, [
      { type: SIGNAL_TYPES.workflowRunStarted, occurredAt: new Date(t0), correlationId: corr },
      { type: SIGNAL_TYPES.agentExecutionCompleted, occurredAt: new Date(t0 + MIN), correlationId: corr },
      { type: SIGNAL_TYPES.workflowRunCompleted, occurredAt: new Date(t0 + 2 * MIN), correlationId: corr },
      { type: SIGNAL_TYPES.workflowRunFailed, occurredAt: new Date(t0 + 3 * MIN) },
    ]);
    const byPrefix = await list(tenant, { type: 'workflow.run.', order: 'asc' });
    expect(byPrefix.body.items.map((x: SignalJson) => x.type)).toEqual(['workflow.run.started', 'workflow.run.completed', 'workflow.run.failed']);
    const byCorrelation = await list(tenant, { correlation_id: corr, order: 'asc' });
    expect(byCorrelation.body.items.map((x: SignalJson) => x.type)).toEqual(['workflow.run.started', 'agent.execution.completed', 'workflow.run.completed']);

    // ndjson: the whole replay in one response, oldest first, read in batches of `limit`.
    await emit(
      tenant,
      Array.from({ length: 250 }, (_, i) => ({ type: SIGNAL_TYPES.agentExecutionCompleted, occurredAt: new Date(t0 - (i + 1) * 1000) })),
    );
    const stream = await list(tenant, { format: 'ndjson', order: 'asc', limit: 100 })
      .buffer(true)
      .parse((res, done) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => done(null, text));
      });
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toMatch(/application\/x-ndjson/);
    const lines = (stream.body as string)
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as SignalJson);
    expect(lines).toHaveLength(254);
    expect([...lines].sort(byTime)).toEqual(lines);

    const page = await list(tenant, { order: 'asc', limit: 2 });
    const wrongOrder = await list(tenant, { order: 'desc', cursor: page.body.next_cursor });
    expect(wrongOrder.status).toBe(400);
    expect((await list(tenant, { cursor: 'bm90LWEtY3Vyc29y' })).status).toBe(400);
    expect((await list(tenant, { from: new Date().toISOString(), to: new Date(Date.now() - MIN).toISOString() })).status).toBe(400);

    // Another tenant's token sees none of it.
    const other = await createTestTenant(s.handle, 'rpo');
    const foreign = await request(s.app).get(`/api/tenants/${other.slug}/signals`).query({ correlation_id: corr }).set(auth(other, 'member'));
    expect(foreign.body.items).toEqual([]);
  });

  it('previews the digest of a past window exactly as the run posted it, posting and writing nothing', async () => {
    s.fake.reset();
    const { tenant, installationId } = await installedTenant(s, { config: { timezone: 'Europe/Berlin', schedule_time: '08:00' } });
    await emit(tenant, [
      { type: SIGNAL_TYPES.agentExecutionCompleted, occurredAt: new Date(Date.now() - 2 * 3_600_000), payload: { cost_usd: 0.5 } },
      {
        type: SIGNAL_TYPES.agentExecutionFailed,
        occurredAt: new Date(Date.now() - 3_600_000),
        subject: 'agent:triage',
        payload: { error_kind: 'network', error: 'upstream timed out' },
      },
    ]);
    const run = await request(s.app).post(`/api/tenants/${tenant.slug}/installations/${installationId}/runs`).set(auth(tenant)).send({});
    const execution = await waitForExecution(s, tenant, run.body.execution.id);
    expect(execution.status).toBe('succeeded');
    const [posted] = postsWithMarker(s.fake);

    const counts = async () =>
      (
        await admin.query(
          `select (select count(*) from signals where tenant_id = $1)::int as signals, (select count(*) from outbound_messages where tenant_id = $1)::int as ledger,
                  (select count(*) from executions where tenant_id = $1)::int as executions, (select count(*) from execution_logs where tenant_id = $1)::int as logs`,
          [tenant.id],
        )
      ).rows[0];
    const before = await counts();
    const preview = (query: Record<string, string>) =>
      request(s.app).get(`/api/tenants/${tenant.slug}/installations/${installationId}/digest-preview`).query(query).set(auth(tenant, 'member'));

    const replay = await preview({ execution_id: execution.id });
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({
      preview: true,
      posted: false,
      correlation_id: execution.correlationId,
      window_start: execution.windowStart.toISOString(),
      window_end: execution.windowEnd.toISOString(),
    });
    expect(replay.body.text).toBe(posted.text);

    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const scheduled = await preview({ local_date: yesterday });
    expect(scheduled.status).toBe(200);
    expect(scheduled.body.correlation_id).toBe(`digest:${tenant.id}:${yesterday}:default`);
    expect(Date.parse(scheduled.body.window_end) - Date.parse(scheduled.body.window_start)).toBeGreaterThanOrEqual(23 * 3_600_000);

    const range = await preview({ window_end: new Date().toISOString().replace(/\.\d+Z$/, 'Z') });
    expect(range.status).toBe(200);
    expect(range.body.text).toContain('Agent executions: 1 completed · **1 failed**');

    const outside = await preview({ window_end: new Date(Date.now() - 31 * 86_400_000).toISOString() });
    expect(outside.status).toBe(400);
    expect(outside.body.error.message).toMatch(/outside signal retention \(30 days\)/);
    expect((await preview({ window_end: new Date(Date.now() + 3_600_000).toISOString() })).status).toBe(400);
    expect((await preview({ local_date: '2026-02-30' })).status).toBe(400);

    expect(await counts()).toEqual(before);
    expect(postsWithMarker(s.fake)).toHaveLength(1);

    const other = await installedTenant(s, { connect: false });
    const cross = await request(s.app).get(`/api/tenants/${other.tenant.slug}/installations/${installationId}/digest-preview`).set(auth(other.tenant));
    expect(cross.status).toBe(404);
  });
});
