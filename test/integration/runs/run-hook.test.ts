// Run now and Retry are the platform's, for the packages that opt in (PackageModule.runs): the
// core records the execution with the identity the package gives, takes the quota, starts the
// workflow the package names on the real Temporal server, and asks the package why a failed run
// may not be retried. A package without the hook answers 409 RUNS_NOT_SUPPORTED and records
// nothing. The packages here are made up (no worker runs them): the test names no real package.
import request from 'supertest';
import type { Express } from 'express';
import { withTenant } from '../../../lib/db/with-tenant';
import { AppError } from '../../../lib/errors/app-error';
import type { RunHook } from '../../../lib/runs/run-hook';
import type { PackageModule } from '../../../packages/module';
import { PACKAGE_MODULES } from '../../../packages/registry';
import { buildTestApp } from '../../helpers/app';
import { createTestTenant, testDb, type TestTenant } from '../../helpers/db';
import { openTestTemporal, type TestTemporal } from '../../helpers/temporal';

jest.setTimeout(60_000);

const WITH_RUNS = 'test_runs_hooked';
const WITHOUT_RUNS = 'test_runs_none';
const KIND = 'test_hooked_run';

// A hook whose answers say where each value came from.
const hook: RunHook = {
  executionKind: KIND,
  assertRunnable(installation) {
    if ((installation.config as { ready?: boolean }).ready === false) throw new AppError('NOT_CONFIGURED', 'Not ready: set ready.');
  },
  manualRunIdentity: ({ tenantId, executionId, now }) => ({
    correlationId: `hooked:${tenantId}:manual:${executionId}`,
    workflowId: `hooked-wf:${tenantId}:manual:${executionId}`,
    dedupeKey: `hooked-post:${executionId}`,
    windowStart: new Date(now.getTime() - 3_600_000),
    windowEnd: now,
  }),
  retryWorkflowId: ({ tenantId, executionId }) => `hooked-wf:${tenantId}:retry:${executionId}`,
  runWorkflow: (execution, run) => ({
    workflowType: 'hookedRunWorkflow',
    args: [{ executionId: execution.id, trigger: run.trigger, acceptUnknownOutcome: run.acceptUnknownOutcome }],
    memo: { hooked: execution.id },
    staticSummary: `hooked ${run.trigger} run`,
  }),
  async retryBlockedBy(_tx, failed) {
    const blocked = failed.filter((e) => e.dedupeKey === 'blocked');
    return new Map(blocked.map((e) => [e.id, { supersededBy: { execution_id: e.id, digest_date: '2026-12-01' }, message: 'A later hooked run covered it.' }]));
  },
};

const base = PACKAGE_MODULES[0].definition;
const moduleOf = (slug: string, runs?: RunHook): PackageModule => ({
  definition: { ...base, identity: { ...base.identity, slug } },
  ...(runs ? { runs } : {}),
});

