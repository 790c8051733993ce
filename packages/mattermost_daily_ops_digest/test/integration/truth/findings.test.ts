// Issue 15, one named regression test per finding. Each reproduces the reported sequence against
// the real stack (Postgres, the Temporal dev server, the worker, the API) and the Mattermost fake.
import request from 'supertest';
import { connectTemporal } from '../../../../../client';
import { withTenant } from '../../../../../lib/db/with-tenant';
import { startInstallationReconciler } from '../../../../../lib/installations/reconcile-pending';
import { defaultPackageCatalog } from '../../../../registry';
import { createLogger } from '../../../../../lib/log/logger';
import { localTimeToInstant } from '../../../../../lib/schedule/local-time-to-instant';
import { localDateOf, addDays } from '../../../../../lib/schedule/local-date';
import { formatHHMM } from '../../../../../lib/schedule/hhmm';
import { wallClockOf } from '../../../../../lib/schedule/zoned-clock';
import { digestScheduleId } from '../../../../../lib/temporal/contract';
import { buildTestApp } from '../../../../../test/helpers/app';
import { waitFor } from '../../../../../test/helpers/db';
import { auth, openDigestStack, postsWithMarker, waitForExecution, type DigestStack } from '../../../../../test/helpers/digest-stack';
import { installedTenant } from '../../helpers/installed-digest';
import { signedInAgent } from '../../../../../test/helpers/session';
import { startTemporalProxy, type TemporalProxy } from '../../../../../test/helpers/temporal-proxy';
import { api, fireScheduled, scheduledExecutions } from './truth-support';

jest.setTimeout(120_000);

