// Load through the real API (supertest → Express → Postgres → Temporal → the worker → the
// Mattermost fake):
//   - 200 concurrent Run-now requests across 50 tenants (4 each; the limit is 3 per hour):
//     exactly 150 accepted and 50 refused with 429 + Retry-After, no 5xx, 150 runs that all post,
//     150 messages with 150 distinct dedupe markers;
//   - 100 concurrent identical installs: one installation, one directive, one workflow, no 5xx.
// Then the canary scan over everything this load wrote. Figures (wall time, p50/p95 latency,
// counts) are printed as one JSON line.
import request from 'supertest';
import { Client } from 'pg';
import { withTenant } from '../../../../lib/db/with-tenant';
import { createLogger } from '../../../../lib/log/logger';
import { DIGEST_PACKAGE_SLUG } from '../../definition';
import {
  describeHits,
  dumpDatabase,
  makeCanary,
  memoryStream,
  scanForCanaries,
  temporalSources,
  type Canary,
  type ScanSource,
} from '../../../../test/helpers/canary';
import { createTestTenant, waitFor, type TestTenant } from '../../../../test/helpers/db';
import { openFaultStack, type FaultStack } from '../../../../test/integration/reliability/fault-stack';
import { markerOf } from '../../../../test/integration/reliability/run-verdict';

jest.setTimeout(240_000);

const auth = (tenant: TestTenant) => ({ authorization: `Bearer ${tenant.tokens.owner}` });

const TENANTS = 50;
const REQUESTS_PER_TENANT = 4;
const LIMIT = 3;
const INSTALLS = 100;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