describe('the runs hook', () => {
  const handle = testDb();
  let t: TestTemporal;
  let app: Express;
  beforeAll(async () => {
    t = await openTestTemporal();
    app = buildTestApp({
      db: handle.db,
      temporal: t.temporal,
      overrides: { packageModules: [moduleOf(WITH_RUNS, hook), moduleOf(WITHOUT_RUNS)], runNowLimitPerHour: 5 },
    });
  });
  afterAll(async () => {
    await t.close();
    await handle.close();
  });

  const auth = (tenant: TestTenant) => ({ authorization: `Bearer ${tenant.tokens.owner}` });
  const install = (tenant: TestTenant, packageSlug: string, config: { ready?: boolean } = {}) =>
    withTenant(handle.db, tenant.id, (tx) =>
      tx.installation.create({ data: { tenantId: tenant.id, packageSlug, packageVersion: '1.0.0', status: 'installed', config } }),
    );
  const executions = (tenant: TestTenant) => withTenant(handle.db, tenant.id, (tx) => tx.execution.findMany({ orderBy: { createdAt: 'asc' } }));
  const failedRun = (tenant: TestTenant, installationId: string, kind: string, dedupeKey = 'original-key') =>
    withTenant(handle.db, tenant.id, (tx) =>
      tx.execution.create({
        data: {
          tenantId: tenant.id,
          installationId,
          kind,
          trigger: 'scheduled',
          correlationId: `original:${dedupeKey}`,
          dedupeKey,
          windowStart: new Date(Date.now() - 7_200_000),
          windowEnd: new Date(Date.now() - 3_600_000),
          status: 'failed',
          errorKind: 'network',
        },
      }),
    );
  // Nothing runs these workflows (no worker): read what was started, then end it.
  const started = async (workflowId: string) => {
    const wf = t.temporal.client.workflow.getHandle(workflowId);
    const described = await wf.describe();
    const history = await wf.fetchHistory();
    await wf.terminate('test over');
    const input = history.events?.[0].workflowExecutionStartedEventAttributes?.input?.payloads?.[0]?.data;
    return { type: described.type, memo: described.memo, taskQueue: described.taskQueue, args: JSON.parse(Buffer.from(input!).toString('utf8')) as unknown };
  };

  it('Run now records the execution with the package’s identity, takes the quota and starts the workflow it names', async () => {
    const tenant = await createTestTenant(handle, 'rh');
    const installation = await install(tenant, WITH_RUNS);
    const res = await request(app).post(`/api/tenants/${tenant.slug}/installations/${installation.id}/runs`).set(auth(tenant)).send({});
    expect(res.status).toBe(202);
    expect(res.body.run_quota).toMatchObject({ limit: 5, used: 1, remaining: 4 });
    const id = res.body.execution.id as string;
    expect(res.headers.location).toBe(`/api/tenants/${tenant.slug}/executions/${id}`);
    const [row] = await executions(tenant);
    expect(row).toMatchObject({
      id,
      kind: KIND,
      trigger: 'manual',
      status: 'pending',
      correlationId: `hooked:${tenant.id}:manual:${id}`,
      workflowId: `hooked-wf:${tenant.id}:manual:${id}`,
      dedupeKey: `hooked-post:${id}`,
    });
    expect(await started(row.workflowId!)).toEqual({
      type: 'hookedRunWorkflow',
      memo: { hooked: id },
      taskQueue: t.temporal.taskQueue,
      args: { executionId: id, trigger: 'manual', acceptUnknownOutcome: false },
    });
  });

  it('a package may refuse a Run now it is not ready for: its error, no execution, no quota used', async () => {
    const tenant = await createTestTenant(handle, 'rh');
    const installation = await install(tenant, WITH_RUNS, { ready: false });
    const res = await request(app).post(`/api/tenants/${tenant.slug}/installations/${installation.id}/runs`).set(auth(tenant)).send({});
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'NOT_CONFIGURED', message: 'Not ready: set ready.' });
    expect(await executions(tenant)).toEqual([]);
  });

  it('Retry keeps the original’s correlation id and dedupe key, under the workflow id the package gives', async () => {
    const tenant = await createTestTenant(handle, 'rh');
    const installation = await install(tenant, WITH_RUNS);
    const original = await failedRun(tenant, installation.id, KIND);
    const res = await request(app).post(`/api/tenants/${tenant.slug}/executions/${original.id}/retry`).set(auth(tenant)).send({});
    expect(res.status).toBe(202);
    const id = res.body.execution.id as string;
    const retry = (await executions(tenant)).find((e) => e.id === id)!;
    expect(retry).toMatchObject({
      kind: KIND,
      trigger: 'retry',
      correlationId: original.correlationId,
      dedupeKey: original.dedupeKey,
      workflowId: `hooked-wf:${tenant.id}:retry:${id}`,
      retryOfExecutionId: original.id,
      windowStart: original.windowStart,
      windowEnd: original.windowEnd,
    });
    expect(await started(retry.workflowId!)).toMatchObject({
      type: 'hookedRunWorkflow',
      args: { executionId: id, trigger: 'retry', acceptUnknownOutcome: true },
    });
  });

  it('Retry of a run the package says was covered is refused with its reason, which the run list shows', async () => {
    const tenant = await createTestTenant(handle, 'rh');
    const installation = await install(tenant, WITH_RUNS);
    const original = await failedRun(tenant, installation.id, KIND, 'blocked');
    const res = await request(app).post(`/api/tenants/${tenant.slug}/executions/${original.id}/retry`).set(auth(tenant)).send({});
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({
      code: 'RETRY_SUPERSEDED',
      message: 'A later hooked run covered it.',
      details: { superseded_by: { execution_id: original.id, digest_date: '2026-12-01' } },
    });
    const list = await request(app).get(`/api/tenants/${tenant.slug}/executions`).set(auth(tenant)).expect(200);
    expect(list.body.items.map((e: { id: string; retry_superseded_by: unknown }) => [e.id, e.retry_superseded_by])).toEqual([
      [original.id, { execution_id: original.id, digest_date: '2026-12-01' }],
    ]);
    expect(await executions(tenant)).toHaveLength(1);
  });

  it('Retry refuses an execution of another kind than the package records (INVALID_STATE)', async () => {
    const tenant = await createTestTenant(handle, 'rh');
    const installation = await install(tenant, WITH_RUNS);
    const other = await failedRun(tenant, installation.id, 'some_other_kind');
    const res = await request(app).post(`/api/tenants/${tenant.slug}/executions/${other.id}/retry`).set(auth(tenant)).send({});
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('INVALID_STATE');
    expect(res.body.error.message).toContain('some_other_kind');
    expect(await executions(tenant)).toHaveLength(1);
  });

  it('a package without the runs hook answers 409 RUNS_NOT_SUPPORTED to Run now and Retry, and records nothing', async () => {
    const tenant = await createTestTenant(handle, 'rh');
    const installation = await install(tenant, WITHOUT_RUNS);
    const run = await request(app).post(`/api/tenants/${tenant.slug}/installations/${installation.id}/runs`).set(auth(tenant)).send({});
    expect(run.status).toBe(409);
    expect(run.body.error.code).toBe('RUNS_NOT_SUPPORTED');
    expect(run.body.error.message).toContain(WITHOUT_RUNS);
    expect(run.body.error.message).toContain('no manual runs');
    expect(await executions(tenant)).toEqual([]);

    const original = await failedRun(tenant, installation.id, 'its_own_kind');
    const retry = await request(app).post(`/api/tenants/${tenant.slug}/executions/${original.id}/retry`).set(auth(tenant)).send({});
    expect(retry.status).toBe(409);
    expect(retry.body.error.code).toBe('RUNS_NOT_SUPPORTED');
    expect((await executions(tenant)).map((e) => e.id)).toEqual([original.id]);
    // Nothing used the tenant's hourly quota.
    const installed = await install(tenant, WITH_RUNS);
    const ok = await request(app).post(`/api/tenants/${tenant.slug}/installations/${installed.id}/runs`).set(auth(tenant)).send({});
    expect(ok.body.run_quota).toMatchObject({ used: 1 });
    await started(ok.body.execution.workflow_id);
  });
});
