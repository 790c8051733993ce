// The installation schedule is a platform feature a package opts into with a schedule hook
// (PackageSchedule): with one, the reconciler keeps the Schedule the hook describes (and leaves an
// unchanged one alone); without one, an installation never gets a Temporal Schedule and the
// reconciler still records its state as applied. Made-up packages, so the core's test names none.
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { changeInstallation } from '../../../lib/installations/change-installation';
import { describeInstallationSchedule, reconcileInstallation } from '../../../lib/installations/reconcile-installation';
import { withTenant } from '../../../lib/db/with-tenant';
import type { PackageDefinition, PackageSchedule, PostingFiringsInput } from '../../../lib/packages/contract';
import { createPackageCatalog } from '../../../lib/packages/catalog';
import { createTestTenant, testDb, type TestTenant } from '../../helpers/db';
import { openTestTemporal, type TestTemporal } from '../../helpers/temporal';
import { z } from 'zod';

const version = (v: string) => ({
  version: v,
  changelog: ['test'],
  configSchema: z.object({ on: z.boolean().default(true) }).strict(),
  provides: { workflow_templates: [], agent_templates: [] },
  consumes: [],
  emits: [],
  requiredIntegrations: [],
});
const identity = (slug: string) => ({ slug, name: slug, description: 'test package', category: 'test', publisher: 'test' });

const postingInputs: PostingFiringsInput[] = [];
// Daily at 03:15 in Berlin while `on`; announces every firing but the first (to see the hook used).
const nightly: PackageSchedule = {
  wanted: (config) => (config.on === false ? null : { key: '03:15 Europe/Berlin' }),
  scheduleId: (installationId) => `test-nightly:${installationId}`,
  options: (_wanted, target) => ({
    spec: { calendars: [{ hour: 3, minute: 15, comment: 'nightly' }], timezone: 'Europe/Berlin' },
    catchupWindow: '30 minutes',
    note: 'test nightly',
    action: {
      workflowType: 'testNightlyWorkflow',
      workflowId: `test-nightly:${target.tenantId}:${target.installationId}`,
      args: [{ installationId: target.installationId }],
      staticSummary: `nightly for ${target.tenantSlug ?? '?'}`,
    },
  }),
  postingFirings: async (tx, input) => {
    postingInputs.push(input);
    // It runs in the tenant's transaction: it may read the package's own history.
    await tx.installation.findUniqueOrThrow({ where: { id: input.installationId } });
    return input.nextActionTimes.slice(1);
  },
};
const withHook: PackageDefinition = { identity: identity('test_nightly'), versions: [version('1.0.0')], schedule: nightly };
const withoutHook: PackageDefinition = { identity: identity('test_events'), versions: [version('1.0.0')] };
const packages = createPackageCatalog([withHook, withoutHook]);

/** A Temporal client that fails the test if anything at all is asked of it. */
const untouchable = new Proxy({} as Client, {
  get(_t, property) {
    throw new Error(`Temporal was called (${String(property)}) for a package without a schedule hook`);
  },
});