describe('issue 15: one truth per installation — the fourteen findings', () => {
  let s: DigestStack;
  let proxy: TemporalProxy;
  let reconciler: { stop(): Promise<void> };
  beforeAll(async () => {
    s = await openDigestStack();
    proxy = await startTemporalProxy(process.env.TEMPORAL_ADDRESS!);
    // The worker's reconciler loop, as worker.ts runs it.
    reconciler = startInstallationReconciler(
      { db: s.handle.db, logger: createLogger({ level: 'silent' }), packages: defaultPackageCatalog(), getTemporal: async () => s.t.temporal },
      500,
    );
  });
  afterAll(async () => {
    await reconciler.stop();
    await proxy.close();
    await s.close();
  });
  beforeEach(() => s.fake.reset());

  const describeSchedule = (installationId: string) => s.t.temporal.client.schedule.getHandle(digestScheduleId(installationId)).describe();
  const scheduleExists = (installationId: string) =>
    describeSchedule(installationId).then(
      () => true,
      () => false,
    );

  it('finding 1: changing time or channel after the day’s digest posted gives no second digest that day (dedupe key has no HH:MM, no channel)', async () => {
    const zone = 'Europe/Berlin';
    const { tenant, installationId } = await installedTenant(s, { config: { timezone: zone, schedule_time: '02:15' } });
    const first = await fireScheduled(s, tenant, installationId, localTimeToInstant('2026-06-10', '02:15', zone));
    expect(first.status).toBe('succeeded');
    expect(first.dedupeKey).not.toMatch(/02:15|town-square|default/);
    await api(s, tenant).put(`/installations/${installationId}/config`, { schedule_time: '02:17', channel: 'ops' }).expect(200);
    const second = await fireScheduled(s, tenant, installationId, localTimeToInstant('2026-06-10', '02:17', zone));
    expect(second).toMatchObject({ status: 'skipped', dedupeKey: first.dedupeKey });
    expect(second.summary).toMatchObject({ rule_skip: 'already_reported' });
    // 02:30 → 04:00 (the backfill case): still the same date, still skipped.
    await api(s, tenant).put(`/installations/${installationId}/config`, { schedule_time: '04:00' }).expect(200);
    expect((await fireScheduled(s, tenant, installationId, localTimeToInstant('2026-06-10', '04:00', zone))).status).toBe('skipped');
    // The next date posts, and its window starts exactly where the first one ended.
    const next = await fireScheduled(s, tenant, installationId, localTimeToInstant('2026-06-11', '04:00', zone));
    expect(next.status).toBe('succeeded');
    expect(next.windowStart).toEqual(first.windowEnd);
    expect(postsWithMarker(s.fake)).toHaveLength(2);
  });

  // Since integrations belong to the tenant (issue 14), Connect on the installation page connects
  // the organisation's connection: an uninstall only unbinds it, and a reinstall binds to it again.
  it('finding 2: after uninstall and reinstall the installation binds to the organisation’s connection again and the daily schedule comes back', async () => {
    const { tenant, installationId } = await installedTenant(s);
    expect(await scheduleExists(installationId)).toBe(true);
    await api(s, tenant).del(`/installations/${installationId}`).expect(202);
    await waitFor(
      async () => (await withTenant(s.handle.db, tenant.id, (tx) => tx.installation.findUnique({ where: { id: installationId } })))?.status === 'uninstalled',
    );
    expect(await scheduleExists(installationId)).toBe(false);
    const again = await api(s, tenant).post('/installations', { package_slug: 'mattermost_daily_ops_digest' });
    expect(again.status).toBe(202);
    await waitFor(
      async () => (await withTenant(s.handle.db, tenant.id, (tx) => tx.installation.findUnique({ where: { id: installationId } })))?.status === 'installed',
    );
    const health = await waitFor(async () => {
      const res = await api(s, tenant).get(`/installations/${installationId}/health`).expect(200);
      return res.body.apply_state === 'applied' && res.body.schedule_exists ? res : undefined;
    });
    expect(health.body).toMatchObject({ status: 'installed', connection: { state: 'connected' } });
    expect(health.body.next_runs.length).toBeGreaterThan(0);
  });

  it('finding 3: a time set after it has passed today gives no catch-up digest today, and the announced next run is tomorrow’s', async () => {
    // A zone where it is mid-day now, so "31 minutes ago" is still today.
    const zone = ['UTC', 'Asia/Tokyo', 'America/New_York'].find((z) => wallClockOf(new Date(), z).hour >= 2 && wallClockOf(new Date(), z).hour <= 21)!;
    const ago = new Date(Date.now() - 31 * 60_000);
    const c = wallClockOf(ago, zone);
    const time = formatHHMM({ hour: c.hour, minute: c.minute });
    const { tenant, installationId } = await installedTenant(s, { config: { timezone: zone, schedule_time: '00:00' } });
    await api(s, tenant).put(`/installations/${installationId}/config`, { schedule_time: time }).expect(200);
    const today = localDateOf(new Date(), zone);
    const catchUpAt = new Date(localTimeToInstant(today, time, zone).getTime() + 60 * 60_000);
    const health = await api(s, tenant).get(`/installations/${installationId}/health`).expect(200);
    expect(health.body.next_runs[0].at).toBe(localTimeToInstant(addDays(today, 1), time, zone).toISOString());
    expect(health.body.next_runs.map((r: { at: string }) => r.at)).not.toContain(catchUpAt.toISOString());
    const run = await fireScheduled(s, tenant, installationId, catchUpAt);
    expect(run.status).toBe('skipped');
    expect(run.summary).toMatchObject({ entry: 'catch_up', rule_skip: 'configured_after_time' });
    expect(postsWithMarker(s.fake)).toHaveLength(0);
  });

  it('model-test seed 827737047: a catch-up firing for a date before the digest was ever connected is skipped by the rule, not failed as "not connected"', async () => {
    const { tenant, installationId } = await installedTenant(s, { connect: false, config: { timezone: 'UTC', schedule_time: '02:30' } });
    await api(s, tenant).put(`/installations/${installationId}/config`, { schedule_time: '01:30' }).expect(200);
    const run = await fireScheduled(s, tenant, installationId, new Date('2026-03-08T02:30:00Z')); // 01:30's catch-up
    expect(run.status).toBe('skipped');
    expect(run.summary).toMatchObject({ entry: 'catch_up', rule_skip: 'configured_after_time' });
  });

  it('finding 4: one refusal does not make the credential invalid; a confirmed one does, and a later success makes it connected again', async () => {
    const { tenant, installationId } = await installedTenant(s);
    const credential = () =>
      api(s, tenant)
        .get(`/installations/${installationId}/credential`)
        .then((r) => r.body.credential);
    s.fake.failNext(1, 'invalid-hook', { route: 'hooks' }); // e.g. Mattermost's database hiccup
    const once = await api(s, tenant).post(`/installations/${installationId}/runs`).expect(202);
    expect((await waitForExecution(s, tenant, once.body.execution.id)).status).toBe('succeeded');
    expect(await credential()).toMatchObject({ status: 'connected', state: 'connected' });

    s.fake.failNext(2, 'invalid-hook', { route: 'hooks' });
    const twice = await api(s, tenant).post(`/installations/${installationId}/runs`).expect(202);
    expect(await waitForExecution(s, tenant, twice.body.execution.id)).toMatchObject({ status: 'failed', errorKind: 'auth' });
    expect(await credential()).toMatchObject({ status: 'invalid', state: 'invalid' });
    await waitFor(async () => !(await scheduleExists(installationId)), 10_000); // not usable → no schedule

    const later = await api(s, tenant).post(`/installations/${installationId}/runs`).expect(202);
    expect((await waitForExecution(s, tenant, later.body.execution.id)).status).toBe('succeeded');
    expect(await credential()).toMatchObject({ status: 'connected', state: 'connected', last_refusal_code: null });
    await waitFor(() => scheduleExists(installationId), 10_000);
  });

  it('finding 5: a config saved while Temporal is unreachable is stored, shown as being applied, and applied when Temporal is back', async () => {
    const { tenant, installationId } = await installedTenant(s, { config: { timezone: 'UTC', schedule_time: '07:30' } });
    const viaProxy = await connectTemporal({
      TEMPORAL_ADDRESS: proxy.address,
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: s.t.temporal.taskQueue,
      TEMPORAL_TLS: false,
      TEMPORAL_API_KEY: undefined,
    });
    const app = buildTestApp({ db: s.handle.db, temporal: viaProxy });
    const proxied = startInstallationReconciler(
      { db: s.handle.db, logger: createLogger({ level: 'silent' }), packages: defaultPackageCatalog(), getTemporal: async () => viaProxy },
      300,
    );
    await reconciler.stop(); // only the proxied loop may apply it now
    try {
      proxy.cut();
      const t0 = Date.now();
      const saved = await request(app)
        .put(`/api/tenants/${tenant.slug}/installations/${installationId}/config`)
        .set(auth(tenant))
        .send({ schedule_time: '18:45', timezone: 'Asia/Kolkata' });
      expect(Date.now() - t0).toBeLessThan(5_000);
      expect(saved.status).toBe(200);
      expect(saved.body).toMatchObject({ apply_state: 'being_applied', installation: { config: { schedule_time: '18:45', timezone: 'Asia/Kolkata' } } });
      const health = await request(app).get(`/api/tenants/${tenant.slug}/installations/${installationId}/health`).set(auth(tenant));
      expect(health.body).toMatchObject({ apply_state: 'being_applied', next_runs: [] });
      expect((await describeSchedule(installationId)).spec.timezone).toBe('UTC'); // Temporal still has the old spec
      proxy.restore();
      await waitFor(async () => (await describeSchedule(installationId)).spec.timezone === 'Asia/Kolkata', 20_000, 200);
      await waitFor(
        async () =>
          (await request(app).get(`/api/tenants/${tenant.slug}/installations/${installationId}/health`).set(auth(tenant))).body.apply_state === 'applied',
        10_000,
      );
      expect((await describeSchedule(installationId)).spec.calendars?.[0].hour).toEqual([{ start: 18, end: 18, step: 1 }]);
    } finally {
      proxy.restore();
      await proxied.stop();
      reconciler = startInstallationReconciler(
        { db: s.handle.db, logger: createLogger({ level: 'silent' }), packages: defaultPackageCatalog(), getTemporal: async () => s.t.temporal },
        500,
      );
      await viaProxy.close();
    }
  });

  it('finding 6: a disabled digest announces no next run; the owner’s own Disconnect reads as disconnected by them, not as refused by Mattermost', async () => {
    const { tenant, installationId } = await installedTenant(s);
    await api(s, tenant).put(`/installations/${installationId}/config`, { enabled: false }).expect(200);
    const off = await api(s, tenant).get(`/installations/${installationId}/health`).expect(200);
    expect(off.body).toMatchObject({ next_runs: [], schedule_exists: false, apply_state: 'applied' });
    await api(s, tenant).put(`/installations/${installationId}/config`, { enabled: true }).expect(200);

    const owner = await signedInAgent(s.app, s.handle, tenant, 'owner');
    const before = Date.now();
    await owner.agent.delete(`/api/tenants/${tenant.slug}/installations/${installationId}/credential`).set('x-csrf-token', owner.csrfToken).expect(204);
    const shown = await api(s, tenant).get(`/installations/${installationId}/credential`).expect(200);
    expect(shown.body.credential).toMatchObject({
      state: 'disconnected',
      disconnect_reason: 'user_disconnected',
      disconnected_by: { id: owner.user.id, email: owner.user.email },
      last_error: null,
    });
    expect(new Date(shown.body.credential.disconnected_at).getTime()).toBeGreaterThanOrEqual(before - 1000);
    const health = await api(s, tenant).get(`/installations/${installationId}/health`).expect(200);
    expect(health.body).toMatchObject({ next_runs: [], schedule_exists: false, last_error_kind: null });
  });

  it('finding 7: uninstall destroys an installation’s own stored webhook secret and says so; the organisation’s connection is only unbound', async () => {
    const { tenant, installationId } = await installedTenant(s);
    const credentialId = (await withTenant(s.handle.db, tenant.id, (tx) => tx.installation.findUniqueOrThrow({ where: { id: installationId } }))).credentialId!;
    // A connection of the installation's own, as from before tenant connections (the migration leaves those as they were).
    await withTenant(s.handle.db, tenant.id, (tx) => tx.tenantIntegration.deleteMany({ where: { credentialId } }));
    await api(s, tenant).del(`/installations/${installationId}`).expect(202);
    await waitFor(
      async () => (await withTenant(s.handle.db, tenant.id, (tx) => tx.installation.findUnique({ where: { id: installationId } })))?.status === 'uninstalled',
    );
    const row = await withTenant(s.handle.db, tenant.id, (tx) => tx.integrationCredential.findUniqueOrThrow({ where: { id: credentialId } }));
    expect(row).toMatchObject({ status: 'revoked', disconnectReason: 'uninstalled' });
    expect(row.ciphertext).toHaveLength(0);
    expect(row.authTag).toHaveLength(0);
    const changes = await withTenant(s.handle.db, tenant.id, (tx) =>
      tx.installationChange.findMany({ where: { installationId }, orderBy: { version: 'asc' } }),
    );
    expect(changes.map((c) => c.change)).toEqual(expect.arrayContaining(['credential.disconnected', 'lifecycle.uninstalled']));
    expect(await scheduleExists(installationId)).toBe(false);

    // The organisation's connection survives an uninstall: unbound, still connected, its secret kept.
    const shared = await installedTenant(s);
    const sharedId = (await withTenant(s.handle.db, shared.tenant.id, (tx) => tx.installation.findUniqueOrThrow({ where: { id: shared.installationId } })))
      .credentialId!;
    await api(s, shared.tenant).del(`/installations/${shared.installationId}`).expect(202);
    await waitFor(
      async () =>
        (await withTenant(s.handle.db, shared.tenant.id, (tx) => tx.installation.findUnique({ where: { id: shared.installationId } })))?.status ===
        'uninstalled',
    );
    const kept = await withTenant(s.handle.db, shared.tenant.id, (tx) => tx.integrationCredential.findUniqueOrThrow({ where: { id: sharedId } }));
    expect(kept.status).toBe('connected');
    expect(kept.ciphertext.length).toBeGreaterThan(0);
    expect(
      (await withTenant(s.handle.db, shared.tenant.id, (tx) => tx.installation.findUniqueOrThrow({ where: { id: shared.installationId } }))).credentialId,
    ).toBeNull();
  });

  it('finding 8: Mattermost’s own 500 on a webhook is retried automatically and the scheduled digest posts; a proxy 502 stays unknown', async () => {
    const zone = 'UTC';
    const { tenant, installationId } = await installedTenant(s, { config: { timezone: zone, schedule_time: '06:00' } });
    s.fake.failNext(1, '5xx', { route: 'hooks', status: 500 });
    const run = await fireScheduled(s, tenant, installationId, localTimeToInstant('2026-05-01', '06:00', zone));
    expect(run.status).toBe('succeeded');
    expect(postsWithMarker(s.fake)).toHaveLength(1);
    s.fake.failNext(1, '5xx', { route: 'hooks', status: 502 });
    const proxied = await fireScheduled(s, tenant, installationId, localTimeToInstant('2026-05-02', '06:00', zone));
    expect(proxied).toMatchObject({ status: 'failed', errorKind: 'unknown' });
    expect(postsWithMarker(s.fake)).toHaveLength(1);
  });

  it('a failed scheduled digest whose period a later digest already reported cannot be retried (it would report its events twice), and the run list says why', async () => {
    const zone = 'UTC';
    const { tenant, installationId, hookUrl } = await installedTenant(s, { config: { timezone: zone, schedule_time: '06:00' } });
    const fire = (date: string) => fireScheduled(s, tenant, installationId, localTimeToInstant(date, '06:00', zone));
    expect((await fire('2026-05-10')).status).toBe('succeeded');
    // Disconnected for a day: that day's firing fails (nothing could be posted), not "unknown".
    await api(s, tenant).del(`/installations/${installationId}/credential`).expect(204);
    const failed = await fire('2026-05-11');
    expect(failed).toMatchObject({ status: 'failed', errorKind: 'auth' }); // a disconnected credential cannot be read
    await api(s, tenant).put(`/installations/${installationId}/credential`, { kind: 'webhook', webhook_url: hookUrl, verify: 'dry_run' }).expect(200);
    // Before a later digest covers it, the failed day can be retried (the list offers it).
    const before = await api(s, tenant).get(`/executions?installation_id=${installationId}&status=failed`).expect(200);
    expect(before.body.items[0]).toMatchObject({ id: failed.id, retry_superseded_by: null });
    const next = await fire('2026-05-12');
    expect(next.status).toBe('succeeded');
    expect(next.windowStart.toISOString()).toBe(localTimeToInstant('2026-05-10', '06:00', zone).toISOString()); // took in the 11th's events
    const listed = await api(s, tenant).get(`/executions?installation_id=${installationId}&status=failed`).expect(200);
    expect(listed.body.items[0]).toMatchObject({ id: failed.id, retry_superseded_by: { execution_id: next.id, digest_date: '2026-05-12' } });
    const quota = (await api(s, tenant).get(`/installations/${installationId}/health`).expect(200)).body.run_quota.remaining;
    const refused = await api(s, tenant).post(`/executions/${failed.id}/retry`).expect(409);
    expect(refused.body.error).toMatchObject({ code: 'RETRY_SUPERSEDED' });
    expect(refused.body.error.message).toContain('2026-05-12');
    expect((await api(s, tenant).get(`/installations/${installationId}/health`).expect(200)).body.run_quota.remaining).toBe(quota);
    expect(postsWithMarker(s.fake)).toHaveLength(2);
  });

  it('finding 10: Run now while Temporal is unreachable answers 503 within 2 s, costs no quota and leaves nothing running', async () => {
    const { tenant, installationId } = await installedTenant(s);
    const viaProxy = await connectTemporal({
      TEMPORAL_ADDRESS: proxy.address,
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: s.t.temporal.taskQueue,
      TEMPORAL_TLS: false,
      TEMPORAL_API_KEY: undefined,
    });
    const app = buildTestApp({ db: s.handle.db, temporal: viaProxy });
    try {
      proxy.cut();
      const t0 = Date.now();
      const res = await request(app).post(`/api/tenants/${tenant.slug}/installations/${installationId}/runs`).set(auth(tenant)).send({});
      const elapsed = Date.now() - t0;
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('DEPENDENCY_UNAVAILABLE');
      expect(elapsed).toBeLessThan(2_000);
      const executions = await withTenant(s.handle.db, tenant.id, (tx) => tx.execution.findMany({ where: { installationId } }));
      expect(executions).toHaveLength(1);
      expect(executions[0]).toMatchObject({ status: 'failed', errorKind: 'network', startedAt: null });
      const health = await api(s, tenant).get(`/installations/${installationId}/health`).expect(200);
      expect(health.body.run_quota).toMatchObject({ used: 0 });
    } finally {
      proxy.restore();
      await viaProxy.close();
    }
    expect(postsWithMarker(s.fake)).toHaveLength(0);
  });

  it('finding 11: a slow save, then Retry, never posts the digest twice (token)', async () => {
    const { tenant, installationId } = await installedTenant(s, { connect: 'pat', channel: 'town-square' });
    // Mattermost takes 25 s to save the first request: meanwhile the same pending_post_id gets the
    // 500 deduplicate_create_post.pending, and the post is not visible yet.
    s.fake.failNext(1, 'slow-save', { path: '/api/v4/posts', delayMs: 25_000 });
    const run = await api(s, tenant).post(`/installations/${installationId}/runs`).expect(202);
    const ended = await waitForExecution(s, tenant, run.body.execution.id, 90_000);
    const ledger = await withTenant(s.handle.db, tenant.id, (tx) => tx.outboundMessage.findFirstOrThrow({ where: { dedupeKey: ended.dedupeKey! } }));
    if (ended.status === 'failed') {
      // Every attempt met the pending save: the outcome is unknown, never "failed".
      expect(ended.errorKind).toBe('unknown');
      expect(ledger.status).toBe('unknown');
      await s.fake.waitFor(1, 30_000);
      await new Promise((r) => setTimeout(r, 31_000)); // Mattermost forgets the pending_post_id
      const retry = await api(s, tenant).post(`/executions/${ended.id}/retry`).expect(202);
      expect((await waitForExecution(s, tenant, retry.body.execution.id, 60_000)).status).toBe('succeeded');
    } else {
      expect(ended.status).toBe('succeeded');
    }
    expect(postsWithMarker(s.fake)).toHaveLength(1);
  });

  it('finding 12: a token revoked after connecting fails at the channel lookup with its cause logged, and the credential is marked invalid', async () => {
    const user = s.fake.createUser({ username: `u${Date.now()}`, onTeam: true });
    s.fake.addChannelMember('town-square', user.username);
    const { tenant, installationId } = await installedTenant(s, { connect: false, channel: 'town-square' });
    await api(s, tenant)
      .put(`/installations/${installationId}/credential`, { kind: 'pat', base_url: s.fake.url, token: user.token, team: s.fake.team.name })
      .expect(200);
    s.fake.revokeToken(user.token);
    const run = await api(s, tenant).post(`/installations/${installationId}/runs`).expect(202);
    const ended = await waitForExecution(s, tenant, run.body.execution.id);
    expect(ended).toMatchObject({ status: 'failed', errorKind: 'auth' });
    const logs = await withTenant(s.handle.db, tenant.id, (tx) => tx.executionLog.findMany({ where: { executionId: ended.id }, orderBy: { at: 'asc' } }));
    expect(logs.map((l) => l.message).join('\n')).toMatch(/refused the credential at the channel lookup \(confirmed\).*access token/);
    const credential = await api(s, tenant).get(`/installations/${installationId}/credential`).expect(200);
    expect(credential.body.credential).toMatchObject({ status: 'invalid', state: 'invalid', last_refusal_code: 'TOKEN_INVALID' });
  });

  it('finding 13: Connect refuses a token whose user is not in the channel; adding the user to the channel is enough', async () => {
    const user = s.fake.createUser({ username: `v${Date.now()}`, onTeam: true }); // on the team, not in #town-square
    const { tenant, installationId } = await installedTenant(s, { connect: false, channel: 'town-square' });
    const connect = () =>
      api(s, tenant).put(`/installations/${installationId}/credential`, { kind: 'pat', base_url: s.fake.url, token: user.token, team: s.fake.team.name });
    const refused = await connect();
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'CREDENTIAL_REJECTED', details: { kind: 'validation', mattermost_code: 'NOT_CHANNEL_MEMBER' } });
    s.fake.addChannelMember('town-square', user.username);
    expect((await connect()).status).toBe(200);
    const run = await api(s, tenant).post(`/installations/${installationId}/runs`).expect(202);
    expect((await waitForExecution(s, tenant, run.body.execution.id)).status).toBe('succeeded');
  });

  it('finding 14: in a busy channel the own-post search pages back instead of giving up', async () => {
    const { tenant, installationId } = await installedTenant(s, { connect: 'pat', channel: 'town-square' });
    // The post is created, its answer never arrives in time; then 1,500 other posts land.
    s.fake.failNext(1, 'slow', { path: '/api/v4/posts', delayMs: 4_000 });
    const off = s.fake.onReceived((p) => {
      if (typeof p.props.fleetprompt_dedupe === 'string') {
        off();
        s.fake.seedPosts('town-square', 1_500);
      }
    });
    const run = await api(s, tenant).post(`/installations/${installationId}/runs`).expect(202);
    const ended = await waitForExecution(s, tenant, run.body.execution.id, 60_000);
    expect(ended.status).toBe('succeeded');
    expect(postsWithMarker(s.fake)).toHaveLength(1);
    const logs = await withTenant(s.handle.db, tenant.id, (tx) => tx.executionLog.findMany({ where: { executionId: ended.id } }));
    expect(logs.map((l) => l.message)).toContain('Message posted to Mattermost (found by marker after an unknown outcome)');
    expect(await scheduledExecutions(s, tenant, installationId)).toHaveLength(0);
  });
});
