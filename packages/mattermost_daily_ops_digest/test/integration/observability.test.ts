// "What happened?" and operating it: the correlation timeline with its Temporal links; JSON log
// lines that name their tenant, correlation id, workflow and execution (API and activities) with
// secrets redacted; Prometheus metrics on the API and on a real worker process, the Temporal
// SDK's own worker metrics included; and the worker creating the retention schedule at start.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import request from 'supertest';
import { createLogger } from '../../../../lib/log/logger';
import { remoteMetrics, startMetricsServer } from '../../../../lib/metrics/metrics-server';
import { signalRetentionScheduleId } from '../../../../lib/temporal/contract';
import { freePort } from '../../../../scripts/dev-stack/postgres';
import { TEST_KEYRING } from '../../../../test/helpers/app';
import { memoryStream } from '../../../../test/helpers/canary';
import { databaseUrl, waitFor } from '../../../../test/helpers/db';
import { auth, openDigestStack, waitForExecution, type DigestStack } from '../../../../test/helpers/digest-stack';
import { digestDefinition } from '../../definition';
import { installedTenant } from '../helpers/installed-digest';
import { temporalAddress } from '../../../../test/helpers/temporal';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

type Line = Record<string, unknown> & { msg?: string };

describe('observability', () => {
  let s: DigestStack;
  const logs = memoryStream();
  const lines = (): Line[] => logs.lines().map((l) => JSON.parse(l) as Line);

  beforeAll(async () => {
    const logger = createLogger({ level: 'debug', destination: logs.stream });
    s = await openDigestStack({ logger, appOverrides: { logger } });
  });
  afterAll(() => s.close());

  it('a run: timeline in time order with Temporal links, log lines with full context and no secret, metrics', async () => {
    const { tenant, installationId, hookUrl } = await installedTenant(s);
    const hookId = hookUrl!.split('/hooks/')[1];
    const run = await request(s.app)
      .post(`/api/tenants/${tenant.slug}/installations/${installationId}/runs`)
      .set(auth(tenant))
      .set('x-request-id', 'req-observability-1')
      .send({});
    expect(run.status).toBe(202);
    expect(run.headers['x-request-id']).toBe('req-observability-1');
    const execution = await waitForExecution(s, tenant, run.body.execution.id);
    expect(execution.status).toBe('succeeded');

    // --- Timeline of the run.
    const timeline = await request(s.app)
      .get(`/api/tenants/${tenant.slug}/timeline/${encodeURIComponent(execution.correlationId)}`)
      .set(auth(tenant, 'member'));
    expect(timeline.status).toBe(200);
    const events = timeline.body.events as { at: string; kind: string; title: string }[];
    expect(events.map((e) => e.at)).toEqual([...events.map((e) => e.at)].sort());
    expect(events.filter((e) => e.kind === 'signal').map((e) => e.title)).toEqual([
      'mattermost.digest.requested',
      'mattermost.digest.generated',
      'mattermost.message.posted',
      'value.digest.posted',
    ]);
    expect(events.filter((e) => e.kind === 'log').map((e) => e.title)).toEqual([
      'Digest run started (manual)',
      'Digest generated',
      'Message posted to Mattermost (webhook)',
      'Digest run succeeded',
    ]);
    expect(events.filter((e) => e.kind === 'execution').map((e) => e.title)).toEqual(['Manual run requested', 'Run started', 'Run succeeded']);
    expect(timeline.body.workflows).toEqual([
      {
        kind: 'execution',
        ref_id: execution.id,
        workflow_id: execution.workflowId,
        run_id: execution.runId,
        temporal_url: `http://127.0.0.1:8233/namespaces/default/workflows/${encodeURIComponent(execution.workflowId!)}/${execution.runId}/history`,
      },
    ]);
    expect(timeline.body.temporal_search_url).toBe(
      `http://127.0.0.1:8233/namespaces/default/workflows?query=${encodeURIComponent(`CorrelationId="${execution.correlationId}"`)}`,
    );

    // --- Timeline of the install: the directive, its lifecycle and signals, its workflow.
    const directives = await request(s.app).get(`/api/tenants/${tenant.slug}/directives`).set(auth(tenant, 'member'));
    const install = directives.body.items.find((d: { type: string }) => d.type === 'package.install');
    const installTimeline = await request(s.app)
      .get(`/api/tenants/${tenant.slug}/timeline/${encodeURIComponent(install.correlation_id)}`)
      .set(auth(tenant, 'member'));
    const installEvents = installTimeline.body.events as { kind: string; title: string }[];
    expect(installEvents.filter((e) => e.kind === 'directive').map((e) => e.title)).toEqual([
      'Directive package.install recorded',
      'Directive package.install started',
      'Directive package.install completed',
    ]);
    expect(installEvents.filter((e) => e.kind === 'signal').map((e) => e.title)).toEqual(
      expect.arrayContaining([
        'package.install.requested',
        'directive.requested',
        'package.install.started',
        'package.install.completed',
        'directive.completed',
      ]),
    );
    expect(installTimeline.body.workflows).toEqual([
      expect.objectContaining({ kind: 'directive', workflow_id: install.workflow_id, run_id: expect.any(String) }),
    ]);

    // --- Logs: the API request line and every activity line name tenant, correlation, workflow, execution.
    const all = lines();
    const requestLine = all.find((l) => l.msg === 'request' && l.requestId === 'req-observability-1');
    expect(requestLine).toMatchObject({ tenantId: tenant.id, method: 'POST', route: '/api/tenants/:tenant/installations/:id/runs', status: 202 });
    const activityLines = all.filter((l) => l.workflowId === execution.workflowId && l.activityType);
    expect(activityLines.map((l) => l.activityType)).toEqual(expect.arrayContaining(['beginDigestRun', 'generateDigest', 'postDigest', 'finishDigestRun']));
    for (const l of activityLines) {
      expect(l).toMatchObject({
        tenantId: tenant.id,
        correlationId: execution.correlationId,
        executionId: execution.id,
        workflowId: execution.workflowId,
        runId: execution.runId,
      });
    }
    expect(all.find((l) => l.msg === 'workflow finished' && l.workflowId === execution.workflowId)).toMatchObject({
      tenantId: tenant.id,
      correlationId: execution.correlationId,
      outcome: 'succeeded',
    });
    // Every line about a workflow names its tenant.
    expect(all.filter((l) => typeof l.workflowId === 'string' && String(l.workflowId).includes(tenant.id) && !l.tenantId)).toEqual([]);
    expect(logs.text()).not.toContain(hookId);

    // --- Metrics on the API's /metrics (this test process also runs the worker: one registry).
    const metrics = await request(s.app).get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.headers['content-type']).toMatch(/^text\/plain/);
    const text = metrics.text;
    const value = (series: string) => Number(new RegExp(`^${series.replace(/[{}"=,.:/+*?()[\]]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
    expect(value('fleetprompt_digest_run_total{trigger="manual",outcome="succeeded"}')).toBeGreaterThanOrEqual(1);
    expect(value('fleetprompt_digest_run_duration_seconds_count{trigger="manual",outcome="succeeded"}')).toBeGreaterThanOrEqual(1);
    // The same run in the every-package run metric, labelled by its package (PackageModule.runWorkflowTypes).
    expect(value(`fleetprompt_package_run_total{package="${digestDefinition.identity.slug}",trigger="manual",outcome="succeeded"}`)).toBeGreaterThanOrEqual(1);
    expect(
      value(`fleetprompt_package_run_duration_seconds_count{package="${digestDefinition.identity.slug}",trigger="manual",outcome="succeeded"}`),
    ).toBeGreaterThanOrEqual(1);
    expect(value('fleetprompt_mattermost_post_total{outcome="posted",error_kind="none"}')).toBeGreaterThanOrEqual(1);
    expect(value('fleetprompt_mattermost_post_duration_seconds_count{outcome="posted"}')).toBeGreaterThanOrEqual(1);
    for (const event of ['requested', 'started', 'completed']) expect(value(`fleetprompt_package_install_total{event="${event}"}`)).toBeGreaterThanOrEqual(1);
    expect(value('fleetprompt_directive_total{type="package.install",event="completed"}')).toBeGreaterThanOrEqual(1);
    expect(value('fleetprompt_package_install_duration_seconds_count{outcome="completed"}')).toBeGreaterThanOrEqual(1);
    expect(value('fleetprompt_directive_duration_seconds_count{type="package.install",outcome="completed"}')).toBeGreaterThanOrEqual(1);
    expect(value('fleetprompt_http_requests_total{method="POST",route="/api/tenants/:tenant/installations/:id/runs",status="2xx"}')).toBeGreaterThanOrEqual(1);
    // No tenant, slug, installation or correlation id in any label.
    for (const id of [tenant.id, tenant.slug, installationId, execution.id]) expect(text).not.toContain(id);
  });

  it('a duplicate lifecycle signal is not counted twice', async () => {
    const before = await request(s.app).get('/metrics');
    const count = (t: string) => Number(/^fleetprompt_package_install_total\{event="requested"\} (\S+)$/m.exec(t)?.[1] ?? 0);
    const { tenant } = await installedTenant(s, { connect: false });
    const afterOne = await request(s.app).get('/metrics');
    expect(count(afterOne.text) - count(before.text)).toBe(1);
    // The same install again is the same directive: no new event.
    await request(s.app).post(`/api/tenants/${tenant.slug}/installations`).set(auth(tenant)).send({ package_slug: 'mattermost_daily_ops_digest' });
    expect(count((await request(s.app).get('/metrics')).text)).toBe(count(afterOne.text));
  });

  it('the worker metrics endpoint merges another exporter’s text, and survives it being down', async () => {
    const sdk = createServer((_req, res) =>
      res.end('# TYPE temporal_worker_task_slots_available gauge\ntemporal_worker_task_slots_available{worker_type="ActivityWorker"} 100\n'),
    );
    await new Promise<void>((r) => sdk.listen(0, '127.0.0.1', r));
    const sdkUrl = `http://127.0.0.1:${(sdk.address() as AddressInfo).port}/metrics`;
    const server = await startMetricsServer({
      host: '127.0.0.1',
      port: 0,
      logger: createLogger({ level: 'silent' }),
      extra: [remoteMetrics(sdkUrl), remoteMetrics('http://127.0.0.1:1/metrics', 500)],
    });
    try {
      const res = await fetch(server!.url);
      const text = await res.text();
      expect(res.status).toBe(200);
      expect(text).toContain('fleetprompt_digest_run_total');
      expect(text).toContain('temporal_worker_task_slots_available{worker_type="ActivityWorker"} 100');
      expect(text).toContain('# http://127.0.0.1:1/metrics is unavailable');
      expect((await fetch(server!.url.replace('/metrics', '/other'))).status).toBe(404);
    } finally {
      await server?.close();
      sdk.close();
    }
  });

  describe('a real worker process (worker.ts)', () => {
    let child: ChildProcess | undefined;
    let out = '';
    afterAll(async () => {
      if (child && child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child!.once('exit', r));
      }
    });

    it('serves /metrics with the Temporal SDK’s worker metrics, logs JSON, and ensures the retention schedule', async () => {
      const [metricsPort, sdkPort] = [await freePort(), await freePort()];
      const taskQueue = `obs-worker-${Date.now()}`;
      child = spawn(process.execPath, ['--require', 'tsx/cjs', path.resolve(__dirname, '../../../../worker.ts')], {
        cwd: path.resolve(__dirname, '../../../..'),
        env: {
          ...process.env,
          NODE_ENV: 'test',
          LOG_LEVEL: 'info',
          DATABASE_URL: databaseUrl(),
          TEMPORAL_ADDRESS: temporalAddress(),
          TEMPORAL_TASK_QUEUE: taskQueue,
          ENCRYPTION_KEYS: `test1:${Buffer.from(TEST_KEYRING.keys.get('test1')!).toString('base64')}`,
          HOST: '127.0.0.1',
          WORKER_METRICS_PORT: String(metricsPort),
          WORKER_SDK_METRICS_PORT: String(sdkPort),
          SIGNAL_RETENTION_DAYS: '21',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout!.on('data', (c: Buffer) => (out += c.toString('utf8')));
      child.stderr!.on('data', (c: Buffer) => (out += c.toString('utf8')));

      const text = await waitFor(
        async () => {
          if (child!.exitCode !== null) throw new Error(`worker exited (${child!.exitCode}):\n${out}`);
          const res = await fetch(`http://127.0.0.1:${metricsPort}/metrics`).catch(() => null);
          const body = res?.ok ? await res.text() : '';
          return /^temporal_worker_start\{/m.test(body) && body.includes('fleetprompt_') && out.includes('"msg":"worker running"') ? body : undefined;
        },
        60_000,
        500,
      );
      expect(text).toMatch(new RegExp(`^temporal_worker_start\\{.*task_queue="${taskQueue}".*\\} 1$`, 'm'));
      expect(text).toMatch(/^temporal_request_latency_bucket\{/m);
      expect(text).toMatch(/^nodejs_heap_size_used_bytes\{service="worker"\} \d+/m);
      // The SDK's own endpoint is on loopback too.
      expect((await fetch(`http://127.0.0.1:${sdkPort}/metrics`)).status).toBe(200);

      const d = await s.t.temporal.client.schedule.getHandle(signalRetentionScheduleId(taskQueue)).describe();
      expect(d.action).toMatchObject({ workflowType: 'signalRetentionWorkflow', args: [{ retentionDays: 21 }], taskQueue });
      await s.t.temporal.client.schedule.getHandle(signalRetentionScheduleId(taskQueue)).delete();

      const jsonLines = out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Line);
      expect(jsonLines.find((l) => l.msg === 'worker running')).toMatchObject({ name: 'worker', taskQueue });
      expect(jsonLines.find((l) => l.msg === 'signal retention schedule ensured')).toMatchObject({ retentionDays: 21 });

      child.kill('SIGTERM');
      const code = await new Promise((r) => child!.once('exit', r));
      expect(code).toBe(0);
    });
  });
});
