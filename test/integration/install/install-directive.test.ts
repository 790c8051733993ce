// package.install end to end: API → one transaction → Temporal workflow → activities → DB,
// against the real Postgres and the real Temporal dev server. The package installed is the first
// one the registry lists (test/helpers/registered-package.ts): what is asserted is the core's.
import { ApplicationFailure } from '@temporalio/common';
import { Worker } from '@temporalio/worker';
import request from 'supertest';
import type { Express } from 'express';
import type { Worker as TWorker } from '@temporalio/worker';
import type { DbHandle } from '../../../lib/db/client';
import { withTenant } from '../../../lib/db/with-tenant';
import { reconcileRequestedDirectives } from '../../../lib/directives/reconcile-directives';
import { createLogger } from '../../../lib/log/logger';
import { CorrelationIdKey, InstallationIdKey, TenantIdKey } from '../../../lib/temporal/contract';
import { createActivities } from '../../../activities';
import { buildTestApp, temporalStarter, unreachableStarter } from '../../helpers/app';
import { adminClient, createTestTenant, testDb, waitFor, type TestTenant } from '../../helpers/db';
import { openTestTemporal, startTestWorker, type TestTemporal } from '../../helpers/temporal';
import { aRegisteredPackage } from '../../helpers/registered-package';

const logger = createLogger({ level: 'silent' });
const PKG = aRegisteredPackage();
const SLUG = PKG.slug;
/** A valid config other than the defaults: one boolean setting flipped. */
const FLIPPED = PKG.booleanFields(PKG.latest.version)[0];