describe('installation schedule (package schedule hook)', () => {
  const handle = testDb();
  let t: TestTemporal;
  let tenant: TestTenant;
  beforeAll(async () => {
    t = await openTestTemporal();
    tenant = await createTestTenant(handle, 'sched');
  });
  afterAll(async () => {
    await t?.close();
    await handle.close();
  });

  /** An installed installation of `slug`, bound to a connected credential, with its change recorded. */
  async function installed(slug: string) {
    return withTenant(handle.db, tenant.id, async (tx) => {
      const credential = await tx.integrationCredential.create({
        data: {
          tenantId: tenant.id,
          provider: 'mattermost',
          kind: 'webhook',
          ciphertext: Buffer.from('x'),
          nonce: Buffer.from('x'),
          authTag: Buffer.from('x'),
          keyId: 'test',
          host: 'mattermost.test',
          status: 'connected',
        },
      });
      const installation = await tx.installation.create({
        data: { tenantId: tenant.id, packageSlug: slug, packageVersion: '1.0.0', status: 'installed', config: { on: true }, credentialId: credential.id },
      });
      await changeInstallation(tx, {
        tenantId: tenant.id,
        installationId: installation.id,
        actor: { kind: 'system', source: 'test' },
        packages,
        change: 'lifecycle.installed',
      });
      return installation.id;
    });
  }
  const row = (id: string) => withTenant(handle.db, tenant.id, (tx) => tx.installation.findUniqueOrThrow({ where: { id } }));
  const lastChange = (id: string) =>
    withTenant(handle.db, tenant.id, (tx) => tx.installationChange.findFirstOrThrow({ where: { installationId: id }, orderBy: { version: 'desc' } }));
  const setOn = (id: string, on: boolean) =>
    withTenant(handle.db, tenant.id, (tx) =>
      changeInstallation(
        tx,
        { tenantId: tenant.id, installationId: id, actor: { kind: 'system', source: 'test' }, packages, change: 'config.updated' },
        async () => {
          await tx.installation.update({ where: { id }, data: { config: { on } } });
        },
      ),
    );

  it('a package without a schedule hook gets no Temporal Schedule; the reconciler applies its state without calling Temporal', async () => {
    const id = await installed(withoutHook.identity.slug);
    expect((await lastChange(id)).details).toMatchObject({ schedule_wanted: null });
    const before = await row(id);
    expect(before.observedVersion).toBeLessThan(before.desiredVersion);

    const result = await reconcileInstallation(
      { db: handle.db, temporal: untouchable, taskQueue: 'unused', packages },
      { tenantId: tenant.id, installationId: id },
    );
    expect(result).toEqual({ desiredVersion: before.desiredVersion, observedVersion: before.desiredVersion, scheduleId: null });
    const after = await row(id);
    expect(after.observedVersion).toBe(after.desiredVersion);
    expect(after.scheduleId).toBeNull();
    await expect(
      describeInstallationSchedule({ db: handle.db, temporal: untouchable, packages }, { tenantId: tenant.id, installationId: id }),
    ).resolves.toBeNull();
    // The same package with a hook would have had one under the hook's id: nothing exists there either.
    await expect(t.temporal.client.schedule.getHandle(nightly.scheduleId(id)).describe()).rejects.toThrow(/not found/i);
  });

  it('a package with a hook gets the Schedule it describes, kept (not recreated) while unchanged, and deleted when no longer wanted', async () => {
    const id = await installed(withHook.identity.slug);
    const deps = { db: handle.db, temporal: t.temporal.client, taskQueue: t.temporal.taskQueue, packages };
    expect((await lastChange(id)).details).toMatchObject({ schedule_wanted: '03:15 Europe/Berlin' });

    const first = await reconcileInstallation(deps, { tenantId: tenant.id, installationId: id });
    expect(first.scheduleId).toBe(`test-nightly:${id}`);
    expect((await row(id)).scheduleId).toBe(`test-nightly:${id}`);
    const handleOf = t.temporal.client.schedule.getHandle(`test-nightly:${id}`);
    const d = await handleOf.describe();
    expect(d.info.createdAt).toBeInstanceOf(Date);
    expect(d.spec.timezone).toBe('Europe/Berlin');
    expect(d.spec.calendars?.map((c) => [c.hour, c.minute, c.comment])).toEqual([
      [[{ start: 3, end: 3, step: 1 }], [{ start: 15, end: 15, step: 1 }], 'nightly'],
    ]);
    expect(d.action).toMatchObject({
      type: 'startWorkflow',
      workflowType: 'testNightlyWorkflow',
      workflowId: `test-nightly:${tenant.id}:${id}`,
      taskQueue: t.temporal.taskQueue,
      args: [{ installationId: id }],
    });
    expect(d.policies).toMatchObject({ overlap: 'SKIP', catchupWindow: 30 * 60_000, pauseOnFailure: false });
    expect(d.state).toMatchObject({ paused: false, note: 'test nightly' });
    expect(d.memo).toMatchObject({ tenantId: tenant.id, installationId: id, tenantSlug: tenant.slug });

    // Announced: what the hook's rules keep of Temporal's own next action times, in the Schedule's zone.
    const shown = await describeInstallationSchedule(deps, { tenantId: tenant.id, installationId: id });
    expect(shown).toMatchObject({ scheduleId: `test-nightly:${id}`, paused: false, scheduleTime: '03:15', timezone: 'Europe/Berlin' });
    expect(shown!.nextRuns.map((r) => r.at)).toEqual(d.info.nextActionTimes.slice(1, 4).map((x) => x.toISOString()));
    expect(shown!.nextRuns[0].local).toMatch(/ 03:15$/);
    const effectiveSince = (await row(id)).scheduleEffectiveSince;
    expect(postingInputs.at(-1)).toMatchObject({ installationId: id, scheduleTime: '03:15', timezone: 'Europe/Berlin', effectiveSince });

    // A change that leaves the wanted schedule as it is: the same Schedule, updated in place, and still in effect since it was first wanted.
    await withTenant(handle.db, tenant.id, (tx) =>
      changeInstallation(tx, { tenantId: tenant.id, installationId: id, actor: { kind: 'system', source: 'test' }, packages, change: 'noop' }),
    );
    expect((await row(id)).scheduleEffectiveSince).toEqual(effectiveSince);
    await reconcileInstallation(deps, { tenantId: tenant.id, installationId: id });
    const again = await handleOf.describe();
    expect(again.info.createdAt).toEqual(d.info.createdAt);

    // Turned off: the hook wants none, so the Schedule goes.
    await setOn(id, false);
    expect((await lastChange(id)).details).toMatchObject({ schedule_wanted: null });
    expect((await reconcileInstallation(deps, { tenantId: tenant.id, installationId: id })).scheduleId).toBeNull();
    await expect(handleOf.describe()).rejects.toThrow(/not found/i);
    await expect(describeInstallationSchedule(deps, { tenantId: tenant.id, installationId: id })).resolves.toBeNull();
    expect(await row(id)).toMatchObject({ scheduleId: null });
  });

  it('an installation of a package that is not in the catalogue is applied without a Schedule', async () => {
    const id = await installed(`test_gone_${randomUUID().slice(0, 6)}`);
    const result = await reconcileInstallation(
      { db: handle.db, temporal: untouchable, taskQueue: 'unused', packages },
      { tenantId: tenant.id, installationId: id },
    );
    expect(result.scheduleId).toBeNull();
    expect((await row(id)).observedVersion).toBe(result.desiredVersion);
  });
});
