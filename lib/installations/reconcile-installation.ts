// Makes Temporal match an installation's desired state, idempotently, and records the version
// it applied. Runs right after a change (best effort, from the API or an activity) and from the
// worker's reconciler loop, which picks up every installation whose observed version is behind
// (a change saved while Temporal was down applies itself when Temporal is back).
import type { Client } from '@temporalio/client';
import type { Db } from '../db/client';
import { withTenant } from '../db/with-tenant';
import { lastReportedScheduledEnd } from '../digest/last-reported-digest';
import { deleteDigestSchedule, describeDigestSchedule, upsertDigestSchedule, type DigestScheduleState } from '../temporal/digest-schedule';
import { wantedSchedule } from './schedule-wanted';

export interface ReconcileDeps {
  db: Db;
  temporal: Client;
  taskQueue: string;
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
      const wanted = wantedSchedule(installation, credential);
      let scheduleId: string | null = null;
      if (wanted) {
        scheduleId = await upsertDigestSchedule(deps.temporal, {
          tenantId: tenant.id,
          tenantSlug: tenant.slug,
          installationId: installation.id,
          taskQueue: deps.taskQueue,
          ...wanted,
        });
      } else {
        await deleteDigestSchedule(deps.temporal, installation.id);
      }
      const version = installation.desiredVersion;
      await tx.installation.updateMany({ where: { id: installation.id, observedVersion: { lt: version } }, data: { observedVersion: version, scheduleId } });
      return { desiredVersion: version, observedVersion: Math.max(version, installation.observedVersion), scheduleId };
    },
    { timeoutMs: RECONCILE_TX_TIMEOUT_MS },
  );
}

/** The schedule as Temporal describes it, with the next runs that will post (digest rules applied). */
export async function describeInstallationSchedule(
  deps: Pick<ReconcileDeps, 'db' | 'temporal'>,
  input: { tenantId: string; installationId: string },
): Promise<DigestScheduleState | null> {
  const facts = await withTenant(deps.db, input.tenantId, async (tx) => {
    const installation = await tx.installation.findUniqueOrThrow({ where: { id: input.installationId } });
    return { lastReportedEnd: await lastReportedScheduledEnd(tx, installation.id), effectiveSince: installation.scheduleEffectiveSince };
  });
  return describeDigestSchedule(deps.temporal, input.installationId, facts);
}
