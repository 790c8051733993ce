// Makes Temporal match an installation's desired state, idempotently, and records the version
// it applied. Runs right after a change (best effort, from the API or an activity) and from the
// worker's reconciler loop, which picks up every installation whose observed version is behind
// (a change saved while Temporal was down applies itself when Temporal is back). What Temporal
// holds for an installation is its package's Schedule, if the package has a schedule hook
// (PackageSchedule); for one without, applying a state is recording its version.
import type { Client } from '@temporalio/client';
import type { Db } from '../db/client';
import { withTenant } from '../db/with-tenant';
import {
  deleteInstallationSchedule,
  presentNextRuns,
  readInstallationSchedule,
  upsertInstallationSchedule,
  type InstallationScheduleState,
} from '../temporal/installation-schedule';
import { scheduleHookOf, wantedSchedule, type PackageLookup } from './schedule-wanted';

export interface ReconcileDeps {
  db: Db;
  temporal: Client;
  taskQueue: string;
  /** The package definitions (their schedule hooks). */
  packages: PackageLookup;
}

export interface ReconcileResult {
  desiredVersion: number;
  observedVersion: number;
  scheduleId: string | null;
}

// Long enough for two Temporal calls on a slow machine; a reconcile never holds it longer.
const RECONCILE_TX_TIMEOUT_MS = 20_000;

export async function reconcileInstallation(deps: ReconcileDeps, input: { tenantId: string; installationId: string }): Promise<ReconcileResult> {
  return withTenant(
    deps.db,
    input.tenantId,
    async (tx) => {
      // One reconciler per installation at a time, reading the state after taking the lock: the
      // last one to run applies the newest state, so an older one can never overwrite it.
      await tx.$executeRaw`select pg_advisory_xact_lock(hashtextextended(${`reconcile:${input.installationId}`}, 0))`;
      const installation = await tx.installation.findUniqueOrThrow({ where: { id: input.installationId } });
      const tenant = await tx.tenant.findUniqueOrThrow({ where: { id: input.tenantId } });
      const credential = installation.credentialId ? await tx.integrationCredential.findUnique({ where: { id: installation.credentialId } }) : null;
      const hook = scheduleHookOf(deps.packages, installation);
      const wanted = wantedSchedule(hook, installation, credential);
      let scheduleId: string | null = null;
      if (hook && wanted) {
        scheduleId = await upsertInstallationSchedule(deps.temporal, {
          hook,
          wanted,
          target: { tenantId: tenant.id, tenantSlug: tenant.slug, installationId: installation.id },
          taskQueue: deps.taskQueue,
        });
      } else if (hook) {
        await deleteInstallationSchedule(deps.temporal, hook, installation.id);
      }
      const version = installation.desiredVersion;
      await tx.installation.updateMany({ where: { id: installation.id, observedVersion: { lt: version } }, data: { observedVersion: version, scheduleId } });
      return { desiredVersion: version, observedVersion: Math.max(version, installation.observedVersion), scheduleId };
    },
    { timeoutMs: RECONCILE_TX_TIMEOUT_MS },
  );
}

/** The schedule as Temporal describes it, with the next runs that will run (its package's rules applied); null: it has none. */
export async function describeInstallationSchedule(
  deps: Pick<ReconcileDeps, 'db' | 'temporal' | 'packages'>,
  input: { tenantId: string; installationId: string },
): Promise<InstallationScheduleState | null> {
  const installation = await withTenant(deps.db, input.tenantId, (tx) => tx.installation.findUniqueOrThrow({ where: { id: input.installationId } }));
  const hook = scheduleHookOf(deps.packages, installation);
  if (!hook) return null;
  const described = await readInstallationSchedule(deps.temporal, hook, installation.id);
  if (!described) return null;
  const { scheduleTime, timezone } = described.state;
  const firings = hook.postingFirings
    ? await withTenant(deps.db, input.tenantId, (tx) =>
        hook.postingFirings!(tx, {
          installationId: installation.id,
          nextActionTimes: described.nextActionTimes,
          scheduleTime,
          timezone,
          effectiveSince: installation.scheduleEffectiveSince,
        }),
      )
    : described.nextActionTimes;
  return { ...described.state, nextRuns: presentNextRuns(firings, timezone ?? 'UTC') };
}
