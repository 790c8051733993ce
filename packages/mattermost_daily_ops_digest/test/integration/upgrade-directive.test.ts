// package.upgrade end to end on the real stack: the digest from 1.0.0 to 1.1.0 on an installation
// with history (a posted digest, a live schedule), 50 concurrent requests, refusals, and a replay
// of the directive's recorded history.
import { Worker } from '@temporalio/worker';
import request from 'supertest';
import { withTenant } from '../../../../lib/db/with-tenant';
import { defaultPackageCatalog } from '../../../registry';
import { auth, openDigestStack, postsWithMarker, signalsOf, waitForExecution, type DigestStack } from '../../../../test/helpers/digest-stack';
import { installedTenant } from '../helpers/installed-digest';
import { waitFor, type TestTenant } from '../../../../test/helpers/db';

const SLUG = 'mattermost_daily_ops_digest';

describe('package upgrade directive', () => {
  let s: DigestStack;
  const latencies: number[] = [];
  beforeAll(async () => {
    s = await openDigestStack();
  });
  afterAll(async () => {
    const sorted = [...latencies].sort((a, b) => a - b);

    if (sorted.length)
      console.log(
        `upgrade directive latency (request → completed), n=${sorted.length}: p50 ${sorted[Math.floor(sorted.length / 2)]} ms, max ${sorted[sorted.length - 1]} ms`,
      );
    await s?.close();
  });

  const upgrade = (tenant: TestTenant, installationId: string, version: string, role: keyof TestTenant['tokens'] = 'owner') =>
    request(s.app).post(`/api/tenants/${tenant.slug}/installations/${installationId}/upgrade`).set(auth(tenant, role)).send({ version });
  const installationOf = (tenant: TestTenant, id: string) => withTenant(s.handle.db, tenant.id, (tx) => tx.installation.findUniqueOrThrow({ where: { id } }));
  const directiveOf = (tenant: TestTenant, id: string) => withTenant(s.handle.db, tenant.id, (tx) => tx.directive.findUniqueOrThrow({ where: { id } }));
  const settled = (tenant: TestTenant, id: string) =>
    waitFor(async () => {
      const d = await directiveOf(tenant, id);
      return d.status === 'completed' || d.status === 'failed' ? d : undefined;
    }, 30_000);

  it('upgrades 1.0.0 → 1.1.0 with history: 50 requests, one directive; config migrated, schedule intact, replayable', async () => {
    const { tenant, installationId } = await installedTenant(s, {
      version: '1.0.0',
      config: { timezone: 'Europe/Berlin', schedule_time: '07:30', max_lines: 25 },
    });
    await request(s.app)
      .put(`/api/tenants/${tenant.slug}/installations/${installationId}/config`)
      .set(auth(tenant))
      .send({ channel: 'town-square', include_cost_estimates: false })
      .expect(200);
    const before = await installationOf(tenant, installationId);
    expect(before.packageVersion).toBe('1.0.0');
    // History: a digest posted at 1.0.0.
    const run = await request(s.app).post(`/api/tenants/${tenant.slug}/installations/${installationId}/runs`).set(auth(tenant)).send({});
    expect((await waitForExecution(s, tenant, run.body.execution.id)).status).toBe('succeeded');
    const scheduleBefore = (await request(s.app).get(`/api/tenants/${tenant.slug}/installations/${installationId}/schedule`).set(auth(tenant))).body.schedule;
    expect(scheduleBefore).toMatchObject({ schedule_time: '07:30', timezone: 'Europe/Berlin', paused: false });

    const t0 = Date.now();
    const responses = await Promise.all(Array.from({ length: 50 }, () => upgrade(tenant, installationId, '1.1.0')));
    expect(new Set(responses.map((r) => r.status))).toEqual(new Set([202]));
    const directiveIds = new Set(responses.map((r) => r.body.directive.id));
    expect(directiveIds.size).toBe(1);
    expect(responses.filter((r) => r.body.created)).toHaveLength(1);
    const key = `dir:pkg_upgrade:${tenant.id}:${SLUG}:1.0.0:1.1.0`;
    expect(responses[0].body.directive).toMatchObject({ type: 'package.upgrade', idempotency_key: key, workflow_id: key, correlation_id: key });
    expect(responses[0].headers.location).toBe(`/api/tenants/${tenant.slug}/directives/${responses[0].body.directive.id}`);
    const directive = await settled(tenant, responses[0].body.directive.id);
    latencies.push(Date.now() - t0);
    expect(directive.status).toBe('completed');
    const dbDirectives = await withTenant(s.handle.db, tenant.id, (tx) => tx.directive.count({ where: { type: 'package.upgrade' } }));
    expect(dbDirectives).toBe(1);

    // Config migrated by the declared migration: every 1.0.0 setting kept, 1.1.0's complete.
    const after = await installationOf(tenant, installationId);
    expect(after.status).toBe('installed');
    expect(after.packageVersion).toBe('1.1.0');
    expect(after.installedAt).toEqual(before.installedAt);
    const catalog = defaultPackageCatalog();
    expect(after.config).toEqual(catalog.parseConfig(SLUG, '1.1.0', after.config));
    expect(after.config).toMatchObject({
      timezone: 'Europe/Berlin',
      schedule_time: '07:30',
      max_lines: 25,
      channel: 'town-square',
      include_cost_estimates: false,
    });
    // 1.1.0's summary cost caps arrive at their defaults (null: the platform's LLM_* defaults).
    expect(after.config).toMatchObject({ include_llm_summary: false, llm_monthly_budget_usd: null, llm_max_tokens_per_run: null });
    expect(before.config).not.toHaveProperty('llm_monthly_budget_usd');
    expect(after.credentialId).toBe(before.credentialId);
    const templates = await withTenant(s.handle.db, tenant.id, (tx) => tx.workflowTemplate.findMany({ where: { installationId } }));
    expect(templates.map((x) => (x.definition as { version: string }).version)).toEqual(['1.1.0']);

    // Schedule intact: same schedule, same time and zone, still running.
    const scheduleAfter = (await request(s.app).get(`/api/tenants/${tenant.slug}/installations/${installationId}/schedule`).set(auth(tenant))).body.schedule;
    expect(scheduleAfter).toMatchObject({ schedule_id: scheduleBefore.schedule_id, schedule_time: '07:30', timezone: 'Europe/Berlin', paused: false });
    expect(scheduleAfter.next_runs.map((r: { at: string }) => r.at)).toEqual(scheduleBefore.next_runs.map((r: { at: string }) => r.at));

    // The lifecycle, once each, under the directive's correlation id.
    const types = (await signalsOf(s, tenant, key)).map((x) => x.type);
    expect(types.sort()).toEqual([
      'directive.completed',
      'directive.requested',
      'directive.started',
      'package.upgrade.completed',
      'package.upgrade.requested',
      'package.upgrade.started',
    ]);
    const completed = (await signalsOf(s, tenant, key)).find((x) => x.type === 'package.upgrade.completed')!;
    expect(completed.payload).toMatchObject({ from_version: '1.0.0', to_version: '1.1.0', installation_id: installationId });

    // The digest still runs after the upgrade, reading the migrated config.
    s.fake.reset();
    const again = await request(s.app).post(`/api/tenants/${tenant.slug}/installations/${installationId}/runs`).set(auth(tenant)).send({});
    expect((await waitForExecution(s, tenant, again.body.execution.id)).status).toBe('succeeded');
    expect(postsWithMarker(s.fake)).toHaveLength(1);

    // Replayable: the directive's recorded history replays on the current workflow code.
    const history = await s.t.temporal.client.workflow.getHandle(key).fetchHistory();
    await expect(Worker.runReplayHistory({ workflowBundle: s.t.bundle }, history, key)).resolves.toBeUndefined();

    // Asked again after it completed (a late duplicate): the same directive, nothing new.
    const same = await upgrade(tenant, installationId, '1.1.0');
    expect(same.status).toBe(202);
    expect(same.body).toMatchObject({ created: false, directive: { id: directive.id, status: 'completed' } });
  });

  it('refuses a downgrade the package does not declare, an unknown version, a member, and an uninstalled package', async () => {
    const { tenant, installationId } = await installedTenant(s, { connect: false });
    expect((await installationOf(tenant, installationId)).packageVersion).toBe('1.1.0');
    const down = await upgrade(tenant, installationId, '1.0.0');
    expect(down.status).toBe(409);
    expect(down.body.error).toMatchObject({ code: 'INVALID_STATE', details: { reason: 'downgrade_not_declared', from_version: '1.1.0', to_version: '1.0.0' } });
    const unknown = await upgrade(tenant, installationId, '7.0.0');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('PACKAGE_NOT_FOUND');
    const bad = await upgrade(tenant, installationId, 'latest');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    const member = await upgrade(tenant, installationId, '1.1.0', 'member');
    expect(member.status).toBe(403);
    const none = await upgrade(tenant, '00000000-0000-4000-8000-000000000000', '1.1.0');
    expect(none.status).toBe(404);
    expect(none.body.error.code).toBe('INSTALLATION_NOT_FOUND');
    // Nothing was recorded for any refusal.
    expect(await withTenant(s.handle.db, tenant.id, (tx) => tx.directive.count({ where: { type: 'package.upgrade' } }))).toBe(0);
  });

  it('measures the upgrade directive latency on idle installations', async () => {
    for (let i = 0; i < 4; i++) {
      const { tenant, installationId } = await installedTenant(s, { version: '1.0.0', connect: false });
      const t0 = Date.now();
      const res = await upgrade(tenant, installationId, '1.1.0');
      expect(res.status).toBe(202);
      expect((await settled(tenant, res.body.directive.id)).status).toBe('completed');
      latencies.push(Date.now() - t0);
    }
  });
});
