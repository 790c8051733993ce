// Installation state control for the API and activities: apply an installation's desired state
// to Temporal now, and describe its schedule — each call bounded, since Temporal may be down
// (the worker's reconciler loop applies what could not be applied now).
import type { Db } from '../db/client';
import { temporalCallDeadline } from '../temporal/call-deadline';
import type { InstallationScheduleState } from '../temporal/installation-schedule';
import type { TemporalHandle } from '../temporal/temporal-handle';
import { describeInstallationSchedule, reconcileInstallation, type ReconcileResult } from './reconcile-installation';
import type { PackageLookup } from './schedule-wanted';

export interface ScheduleControl {
  /** Makes Temporal match the installation's desired state now (bounded: Temporal may be down). */
  reconcile(input: { tenantId: string; installationId: string }): Promise<ReconcileResult>;
  /** Temporal's description of the installation's schedule with the next runs that will run; null: it has none. */
  describe(input: { tenantId: string; installationId: string }): Promise<InstallationScheduleState | null>;
}

export function scheduleControl(db: Db, getTemporal: () => Promise<TemporalHandle>, packages: PackageLookup): ScheduleControl {
  const bounded = async <T>(fn: (t: TemporalHandle) => Promise<T>): Promise<T> => {
    const t = await getTemporal();
    return t.connection.withDeadline(temporalCallDeadline(t.connection), () => fn(t));
  };
  return {
    reconcile: (input) => bounded((t) => reconcileInstallation({ db, temporal: t.client, taskQueue: t.taskQueue, packages }, input)),
    describe: (input) => bounded((t) => describeInstallationSchedule({ db, temporal: t.client, packages }, input)),
  };
}
