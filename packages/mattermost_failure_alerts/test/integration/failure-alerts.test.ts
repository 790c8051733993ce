// The failure alerts end to end on the real stack: failures ingested through the API → the
// installation's workflow (signal-with-start) → one coalesced alert at the Mattermost fake, once.
// Also: filters, the hourly limit with "… and N more suppressed", quiet hours, a 503 mid-window,
// platform failures (directive.failed), and the alert latency with a 0-minute window.
import os from 'node:os';
import request from 'supertest';
import { adminClient, waitFor } from '../../../../test/helpers/db';
import { withTenant } from '../../../../lib/db/with-tenant';
import { digestScheduleId } from '../../../../lib/temporal/contract';
import { formatLocalDateTime } from '../../../../lib/schedule/zoned-clock';
import { mattermostPostTotal } from '../../../../lib/metrics/telemetry';
import { DEFAULT_FAILURE_ALERT_OPTIONS } from '../../activities/options';
import { alertExecutions, alertsAt, alertsTenant, auth, ingest, openAlertsStack, type AlertsStack } from './alerts-stack';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** fleetprompt_mattermost_post_total by outcome (this process runs the worker: one registry). */
const postsCounted = async () => {
  const by: Record<string, number> = {};
  for (const v of (await mattermostPostTotal.get()).values) by[String(v.labels.outcome)] = (by[String(v.labels.outcome)] ?? 0) + v.value;
  return by;
};