describe('package install directive', () => {
  let handle: DbHandle;
  let t: TestTemporal;
  let app: Express;
  let worker: { worker: TWorker; running: Promise<void> };

  beforeAll(async () => {
    handle = testDb();
    t = await openTestTemporal();
    app = buildTestApp({ db: handle.db, temporal: t.temporal });
    worker = await startTestWorker(t, { db: handle.db, logger });
  });
  afterAll(async () => {
    worker.worker.shutdown();
    await worker.running;
    await t.close();
    await handle.close();
  });

  const install = (tenant: TestTenant, body: object = { package_slug: SLUG }, role: keyof TestTenant['tokens'] = 'owner') =>
    request(app).post(`/api/tenants/${tenant.slug}/installations`).set('authorization', `Bearer ${tenant.tokens[role]}`).send(body);

  const installationOf = (tenant: TestTenant, id: string) => withTenant(handle.db, tenant.id, (tx) => tx.installation.findUniqueOrThrow({ where: { id } }));

  const signalTypes = async (tenant: TestTenant, correlationId: string) =>
    (await withTenant(handle.db, tenant.id, (tx) => tx.signal.findMany({ where: { correlationId }, orderBy: { occurredAt: 'asc' } }))).map((s) => s.type);

  it('installs: 202, then installed with templates, defaults and the full signal lifecycle', async () => {
    const tenant = await createTestTenant(handle, 'inst');
    const version = PKG.first.version;
    const flipped = { [FLIPPED]: !PKG.defaults(version)[FLIPPED] };
    const res = await install(tenant, { package_slug: SLUG, version, config: flipped });
    expect(res.status).toBe(202);
    expect(res.headers.location).toBe(`/api/tenants/${tenant.slug}/installations/${res.body.installation.id}`);
    expect(res.body.directive).toMatchObject({ type: 'package.install', status: 'requested', actor_role: 'owner' });
    expect(res.body.directive.workflow_id).toMatch(new RegExp(`^dir:pkg_install:${tenant.id}:${SLUG}:${version.replaceAll('.', '\\.')}:[0-9a-f]{16}$`));

    const id = res.body.installation.id as string;
    const installed = await waitFor(async () => {
      const i = await installationOf(tenant, id);
      return i.status === 'installed' ? i : undefined;
    });
    // The version's defaults, with the one setting given.
    expect(installed.config).toMatchObject({ ...PKG.defaults(version), ...flipped });

    const [workflowTemplates, agentTemplates, directive] = await withTenant(handle.db, tenant.id, (tx) =>
      Promise.all([
        tx.workflowTemplate.findMany({ where: { installationId: id } }),
        tx.agentTemplate.findMany({ where: { installationId: id } }),
        tx.directive.findFirstOrThrow({ where: { id: res.body.directive.id } }),
      ]),
    );
    expect(workflowTemplates.map((w) => w.key).sort()).toEqual(PKG.first.provides.workflow_templates.map((w) => w.key).sort());
    expect(agentTemplates.map((a) => a.key).sort()).toEqual(PKG.first.provides.agent_templates.map((a) => a.key).sort());
    expect(directive.status).toBe('completed');
    expect(directive.runId).toBeTruthy();

    const types = await waitFor(async () => {
      const s = await signalTypes(tenant, directive.correlationId);
      return s.length === 6 ? s : undefined;
    });
    expect(types.slice(0, 2).sort()).toEqual(['directive.requested', 'package.install.requested']);
    expect(types.slice(2, 4).sort()).toEqual(['directive.started', 'package.install.started']);
    expect(types.slice(4).sort()).toEqual(['directive.completed', 'package.install.completed']);

    // The workflow carries the search attributes and a readable memo for the Temporal Web UI.
    const description = await t.temporal.client.workflow.getHandle(directive.workflowId).describe();
    expect(description.typedSearchAttributes.get(TenantIdKey)).toBe(tenant.id);
    expect(description.typedSearchAttributes.get(CorrelationIdKey)).toBe(directive.correlationId);
    expect(description.typedSearchAttributes.get(InstallationIdKey)).toBe(id);
    expect(description.memo).toMatchObject({ directiveType: 'package.install', packageSlug: SLUG, tenantSlug: tenant.slug });

    // Replaying the recorded history against today's workflow code is deterministic.
    const history = await t.temporal.client.workflow.getHandle(directive.workflowId).fetchHistory();
    await Worker.runReplayHistory({ workflowBundle: t.bundle }, history, directive.workflowId);

    // History endpoints.
    const list = await request(app).get(`/api/tenants/${tenant.slug}/directives?type=package.install`).set('authorization', `Bearer ${tenant.tokens.member}`);
    expect(list.status).toBe(200);
    expect(list.body.items.map((d: { id: string }) => d.id)).toEqual([directive.id]);
    const detail = await request(app).get(`/api/tenants/${tenant.slug}/directives/${directive.id}`).set('authorization', `Bearer ${tenant.tokens.member}`);
    expect(detail.body.signals.map((s: { type: string }) => s.type)).toEqual(types);
    expect(detail.body.temporal_url).toContain(encodeURIComponent(directive.workflowId));
  });

  it('a double click, or 50 identical requests at once, gives one directive, installation, workflow and requested signal', async () => {
    const tenant = await createTestTenant(handle, 'dbl');
    // The whole default config spelled out, and below the same with its keys in reverse order.
    const config = PKG.defaults(PKG.latest.version);
    const body = { package_slug: SLUG, config };
    const responses = await Promise.all(Array.from({ length: 50 }, () => install(tenant, body)));
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(202));
    expect(new Set(responses.map((r) => r.body.directive.id)).size).toBe(1);
    expect(new Set(responses.map((r) => r.body.installation.id)).size).toBe(1);
    expect(responses.filter((r) => r.body.created)).toHaveLength(1);

    // The same config with keys in another order is the same request.
    const again = await install(tenant, { package_slug: SLUG, config: Object.fromEntries(Object.entries(config).reverse()) });
    expect(again.body).toMatchObject({ created: false, directive: { id: responses[0].body.directive.id } });

    const pg = await adminClient();
    const counts = await pg.query(
      `select (select count(*) from directives where tenant_id = $1)::int as directives,
              (select count(*) from installations where tenant_id = $1)::int as installations,
              (select count(*) from signals where tenant_id = $1 and type = 'package.install.requested')::int as requested`,
      [tenant.id],
    );
    await pg.end();
    expect(counts.rows[0]).toEqual({ directives: 1, installations: 1, requested: 1 });
    const workflows = await waitFor(async () => {
      const n = await t.temporal.client.workflow.count(`TenantId = '${tenant.id}'`);
      return n.count >= 1 ? n.count : undefined;
    });
    expect(workflows).toBe(1);
  });

  it('re-installing the same version and config is a no-op; other config while installed is a conflict', async () => {
    const tenant = await createTestTenant(handle, 'reins');
    const first = await install(tenant);
    await waitFor(async () => (await installationOf(tenant, first.body.installation.id)).status === 'installed');
    const same = await install(tenant);
    expect(same.status).toBe(202);
    expect(same.body).toMatchObject({
      created: false,
      installation: { id: first.body.installation.id, status: 'installed' },
      directive: { id: first.body.directive.id },
    });
    const other = await install(tenant, { package_slug: SLUG, config: { [FLIPPED]: !PKG.defaults(PKG.latest.version)[FLIPPED] } });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('INSTALLATION_EXISTS');
  });

  it('uninstall follows the directive pattern and ends uninstalled; then it can be installed again', async () => {
    const tenant = await createTestTenant(handle, 'unin');
    const first = await install(tenant);
    const id = first.body.installation.id;
    await waitFor(async () => (await installationOf(tenant, id)).status === 'installed');
    const del = await request(app).delete(`/api/tenants/${tenant.slug}/installations/${id}`).set('authorization', `Bearer ${tenant.tokens.admin}`);
    expect(del.status).toBe(202);
    expect(del.body.directive.type).toBe('package.uninstall');
    await waitFor(async () => (await installationOf(tenant, id)).status === 'uninstalled');
    const types = await waitFor(async () => {
      const s = await signalTypes(tenant, del.body.directive.correlation_id);
      return s.includes('package.uninstall.completed') ? s : undefined;
    });
    expect(types).toEqual(
      expect.arrayContaining(['package.uninstall.requested', 'package.uninstall.started', 'package.uninstall.completed', 'directive.completed']),
    );

    const again = await install(tenant);
    expect(again.body).toMatchObject({ created: true, installation: { id } });
    expect(again.body.directive.id).not.toBe(first.body.directive.id);
    await waitFor(async () => (await installationOf(tenant, id)).status === 'installed');
  });

  it('a failure retries cannot fix marks the installation failed with a safe error and emits failed signals', async () => {
    const tenant = await createTestTenant(handle, 'fail');
    // Same activities, except provisioning fails permanently.
    const { Worker: W } = await import('@temporalio/worker');
    const acts = createActivities({ db: handle.db, logger });
    const broken = await W.create({
      connection: t.connection,
      taskQueue: `${t.temporal.taskQueue}-broken`,
      workflowBundle: t.bundle,
      activities: {
        ...acts,
        provisionInstallation: async () => {
          throw ApplicationFailure.nonRetryable('The package manifest could not be provisioned.', 'validation');
        },
      },
    });
    const running = broken.run();
    const brokenApp = buildTestApp({ db: handle.db, starter: temporalStarter({ ...t.temporal, taskQueue: `${t.temporal.taskQueue}-broken` }) });
    const res = await request(brokenApp)
      .post(`/api/tenants/${tenant.slug}/installations`)
      .set('authorization', `Bearer ${tenant.tokens.owner}`)
      .send({ package_slug: SLUG });
    const failed = await waitFor(async () => {
      const i = await installationOf(tenant, res.body.installation.id);
      return i.status === 'failed' ? i : undefined;
    });
    expect(failed).toMatchObject({ lastError: 'The package manifest could not be provisioned.', lastErrorKind: 'validation' });
    const types = await waitFor(async () => {
      const s = await signalTypes(tenant, res.body.directive.correlation_id);
      return s.includes('directive.failed') ? s : undefined;
    });
    expect(types).toEqual(expect.arrayContaining(['package.install.failed', 'directive.failed']));
    expect(types).not.toContain('package.install.completed');
    const directive = await withTenant(handle.db, tenant.id, (tx) => tx.directive.findUniqueOrThrow({ where: { id: res.body.directive.id } }));
    expect(directive).toMatchObject({ status: 'failed', errorKind: 'validation' });
    broken.shutdown();
    await running;
  });

  it('with Temporal unreachable nothing is lost: the directive waits and the reconciler starts it', async () => {
    const tenant = await createTestTenant(handle, 'down');
    const downApp = buildTestApp({ db: handle.db, starter: unreachableStarter });
    const res = await request(downApp)
      .post(`/api/tenants/${tenant.slug}/installations`)
      .set('authorization', `Bearer ${tenant.tokens.owner}`)
      .send({ package_slug: SLUG });
    expect(res.status).toBe(202);
    const id = res.body.installation.id;
    await new Promise((r) => setTimeout(r, 500));
    expect((await installationOf(tenant, id)).status).toBe('requested');

    // "Temporal comes back": the reconciler, with a working starter, hands it over.
    const started = await reconcileRequestedDirectives({ db: handle.db, starter: temporalStarter(t.temporal), logger }, { olderThanMs: 0, limit: 1000 });
    expect(started).toBeGreaterThanOrEqual(1);
    await waitFor(async () => (await installationOf(tenant, id)).status === 'installed');
  });

  describe('bad input gets a 4xx with a stable code and writes nothing', () => {
    let tenant: TestTenant;
    /** Every boolean setting of the package given a string: each one a bad field. */
    const notBooleans = () => Object.fromEntries(PKG.booleanFields(PKG.latest.version).map((f) => [f, 'yes']));
    beforeAll(async () => {
      tenant = await createTestTenant(handle, 'bad');
    });
    const cases: [string, () => Promise<request.Response>, number, string][] = [
      ['unknown package', () => install(tenant, { package_slug: 'no_such_package' }), 404, 'PACKAGE_NOT_FOUND'],
      ['unknown version', () => install(tenant, { package_slug: SLUG, version: '9.9.9' }), 404, 'PACKAGE_NOT_FOUND'],
      ['malformed config', () => install(tenant, { package_slug: SLUG, config: notBooleans() }), 400, 'VALIDATION_FAILED'],
      ['unknown config field', () => install(tenant, { package_slug: SLUG, config: { webhook: 'x' } }), 400, 'VALIDATION_FAILED'],
      ['unknown body field', () => install(tenant, { package_slug: SLUG, extra: 1 }), 400, 'VALIDATION_FAILED'],
      ['a member', () => install(tenant, { package_slug: SLUG }, 'member'), 403, 'FORBIDDEN'],
      [
        'unknown tenant',
        () => request(app).post('/api/tenants/nope-nope/installations').set('authorization', `Bearer ${tenant.tokens.owner}`).send({ package_slug: SLUG }),
        404,
        'TENANT_NOT_FOUND',
      ],
      ['no token', () => request(app).post(`/api/tenants/${tenant.slug}/installations`).send({ package_slug: SLUG }), 401, 'UNAUTHENTICATED'],
      [
        'bad JSON',
        () =>
          request(app)
            .post(`/api/tenants/${tenant.slug}/installations`)
            .set('authorization', `Bearer ${tenant.tokens.owner}`)
            .set('content-type', 'application/json')
            .send('{"package_slug":'),
        400,
        'INVALID_JSON',
      ],
    ];
    it.each(cases)('%s', async (_name, send, status, code) => {
      const res = await send();
      expect(res.status).toBe(status);
      expect(res.body.error.code).toBe(code);
      expect(typeof res.body.error.message).toBe('string');
      const pg = await adminClient();
      const { rows } = await pg.query(
        `select (select count(*) from directives where tenant_id = $1)::int + (select count(*) from installations where tenant_id = $1)::int + (select count(*) from signals where tenant_id = $1)::int as n`,
        [tenant.id],
      );
      await pg.end();
      expect(rows[0].n).toBe(0);
    });

    it('the malformed-config error names each bad field', async () => {
      const res = await install(tenant, { package_slug: SLUG, config: notBooleans() });
      const fields = PKG.booleanFields(PKG.latest.version).map((f) => `config.${f}`);
      expect(fields.length).toBeGreaterThan(0);
      expect(res.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(fields.sort());
    });

    it("another tenant's token cannot see that this tenant exists", async () => {
      const other = await createTestTenant(handle, 'other');
      const res = await request(app).get(`/api/tenants/${tenant.slug}/installations`).set('authorization', `Bearer ${other.tokens.owner}`);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('TENANT_NOT_FOUND');
    });
  });
});
