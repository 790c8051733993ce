// Faults in the real processes, in the middle of digest runs and installs, then recovery:
//   1. the worker SIGKILLed while two posts are in flight (webhook and token), then restarted;
//   2. the Temporal dev server stopped and restarted on its SQLite file while a post is in flight,
//      an install is running, and Run now / Install are asked for during the outage;
//   3. Postgres stopped and restarted while posts are in flight and an install is running.
// Each run must end in a terminal state the API shows, with at most one message per dedupe key
// (exactly one where the outcome is known) and signals that match what happened; afterwards the
// canary scan finds no secret anywhere this file's stack wrote.
//
// The file runs its own Postgres, Temporal and worker process (test/integration/reliability/
// fault-stack.ts), so killing them disturbs no other test file. The worker runs with
// DIGEST_STALE_CLAIM_MS=31000 (production: 90000): a post abandoned by a dead worker is then
// settled about 32 s after it started (the post activity's 30 s timeout + the stale rule)
// instead of about 90 s.
import request from 'supertest';
import { Client as PgClient } from 'pg';
import { withTenant } from '../../../../lib/db/with-tenant';
import { createLogger } from '../../../../lib/log/logger';
import { DIGEST_PACKAGE_SLUG } from '../../definition';
import { digestScheduleId } from '../../../../lib/temporal/contract';
import {
  describeHits,
  dumpDatabase,
  makeCanary,
  memoryStream,
  scanForCanaries,
  scheduleSources,
  temporalSources,
  type Canary,
  type ScanSource,
} from '../../../../test/helpers/canary';
import { createTestTenant, waitFor, type TestTenant } from '../../../../test/helpers/db';
import { openFaultStack, type FaultStack } from '../../../../test/integration/reliability/fault-stack';
import { expectConsistent, FaultReport, markerOf, settledRun } from '../../../../test/integration/reliability/run-verdict';

jest.setTimeout(150_000);

const STALE_CLAIM_MS = 31_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Installed {
  tenant: TestTenant;
  installationId: string;
  kind: 'webhook' | 'pat';
}

