// Deploying the schedule hook must leave existing installations' Schedules alone: a digest
// Schedule exactly as the platform created it before the hook (the old create call, spelled out
// literally here) is, after a reconcile by the new code, the same Schedule — same id and
// creation time, same spec, action, policies, note and memo — not deleted and recreated.
import { ScheduleOverlapPolicy } from '@temporalio/client';
import { changeInstallation } from '../../../../lib/installations/change-installation';
import { reconcileInstallation } from '../../../../lib/installations/reconcile-installation';
import { withTenant } from '../../../../lib/db/with-tenant';
import { InstallationIdKey, TenantIdKey } from '../../../../lib/temporal/contract';
import { openDigestStack, type DigestStack } from '../../../../test/helpers/digest-stack';
import { defaultPackageCatalog } from '../../../registry';
import { installedTenant } from '../helpers/installed-digest';

describe('digest schedule across the deploy of the schedule hook', () => {
  let s: DigestStack;
  beforeAll(async () => {
    s = await openDigestStack();
  });
  afterAll(() => s?.close());

  it('a Schedule made by the code before the hook is updated in place, identical, by the new reconciler', async () => {
    const { tenant, installationId } = await installedTenant(s, { config: { timezone: 'America/New_York', schedule_time: '07:30' } });
    const scheduleId = `digest-schedule:${installationId}`;
    const client = s.t.temporal.client;
    const taskQueue = s.t.temporal.taskQueue;
    // Replace the one the new code made with one made by the old code's call (lib/temporal/digest-schedule.ts before 9b01340).
    await client.schedule.getHandle(scheduleId).delete();
    const searchAttributes = [
      { key: TenantIdKey, value: tenant.id },
      { key: InstallationIdKey, value: installationId },
    ];
    await client.schedule.create({
      scheduleId,
      spec: {
        calendars: [
          { hour: 7, minute: 30, comment: 'daily digest at 07:30 America/New_York' },
          { hour: 8, minute: 30, comment: 'catch-up at 08:30: posts only when 07:30 did not exist that day (DST)' },
        ],
        timezone: 'America/New_York',
      },
      action: {
        type: 'startWorkflow',
        workflowType: 'digestRunWorkflow',
        taskQueue,
        workflowId: `digest:${tenant.id}:${installationId}:scheduled`,
        args: [{ tenantId: tenant.id, installationId, trigger: 'scheduled' }],
        typedSearchAttributes: searchAttributes,
        staticSummary: `daily digest 07:30 America/New_York for ${tenant.slug}`,
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '2 hours', pauseOnFailure: false },
      state: { paused: false, note: 'daily digest' },
      memo: { tenantId: tenant.id, installationId, tenantSlug: tenant.slug },
      typedSearchAttributes: searchAttributes,
    });
    const before = await client.schedule.getHandle(scheduleId).describe();
    expect(before.info.createdAt).toBeInstanceOf(Date);

    // A change to apply (as after a deploy, when the reconciler loop picks installations up).
    const packages = defaultPackageCatalog();
    await withTenant(s.handle.db, tenant.id, (tx) =>
      changeInstallation(tx, { tenantId: tenant.id, installationId, actor: { kind: 'system', source: 'test' }, packages, change: 'deploy.check' }),
    );
    const result = await reconcileInstallation({ db: s.handle.db, temporal: client, taskQueue, packages }, { tenantId: tenant.id, installationId });
    expect(result.scheduleId).toBe(scheduleId);
    expect(result.observedVersion).toBe(result.desiredVersion);

    const after = await client.schedule.getHandle(scheduleId).describe();
    expect(after.info.createdAt).toEqual(before.info.createdAt);
    expect(after.spec).toEqual(before.spec);
    expect(after.action).toEqual(before.action);
    expect(after.policies).toEqual(before.policies);
    expect(after.state).toEqual(before.state);
    expect(after.memo).toEqual(before.memo);
    expect(after.info.nextActionTimes).toEqual(before.info.nextActionTimes);
  });
});