describe('mattermost_failure_alerts end to end', () => {
  let s: AlertsStack;
  const latencies: number[] = [];
  const loads: number[] = [];
  beforeAll(async () => {
    s = await openAlertsStack({ commitGraceMs: 500, windowOverrideMs: 0 });
  });
  afterAll(async () => {
    const sorted = [...latencies].sort((a, b) => a - b);
    const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

    if (sorted.length)
      console.log(
        `alert latency (failure ingested → alert at the fake), 0-minute window, commit grace ${DEFAULT_FAILURE_ALERT_OPTIONS.commitGraceMs} ms (production's), n=${sorted.length}: p50 ${pct(50)} ms, p95 ${pct(95)} ms, max ${sorted[sorted.length - 1]} ms; load average (1 min) ${loads.map((l) => l.toFixed(2)).join(' → ')} on ${os.cpus().length} CPUs`,
      );
    await s?.close();
  });
  beforeEach(() => {
    s.fake.reset();
    s.options.windowOverrideMs = 0;
  });

  it('coalesces the failures of one window into one alert, with filters by type and source', async () => {
    s.options.windowOverrideMs = 3_000;
    const { tenant, installationId } = await alertsTenant(s, { sources: ['billing-*', 'etl'] });
    await ingest(s, tenant, [{ subject: 'agent:one', error: 'first' }]);
    await sleep(400);
    await ingest(s, tenant, [
      { type: 'workflow.run.failed', source: 'etl', subject: 'workflow:nightly', error: 'second' },
      { type: 'agent.execution.completed' },
      { source: 'marketing', error: 'filtered out' },
    ]);
    await sleep(400);
    await ingest(s, tenant, [{ source: 'billing-api', subject: 'agent:three', error: 'third' }]);
    const [alert] = await waitFor(async () => (alertsAt(s).length > 0 ? alertsAt(s) : undefined), 20_000);
    await sleep(2_500); // nothing else is coming
    expect(alertsAt(s)).toHaveLength(1);
    expect(alert.channelName).toBe('ops');
    expect(alert.text).toContain('**3 failures**');
    for (const word of ['first', 'second', 'third', 'workflow run failed']) expect(alert.text).toContain(word);
    expect(alert.text).not.toContain('filtered out');
    const [execution] = await alertExecutions(s, tenant);
    expect(execution).toMatchObject({ status: 'succeeded', installationId });
    const types = (
      await withTenant(s.handle.db, tenant.id, (tx) => tx.signal.findMany({ where: { correlationId: execution.correlationId }, orderBy: { createdAt: 'asc' } }))
    ).map((x) => x.type);
    expect(types).toEqual(['mattermost.alert.requested', 'mattermost.alert.posted']);
    // The support view's timeline shows the alert by its correlation id.
    const timeline = await request(s.app)
      .get(`/api/tenants/${tenant.slug}/timeline/${encodeURIComponent(execution.correlationId)}`)
      .set(auth(tenant, 'member'));
    expect(timeline.status).toBe(200);
    expect(JSON.stringify(timeline.body)).toContain('mattermost.alert.posted');
  });

  it('posts platform failures too: a failed directive raises an alert', async () => {
    const { tenant } = await alertsTenant(s);
    // A directive that fails (its package version vanished from the registry before it ran).
    const { directive } = await withTenant(s.handle.db, tenant.id, async (tx) => {
      const inst = await tx.installation.create({
        data: { tenantId: tenant.id, packageSlug: 'mattermost_daily_ops_digest', packageVersion: '0.0.1', status: 'requested' },
      });
      const key = `dir:pkg_install:${tenant.id}:mattermost_daily_ops_digest:0.0.1:deadbeefdeadbeef`;
      const d = await tx.directive.create({
        data: {
          tenantId: tenant.id,
          type: 'package.install',
          params: { installation_id: inst.id, package_slug: 'mattermost_daily_ops_digest', version: '0.0.1' },
          idempotencyKey: key,
          correlationId: key,
          workflowId: key,
        },
      });
      return { directive: d };
    });
    await s.t.temporal.client.workflow.start('packageDirectiveWorkflow', {
      taskQueue: s.t.temporal.taskQueue,
      workflowId: directive.workflowId,
      args: [{ tenantId: tenant.id, directiveId: directive.id }],
    });
    const [alert] = await waitFor(async () => (alertsAt(s).length > 0 ? alertsAt(s) : undefined), 30_000);
    expect(alert.text).toContain('**2 failures**');
    expect(alert.text).toContain('directive failed');
    expect(alert.text).toContain('package install failed');
  });

  it('holds alerts beyond the hourly limit and sums them up in the next one ("… and N more suppressed")', async () => {
    const { tenant, installationId } = await alertsTenant(s, { max_alerts_per_hour: 2, max_lines: 3 });
    for (let i = 1; i <= 2; i++) {
      await ingest(s, tenant, [{ error: `burst ${i}` }]);
      await waitFor(async () => alertsAt(s).length === i, 20_000);
    }
    await ingest(s, tenant, [{ error: 'held 1' }, { error: 'held 2' }]);
    await sleep(800);
    await ingest(s, tenant, [{ error: 'held 3' }, { error: 'held 4' }, { error: 'held 5' }]);
    const deferred = await waitFor(
      async () => withTenant(s.handle.db, tenant.id, (tx) => tx.signal.findFirst({ where: { type: 'mattermost.alert.deferred' } })),
      10_000,
    );
    expect(deferred.payload).toMatchObject({ reason: 'hourly_limit', installation_id: installationId });
    await sleep(1_500);
    expect(alertsAt(s)).toHaveLength(2);
    // An hour passes (the posted alerts are moved an hour back), then a config change wakes it.
    const admin = await adminClient();
    await admin.query(`update executions set finished_at = finished_at - interval '61 minutes' where installation_id = $1`, [installationId]);
    await admin.end();
    await request(s.app).put(`/api/tenants/${tenant.slug}/installations/${installationId}/config`).set(auth(tenant)).send({ max_lines: 3 }).expect(200);
    await waitFor(async () => alertsAt(s).length === 3, 20_000);
    const third = alertsAt(s)[2];
    expect(third.text).toContain('**5 failures**');
    expect(third.text).toContain('Held back by the limit of 2 alerts per hour');
    expect(third.text).toContain('… and 2 more suppressed');
  });

  it('stays quiet during quiet hours; the failures go into the first alert after', async () => {
    const zone = 'Asia/Tokyo';
    const now = Date.now();
    const hhmm = (ms: number) => formatLocalDateTime(ms, zone).slice(11);
    const { tenant, installationId } = await alertsTenant(s, { timezone: zone, quiet_hours: { start: hhmm(now - 3_600_000), end: hhmm(now + 3_600_000) } });
    await ingest(s, tenant, [{ error: 'at night 1' }, { error: 'at night 2' }]);
    const deferred = await waitFor(
      async () => withTenant(s.handle.db, tenant.id, (tx) => tx.signal.findFirst({ where: { type: 'mattermost.alert.deferred' } })),
      10_000,
    );
    expect(deferred.payload).toMatchObject({ reason: 'quiet_hours' });
    await sleep(1_500);
    expect(alertsAt(s)).toHaveLength(0);
    // Quiet hours end (here: the admin turns them off).
    await request(s.app).put(`/api/tenants/${tenant.slug}/installations/${installationId}/config`).set(auth(tenant)).send({ quiet_hours: null }).expect(200);
    const [alert] = await waitFor(async () => (alertsAt(s).length > 0 ? alertsAt(s) : undefined), 20_000);
    expect(alert.text).toContain('**2 failures**');
    expect(alert.text).toContain('Held during quiet hours');
  });

  it('a Mattermost 503 mid-window: retried, posted once, no failure lost', async () => {
    s.options.windowOverrideMs = 1_500;
    const { tenant } = await alertsTenant(s);
    s.fake.failNext(2, '5xx', { status: 503, route: 'hooks' });
    const countedBefore = await postsCounted();
    await ingest(s, tenant, [{ error: 'before the outage' }]);
    await sleep(300);
    await ingest(s, tenant, [{ error: 'during the window' }]);
    const [alert] = await waitFor(async () => (alertsAt(s).length > 0 ? alertsAt(s) : undefined), 40_000);
    await sleep(2_000);
    expect(alertsAt(s)).toHaveLength(1);
    expect(alert.text).toContain('**2 failures**');
    const [execution] = await alertExecutions(s, tenant);
    expect(execution.status).toBe('succeeded');
    const ledger = await withTenant(s.handle.db, tenant.id, (tx) => tx.outboundMessage.findMany({ where: { executionId: execution.id } }));
    expect(ledger).toHaveLength(1);
    expect(ledger[0]).toMatchObject({ status: 'posted', attempts: 3 });
    // Each attempt is in the posting metrics, as the digest's are (lib/outbound/post-through-ledger.ts).
    const countedAfter = await postsCounted();
    expect((countedAfter.failed ?? 0) - (countedBefore.failed ?? 0)).toBeGreaterThanOrEqual(2);
    expect((countedAfter.posted ?? 0) - (countedBefore.posted ?? 0)).toBeGreaterThanOrEqual(1);
  });

  it("Disconnect on the alerts' page disconnects the organisation's connection for every package bound to it, saying who", async () => {
    const { tenant, installationId } = await alertsTenant(s);
    // A digest installed next to it binds to the same (the organisation's) connection and gets its schedule.
    const at = new Date(Date.now() + 12 * 3_600_000);
    const digest = await request(s.app)
      .post(`/api/tenants/${tenant.slug}/installations`)
      .set(auth(tenant))
      .send({ package_slug: 'mattermost_daily_ops_digest', config: { timezone: 'UTC', schedule_time: `${String(at.getUTCHours()).padStart(2, '0')}:00` } });
    expect(digest.status).toBe(202);
    const digestId = digest.body.installation.id as string;
    const schedule = () => s.t.temporal.client.schedule.getHandle(digestScheduleId(digestId)).describe();
    await waitFor(async () => (await schedule().catch(() => null)) ?? undefined, 30_000);
    const [alerts, digestInst] = await withTenant(s.handle.db, tenant.id, (tx) =>
      Promise.all([tx.installation.findUniqueOrThrow({ where: { id: installationId } }), tx.installation.findUniqueOrThrow({ where: { id: digestId } })]),
    );
    expect(digestInst.credentialId).toBe(alerts.credentialId);

    await request(s.app).delete(`/api/tenants/${tenant.slug}/installations/${installationId}/credential`).set(auth(tenant)).expect(204);
    const { credential, changes } = await withTenant(s.handle.db, tenant.id, async (tx) => ({
      credential: await tx.integrationCredential.findUniqueOrThrow({ where: { id: alerts.credentialId! } }),
      changes: await tx.installationChange.findMany({ where: { change: 'credential.disconnected' } }),
    }));
    expect(credential).toMatchObject({ status: 'revoked', disconnectReason: 'user_disconnected' });
    expect(credential.disconnectedByTokenId).not.toBeNull(); // the owner's API token sent it
    expect(changes.map((c) => c.installationId).sort()).toEqual([installationId, digestId].sort());
    // The digest's schedule goes with its usable connection.
    await waitFor(
      async () =>
        (await schedule().then(
          () => false,
          () => true,
        ))
          ? true
          : undefined,
      30_000,
    );
    const health = await request(s.app).get(`/api/tenants/${tenant.slug}/installations/${installationId}/health`).set(auth(tenant));
    expect(health.body.outlook).toMatchObject({ state: 'off', reason: 'not_connected' });
  });

  it('measures the alert latency with a 0-minute window', async () => {
    const { tenant } = await alertsTenant(s, { max_alerts_per_hour: 60 });
    // The production commit grace (the least delay of an alert), not this file's shorter one.
    s.options.commitGraceMs = DEFAULT_FAILURE_ALERT_OPTIONS.commitGraceMs;
    loads.push(os.loadavg()[0]);
    for (let i = 0; i < 20; i++) {
      const before = alertsAt(s).length;
      const t0 = Date.now();
      await ingest(s, tenant, [{ error: `latency ${i}` }]);
      await waitFor(async () => alertsAt(s).length > before, 20_000, 20);
      latencies.push(Date.now() - t0);
    }
    loads.push(os.loadavg()[0]);
    s.options.commitGraceMs = 500;
    expect(alertsAt(s)).toHaveLength(20);
  });
});