describe('process faults (worker SIGKILL, Temporal restart, Postgres restart)', () => {
  let s: FaultStack;
  const report = new FaultReport();
  const appLogs = memoryStream();
  const responses: ScanSource[] = [];
  const canaries: Canary[] = [];
  const everyone: Installed[] = [];
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    const logger = createLogger({ level: 'trace', destination: appLogs.stream });
    s = await openFaultStack({ logger, workerEnv: { DIGEST_STALE_CLAIM_MS: String(STALE_CLAIM_MS) } });
    canaries.push({ name: 'personal access token', value: s.fake.token });
  }, 180_000);

  afterAll(async () => {
    report.print('process faults');

    console.log(`process-fault timings (ms): ${JSON.stringify(timings)}`);
    await s?.close();
  });

  /** Every API call goes through here, so its whole answer is canary-scanned at the end. */
  async function api(tenant: TestTenant, method: 'get' | 'put' | 'post' | 'delete', url: string, body?: object) {
    let req = request(s.app)
      [method](url)
      .set({ authorization: `Bearer ${tenant.tokens.owner}` });
    if (body !== undefined) req = req.send(body);
    const res = await req;
    responses.push({
      name: `api:${method.toUpperCase()} ${url} -> ${res.status}`,
      text: JSON.stringify({ status: res.status, headers: res.headers, body: res.text }),
    });
    return res;
  }

  const quietScheduleTime = () => `${String(new Date(Date.now() + 12 * 3_600_000).getUTCHours()).padStart(2, '0')}:00`;
  const installationPath = (i: Installed) => `/api/tenants/${i.tenant.slug}/installations/${i.installationId}`;

  async function requestInstall(tenant: TestTenant) {
    return api(tenant, 'post', `/api/tenants/${tenant.slug}/installations`, {
      package_slug: DIGEST_PACKAGE_SLUG,
      config: { timezone: 'UTC', schedule_time: quietScheduleTime() },
    });
  }

  async function waitInstalled(tenant: TestTenant, installationId: string, timeoutMs: number) {
    return waitFor(
      async () => {
        const res = await api(tenant, 'get', `/api/tenants/${tenant.slug}/installations/${installationId}`);
        return res.status === 200 && ['installed', 'failed'].includes(res.body.status) ? res.body : undefined;
      },
      timeoutMs,
      500,
    );
  }

  async function installDigest(kind: 'webhook' | 'pat'): Promise<Installed> {
    const tenant = await createTestTenant(s.handle, 'fx');
    const res = await requestInstall(tenant);
    expect(res.status).toBe(202);
    const installationId = res.body.installation.id as string;
    expect((await waitInstalled(tenant, installationId, 30_000)).status).toBe('installed');
    const installed: Installed = { tenant, installationId, kind };
    if (kind === 'pat') {
      expect((await api(tenant, 'put', `${installationPath(installed)}/config`, { channel: 'town-square' })).status).toBe(200);
      const connected = await api(tenant, 'put', `${installationPath(installed)}/credential`, {
        kind: 'pat',
        base_url: s.fake.url,
        token: s.fake.token,
        team: s.fake.team.name,
      });
      expect(connected.status).toBe(200);
    } else {
      const hookId = makeCanary('cnryhook');
      canaries.push({ name: `webhook hook id (${tenant.slug})`, value: hookId });
      s.fake.createHook({ channel: 'town-square', id: hookId });
      const connected = await api(tenant, 'put', `${installationPath(installed)}/credential`, {
        kind: 'webhook',
        webhook_url: s.fake.hookUrl(hookId),
        verify: 'dry_run',
      });
      expect(connected.status).toBe(200);
    }
    everyone.push(installed);
    return installed;
  }

  async function runNow(i: Installed): Promise<{ id: string; dedupeKey: string }> {
    const res = await api(i.tenant, 'post', `${installationPath(i)}/runs`, {});
    expect(res.status).toBe(202);
    const execution = await withTenant(s.handle.db, i.tenant.id, (tx) => tx.execution.findUniqueOrThrow({ where: { id: res.body.execution.id } }));
    return { id: execution.id, dedupeKey: execution.dedupeKey! };
  }

  const received = (dedupeKey: string) => s.fake.received().some((p) => p.props.fleetprompt_dedupe === markerOf(dedupeKey));
  const settle = (i: Installed, executionId: string, timeoutMs: number) =>
    settledRun({ app: s.app, db: s.handle.db, fake: s.fake }, i.tenant, executionId, timeoutMs);

  it('worker SIGKILLed while a webhook post and a token post are in flight, then restarted', async () => {
    const web = await installDigest('webhook');
    const pat = await installDigest('pat');
    // Mattermost records each post at once but holds its answer: both posts are in flight.
    s.fake.failNext(1, 'slow', { route: 'hooks', method: 'POST', delayMs: 120_000 });
    s.fake.failNext(1, 'slow', { route: 'api', method: 'POST', path: '/api/v4/posts', delayMs: 120_000 });
    const webRun = await runNow(web);
    const patRun = await runNow(pat);
    await waitFor(async () => received(webRun.dedupeKey) && received(patRun.dedupeKey), 30_000, 100);

    const killedAt = Date.now();
    await s.worker.kill();
    // While no worker runs, the runs are honestly `running`, not finished and not lost.
    const during = await api(web.tenant, 'get', `/api/tenants/${web.tenant.slug}/executions/${webRun.id}`);
    expect(during.body.status).toBe('running');
    await s.worker.start();
    timings.worker_restart = Date.now() - killedAt;

    const [webV, patV] = await Promise.all([settle(web, webRun.id, 120_000), settle(pat, patRun.id, 120_000)]);
    timings.sigkill_recovery = Date.now() - killedAt;
    report.add('worker SIGKILL mid-post', 'webhook Run now', webV, 'outcome unknowable: not re-posted; user Retry would re-post');
    report.add('worker SIGKILL mid-post', 'token Run now', patV, 'settled by the marker search');
    expectConsistent(webV);
    expectConsistent(patV);

    // Webhook: Mattermost did post, but nobody can know: failed/unknown, not re-posted.
    expect(webV).toMatchObject({ status: 'failed', errorKind: 'unknown', ledger: 'unknown', messages: 1 });
    const health = await api(web.tenant, 'get', `${installationPath(web)}/health`);
    expect(health.body).toMatchObject({ last_error_kind: 'unknown' });
    expect(health.body.hint).toMatch(/Retry/);
    // Token: the next attempt finds its own post by marker: succeeded, one message.
    expect(patV).toMatchObject({ status: 'succeeded', ledger: 'posted', messages: 1 });
    const log = await api(pat.tenant, 'get', `/api/tenants/${pat.tenant.slug}/executions/${patRun.id}`);
    expect(log.body.logs.map((l: { message: string }) => l.message)).toContain('Message posted to Mattermost (found by marker after an unknown outcome)');
    expect(s.worker.unexpectedExits()).toBe(0);
  });

  it('Temporal stopped and restarted (state kept in SQLite) with a post in flight, an install running, and requests during the outage', async () => {
    const web = await installDigest('webhook');
    const blocked = await installDigest('webhook');
    const midInstallTenant = await createTestTenant(s.handle, 'fx');
    const outageInstallTenant = await createTestTenant(s.handle, 'fx');

    s.fake.failNext(1, 'slow', { route: 'hooks', method: 'POST', delayMs: 3_000 });
    const run = await runNow(web);
    await waitFor(async () => received(run.dedupeKey), 30_000, 100);
    const midInstall = await requestInstall(midInstallTenant);
    expect(midInstall.status).toBe(202);

    const stoppedAt = Date.now();
    await s.stopTemporal();
    // The post's answer arrives while Temporal is down: the activity's completion cannot be reported.
    // (The Temporal client retries for ~20 s before it gives up; both requests wait in parallel.)
    const t0 = Date.now();
    const [duringRun, duringInstall, duringConfig] = await Promise.all([
      api(blocked.tenant, 'post', `${installationPath(blocked)}/runs`, {}).finally(() => (timings.run_now_during_temporal_outage = Date.now() - t0)),
      requestInstall(outageInstallTenant).finally(() => (timings.install_during_temporal_outage = Date.now() - t0)),
      // The user turns the daily digest off while the schedule cannot be paused.
      api(web.tenant, 'put', `${installationPath(web)}/config`, { enabled: false }),
    ]);
    // Saved, and applied by the reconciler once Temporal is back (issue 15, finding 5).
    expect([duringConfig.status, duringConfig.body.apply_state]).toEqual([200, 'being_applied']);
    expect(duringRun.status).toBe(503);
    expect(duringRun.body.error.code).toBe('DEPENDENCY_UNAVAILABLE');
    expect(duringInstall.status).toBe(202);
    expect(duringInstall.body.directive.status).toBe('requested');
    await sleep(Math.max(0, 4_000 - (Date.now() - stoppedAt)));
    await s.startTemporal();
    timings.temporal_outage = Date.now() - stoppedAt;

    const v = await settle(web, run.id, 120_000);
    const postAttempt = await postDigestAttempt(run.id, web);
    report.add(
      'Temporal restart mid-post',
      'webhook Run now',
      v,
      postAttempt > 0
        ? `post answered while Temporal was down; postDigest attempt ${postAttempt} recorded the outcome`
        : // One workflow task posts a digest (local activities): Temporal lost that task with the
          // restart, and its re-run found the record the lost task had finished.
          'post answered while Temporal was down; the workflow task that posted was lost, its re-run found the run finished',
    );
    expectConsistent(v);
    expect(v).toMatchObject({ status: 'succeeded', ledger: 'posted', messages: 1 });

    // The digest turned off during the outage: once Temporal is back the worker's reconciler applies
    // the saved change by itself (a disabled digest has no schedule), with no second save.
    const scheduleId = digestScheduleId(web.installationId);
    const applied = await waitFor(
      async () => {
        const shown = await api(web.tenant, 'get', `${installationPath(web)}/schedule`);
        return shown.body.apply_state === 'applied' ? shown : undefined;
      },
      60_000,
      250,
    );
    expect(applied.body.schedule).toBeNull();
    await expect(s.temporal.client.schedule.getHandle(scheduleId).describe()).rejects.toThrow(/not found|already completed/i);
    report.rows.push({
      fault: 'Temporal down',
      run: 'digest turned off during the outage',
      status: 'applied',
      errorKind: null,
      ledger: null,
      delivered: 0,
      duplicates: 0,
      lost: 0,
      note: 'saved during the outage; the reconciler deleted the schedule once Temporal was back',
    });

    // Run now during the outage: refused with 503, and the execution it recorded is closed as failed (visible, nothing posted).
    const refused = await withTenant(s.handle.db, blocked.tenant.id, (tx) => tx.execution.findMany({}));
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ status: 'failed', errorKind: 'network' });
    const listed = await api(blocked.tenant, 'get', `/api/tenants/${blocked.tenant.slug}/executions`);
    expect(listed.body.items.map((e: { status: string }) => e.status)).toEqual(['failed']);
    const refusedV = await settle(blocked, refused[0].id, 5_000).catch(() => null);
    expect(refusedV?.messages ?? 0).toBe(0);
    report.rows.push({
      fault: 'Temporal down',
      run: 'Run now during the outage',
      status: 'failed',
      errorKind: 'network',
      ledger: null,
      delivered: 0,
      duplicates: 0,
      lost: 0,
      note: 'API answered 503 DEPENDENCY_UNAVAILABLE; execution closed failed',
    });

    // Both installs end installed: the one running when Temporal stopped, and the one requested during
    // the outage (started by the worker's reconciler once Temporal is back).
    for (const [tenant, res, label] of [
      [midInstallTenant, midInstall, 'install running when Temporal stopped'],
      [outageInstallTenant, duringInstall, 'install requested during the outage'],
    ] as const) {
      const installationId = res.body.installation.id as string;
      const shown = await waitInstalled(tenant, installationId, 75_000);
      expect(shown.status).toBe('installed');
      await expectOneCompletedInstall(tenant, installationId);
      report.rows.push({
        fault: 'Temporal restart',
        run: label,
        status: 'installed',
        errorKind: null,
        ledger: null,
        delivered: 0,
        duplicates: 0,
        lost: 0,
        note: 'one directive, one installation, one workflow',
      });
    }
    timings.temporal_recovery = Date.now() - stoppedAt;
    expect(s.worker.unexpectedExits()).toBe(0);
  });

  it('Postgres stopped and restarted while posts are in flight and an install is running', async () => {
    const web = await installDigest('webhook');
    const pat = await installDigest('pat');
    const installTenant = await createTestTenant(s.handle, 'fx');

    // Both answers arrive while Postgres is down: recording the post must wait for it, not be lost.
    s.fake.failNext(1, 'slow', { route: 'hooks', method: 'POST', delayMs: 1_500 });
    s.fake.failNext(1, 'slow', { route: 'api', method: 'POST', path: '/api/v4/posts', delayMs: 1_500 });
    const webRun = await runNow(web);
    const patRun = await runNow(pat);
    await waitFor(async () => received(webRun.dedupeKey) && received(patRun.dedupeKey), 30_000, 50);
    const install = await requestInstall(installTenant);
    expect(install.status).toBe(202);

    const stoppedAt = Date.now();
    await s.stopPostgres();
    const during = await api(web.tenant, 'get', `/api/tenants/${web.tenant.slug}/installations`);
    expect(during.status).toBe(503);
    expect(during.body.error.code).toBe('DEPENDENCY_UNAVAILABLE');
    await sleep(Math.max(0, 3_000 - (Date.now() - stoppedAt)));
    await s.startPostgres();
    timings.postgres_outage = Date.now() - stoppedAt;

    const [webV, patV] = await Promise.all([settle(web, webRun.id, 120_000), settle(pat, patRun.id, 120_000)]);
    report.add('Postgres restart mid-post', 'webhook Run now', webV, 'answer arrived while the database was down');
    report.add('Postgres restart mid-post', 'token Run now', patV, 'answer arrived while the database was down');
    expectConsistent(webV);
    expectConsistent(patV);
    expect(webV).toMatchObject({ status: 'succeeded', ledger: 'posted', messages: 1 });
    expect(patV).toMatchObject({ status: 'succeeded', ledger: 'posted', messages: 1 });

    const installationId = install.body.installation.id as string;
    expect((await waitInstalled(installTenant, installationId, 60_000)).status).toBe('installed');
    await expectOneCompletedInstall(installTenant, installationId);
    report.rows.push({
      fault: 'Postgres restart',
      run: 'install running when Postgres stopped',
      status: 'installed',
      errorKind: null,
      ledger: null,
      delivered: 0,
      duplicates: 0,
      lost: 0,
      note: 'one directive, one installation',
    });
    timings.postgres_recovery = Date.now() - stoppedAt;
    expect(s.worker.unexpectedExits()).toBe(0);
  });

  it('afterwards: nothing is stuck, at most one message per dedupe key, and the canary scan finds nothing', async () => {
    const admin = new PgClient({ connectionString: s.ownerUrl });
    await admin.connect();
    try {
      const stuck = await admin.query(`
        select 'execution' as what, id::text, status::text from executions where status in ('pending', 'running')
        union all select 'directive', id::text, status::text from directives where status in ('requested', 'running')
        union all select 'installation', id::text, status::text from installations where status in ('requested', 'installing', 'uninstalling')
        union all select 'ledger', id::text, status::text from outbound_messages where status in ('pending', 'posting')`);
      expect(stuck.rows).toEqual([]);
      const perKey = new Map<string, number>();
      for (const p of s.fake.received()) {
        const marker = p.props.fleetprompt_dedupe;
        if (typeof marker === 'string') perKey.set(marker, (perKey.get(marker) ?? 0) + 1);
      }
      expect([...perKey.values()].filter((n) => n > 1)).toEqual([]);

      // The canary scan: database, the API's and the worker's logs, every API answer, the pages,
      // and every workflow and schedule of these tenants in Temporal.
      const pages: ScanSource[] = [];
      for (const i of everyone) {
        for (const url of ['/marketplace', `/installations/${i.installationId}`, '/admin']) {
          const res = await request(s.app).get(url);
          pages.push({ name: `page:${url}`, text: res.text });
        }
      }
      const temporal: ScanSource[] = [];
      for (const i of everyone) {
        temporal.push(...(await temporalSources(s.temporal.client, `TenantId = '${i.tenant.id}'`, { timeoutMs: 30_000 })).sources);
      }
      temporal.push(
        ...(await scheduleSources(
          s.temporal.client,
          everyone.map((i) => digestScheduleId(i.installationId)),
        )),
      );
      const sources: ScanSource[] = [
        ...(await dumpDatabase(admin)),
        { name: 'api logs', text: appLogs.text() },
        { name: 'worker process output', text: s.worker.output() },
        ...responses,
        ...pages,
        ...temporal,
      ];
      expect(temporal.length).toBeGreaterThan(everyone.length);
      expect(canaries.length).toBeGreaterThan(4);
      expect(describeHits(scanForCanaries(sources, canaries))).toBe('no canary found');
    } finally {
      await admin.end();
    }
  });

  /** Which attempt of the postDigest activity completed (2+ means the first one's result was lost; 0: none in this history). */
  async function postDigestAttempt(executionId: string, i: Installed): Promise<number> {
    const execution = await withTenant(s.handle.db, i.tenant.id, (tx) => tx.execution.findUniqueOrThrow({ where: { id: executionId } }));
    const history = await s.temporal.client.workflow.getHandle(execution.workflowId!).fetchHistory();
    const events = history.events ?? [];
    // A local post (patch local-post) leaves a marker that names its attempt.
    for (const e of events) {
      const data = e.markerRecordedEventAttributes?.details?.data?.payloads?.[0]?.data;
      const marker = data ? (JSON.parse(Buffer.from(data).toString('utf8')) as { activity_type?: string; attempt?: number }) : undefined;
      if (marker?.activity_type === 'postDigest') return marker.attempt ?? 0;
    }
    const scheduled = new Set(events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'postDigest').map((e) => String(e.eventId)));
    const started = events.find((e) => e.activityTaskStartedEventAttributes && scheduled.has(String(e.activityTaskStartedEventAttributes.scheduledEventId)));
    return started?.activityTaskStartedEventAttributes?.attempt ?? 0;
  }

  async function expectOneCompletedInstall(tenant: TestTenant, installationId: string) {
    const { directives, installations, signals } = await withTenant(s.handle.db, tenant.id, async (tx) => ({
      directives: await tx.directive.findMany({}),
      installations: await tx.installation.findMany({}),
      signals: await tx.signal.findMany({ where: { type: { startsWith: 'package.install.' } } }),
    }));
    expect(installations.map((i) => i.id)).toEqual([installationId]);
    expect(directives).toHaveLength(1);
    expect(directives[0].status).toBe('completed');
    expect(signals.map((x) => x.type).sort()).toEqual(['package.install.completed', 'package.install.requested', 'package.install.started']);
    // Visibility is eventually consistent: wait until the workflow is listed, then there is only it.
    const workflows = await waitFor(
      async () => {
        const ids: string[] = [];
        for await (const w of s.temporal.client.workflow.list({ query: `TenantId = '${tenant.id}'` })) ids.push(w.workflowId);
        return ids.length > 0 ? ids : undefined;
      },
      20_000,
      250,
    );
    expect(workflows).toEqual([directives[0].workflowId]);
  }
});