describe('load: concurrent Run now across tenants, concurrent identical installs', () => {
  let s: FaultStack;
  let admin: Client;
  const appLogs = memoryStream();
  const canaries: Canary[] = [];
  const responses: ScanSource[] = [];
  const figures: Record<string, unknown> = {};
  const tenants: { tenant: TestTenant; installationId: string }[] = [];

  beforeAll(async () => {
    const logger = createLogger({ level: 'info', destination: appLogs.stream });
    // Its own Postgres, Temporal and worker process, so the API (this process) and the worker
    // have separate CPUs and pools as in production, and nothing else competes for them.
    s = await openFaultStack({ logger, runNowLimitPerHour: LIMIT });
    admin = new Client({ connectionString: s.ownerUrl });
    await admin.connect();
  }, 180_000);
  afterAll(async () => {
    console.log(`load figures ${JSON.stringify(figures)}`);
    await admin?.end();
    await s?.close();
  });

  const record = (name: string, res: request.Response) =>
    responses.push({ name, text: JSON.stringify({ status: res.status, headers: res.headers, body: res.text }) });

  const quietScheduleTime = () => `${String(new Date(Date.now() + 12 * 3_600_000).getUTCHours()).padStart(2, '0')}:00`;

  async function installConnected(): Promise<{ tenant: TestTenant; installationId: string }> {
    const tenant = await createTestTenant(s.handle, 'ld');
    const res = await request(s.app)
      .post(`/api/tenants/${tenant.slug}/installations`)
      .set(auth(tenant))
      .send({ package_slug: DIGEST_PACKAGE_SLUG, config: { timezone: 'UTC', schedule_time: quietScheduleTime() } });
    expect(res.status).toBe(202);
    const installationId = res.body.installation.id as string;
    await waitFor(
      async () => (await withTenant(s.handle.db, tenant.id, (tx) => tx.installation.findUnique({ where: { id: installationId } })))?.status === 'installed',
      60_000,
      200,
    );
    const hookId = makeCanary('cnryhook');
    canaries.push({ name: `hook id (${tenant.slug})`, value: hookId });
    s.fake.createHook({ channel: 'town-square', id: hookId });
    const connected = await request(s.app)
      .put(`/api/tenants/${tenant.slug}/installations/${installationId}/credential`)
      .set(auth(tenant))
      .send({ kind: 'webhook', webhook_url: s.fake.hookUrl(hookId), verify: 'dry_run' });
    expect(connected.status).toBe(200);
    return { tenant, installationId };
  }

  it(`${TENANTS * REQUESTS_PER_TENANT} concurrent Run-now requests across ${TENANTS} tenants: exactly ${LIMIT} accepted per tenant, the rest 429, no 5xx, one message per run`, async () => {
    const setupStart = Date.now();
    for (let i = 0; i < TENANTS; i += 10) tenants.push(...(await Promise.all(Array.from({ length: Math.min(10, TENANTS - i) }, installConnected))));
    figures.setup_ms = Date.now() - setupStart;
    s.fake.reset();

    // Every request at once, interleaved across tenants.
    const jobs = tenants.flatMap((t) => Array.from({ length: REQUESTS_PER_TENANT }, () => t)).sort(() => Math.random() - 0.5);
    const started = Date.now();
    const results = await Promise.all(
      jobs.map(async (t) => {
        const t0 = Date.now();
        const res = await request(s.app).post(`/api/tenants/${t.tenant.slug}/installations/${t.installationId}/runs`).set(auth(t.tenant)).send({});
        const ms = Date.now() - t0;
        record(`api:POST runs ${t.tenant.slug} -> ${res.status}`, res);
        return { t, res, ms };
      }),
    );
    figures.run_now_wall_ms = Date.now() - started;
    const latencies = results.map((r) => r.ms);
    figures.run_now_latency_ms = { p50: percentile(latencies, 50), p95: percentile(latencies, 95), max: Math.max(...latencies) };
    for (const status of [202, 429]) {
      const of = results.filter((r) => r.res.status === status).map((r) => r.ms);
      if (of.length > 0) figures[`run_now_latency_ms_${status}`] = { p50: percentile(of, 50), p95: percentile(of, 95) };
    }
    const byStatus: Record<number, number> = {};
    for (const r of results) byStatus[r.res.status] = (byStatus[r.res.status] ?? 0) + 1;
    figures.run_now_statuses = byStatus;

    expect(results.filter((r) => r.res.status >= 500).map((r) => r.res.body)).toEqual([]);
    expect(byStatus).toEqual({ 202: TENANTS * LIMIT, 429: TENANTS * (REQUESTS_PER_TENANT - LIMIT) });
    for (const t of tenants) {
      const mine = results.filter((r) => r.t === t);
      expect(mine.filter((r) => r.res.status === 202)).toHaveLength(LIMIT);
      const refused = mine.filter((r) => r.res.status === 429);
      expect(refused).toHaveLength(REQUESTS_PER_TENANT - LIMIT);
      for (const r of refused) {
        expect(r.res.body.error.code).toBe('RATE_LIMITED');
        expect(Number(r.res.headers['retry-after'])).toBeGreaterThan(3_000); // about an hour
      }
      const quotas = mine
        .filter((r) => r.res.status === 202)
        .map((r) => r.res.body.run_quota.remaining as number)
        .sort();
      expect(quotas).toEqual([0, 1, 2]);
    }

    // Every accepted run finishes and posts exactly once.
    const accepted = results.filter((r) => r.res.status === 202).map((r) => ({ t: r.t, id: r.res.body.execution.id as string }));
    const runsStart = Date.now();
    const ids = accepted.map((a) => a.id);
    const finished = await waitFor(
      async () => {
        const rows = await admin.query<{ id: string; status: string; dedupe_key: string }>(
          `select id::text, status::text, dedupe_key from executions where id = any($1::uuid[])`,
          [ids],
        );
        return rows.rows.length === ids.length && rows.rows.every((r) => ['succeeded', 'failed', 'skipped'].includes(r.status)) ? rows.rows : undefined;
      },
      150_000,
      500,
    );
    figures.runs_drain_ms = Date.now() - runsStart;
    const runStatuses: Record<string, number> = {};
    for (const r of finished) runStatuses[r.status] = (runStatuses[r.status] ?? 0) + 1;
    figures.run_statuses = runStatuses;
    expect(runStatuses).toEqual({ succeeded: TENANTS * LIMIT });

    const posts = s.fake.received();
    const markers = posts.map((p) => p.props.fleetprompt_dedupe as string);
    figures.messages = posts.length;
    figures.distinct_markers = new Set(markers).size;
    expect(posts).toHaveLength(TENANTS * LIMIT);
    expect(new Set(markers).size).toBe(TENANTS * LIMIT);
    expect(new Set(finished.map((r) => markerOf(r.dedupe_key)))).toEqual(new Set(markers));
    // Each tenant's three messages went through its own hook.
    const ledger = await admin.query<{ n: string }>(
      `select count(*)::text as n from outbound_messages where execution_id = any($1::uuid[]) and status = 'posted'`,
      [ids],
    );
    expect(Number(ledger.rows[0].n)).toBe(TENANTS * LIMIT);
  });

  it(`${INSTALLS} concurrent identical installs: one installation, one directive, one workflow, no 5xx`, async () => {
    const tenant = await createTestTenant(s.handle, 'ld');
    const body = { package_slug: DIGEST_PACKAGE_SLUG, config: { timezone: 'Europe/Berlin', schedule_time: quietScheduleTime() } };
    const started = Date.now();
    const results = await Promise.all(
      Array.from({ length: INSTALLS }, async () => {
        const t0 = Date.now();
        const res = await request(s.app).post(`/api/tenants/${tenant.slug}/installations`).set(auth(tenant)).send(body);
        record(`api:POST installations ${tenant.slug} -> ${res.status}`, res);
        return { res, ms: Date.now() - t0 };
      }),
    );
    figures.install_wall_ms = Date.now() - started;
    const latencies = results.map((r) => r.ms);
    figures.install_latency_ms = { p50: percentile(latencies, 50), p95: percentile(latencies, 95), max: Math.max(...latencies) };
    const statuses: Record<number, number> = {};
    for (const r of results) statuses[r.res.status] = (statuses[r.res.status] ?? 0) + 1;
    figures.install_statuses = statuses;
    expect(statuses).toEqual({ 202: INSTALLS });
    expect(results.filter((r) => r.res.body.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.res.body.installation.id)).size).toBe(1);
    expect(new Set(results.map((r) => r.res.body.directive.id)).size).toBe(1);

    const installationId = results[0].res.body.installation.id as string;
    await waitFor(
      async () => (await withTenant(s.handle.db, tenant.id, (tx) => tx.installation.findUnique({ where: { id: installationId } })))?.status === 'installed',
      60_000,
      200,
    );
    const rows = await withTenant(s.handle.db, tenant.id, async (tx) => ({
      installations: await tx.installation.count(),
      directives: await tx.directive.findMany({}),
      requested: await tx.signal.count({ where: { type: 'package.install.requested' } }),
      completed: await tx.signal.count({ where: { type: 'package.install.completed' } }),
    }));
    expect(rows).toMatchObject({ installations: 1, requested: 1, completed: 1 });
    expect(rows.directives).toHaveLength(1);
    const workflows = await waitFor(
      async () => {
        const found: string[] = [];
        for await (const w of s.temporal.client.workflow.list({ query: `TenantId = '${tenant.id}'` })) found.push(w.workflowId);
        return found.length > 0 ? found : undefined;
      },
      20_000,
      250,
    );
    expect(workflows).toEqual([rows.directives[0].workflowId]);
    tenants.push({ tenant, installationId });
  });

  it('afterwards: the canary scan over the database, logs, API answers and Temporal finds nothing', async () => {
    const scanStart = Date.now();
    const temporal: ScanSource[] = [];
    for (const t of tenants) temporal.push(...(await temporalSources(s.temporal.client, `TenantId = '${t.tenant.id}'`, { timeoutMs: 30_000 })).sources);
    figures.temporal_histories_scanned = temporal.length / 2;
    const pages: ScanSource[] = [];
    for (const i of tenants.slice(0, 5)) {
      for (const url of ['/marketplace', `/installations/${i.installationId}`, '/admin'])
        pages.push({ name: `page:${url}`, text: (await request(s.app).get(url)).text });
    }
    const sources: ScanSource[] = [
      ...pages,
      ...(await dumpDatabase(admin)),
      { name: 'api + activity logs', text: appLogs.text() },
      { name: 'worker process output', text: s.worker.output() },
      ...responses,
      ...temporal,
    ];
    expect(temporal.length / 2).toBeGreaterThanOrEqual(TENANTS * (LIMIT + 1) + 1);
    expect(describeHits(scanForCanaries(sources, canaries))).toBe('no canary found');
    figures.canary_scan_ms = Date.now() - scanStart;
  });
});
