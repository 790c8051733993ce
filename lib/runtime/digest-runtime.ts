// The digest's runtime dependencies, built from configuration in one place for the API and
// the worker: the keyring, the Mattermost client (behind the outbound guard) and schedule control.
import type { TConfig } from '../config';
import { parseKeyring, type Keyring } from '../crypto/keyring';
import type { Db } from '../db/client';
import { describeInstallationSchedule, reconcileInstallation, type ReconcileResult } from '../installations/reconcile-installation';
import { createMattermostClient, type MattermostClient } from '../mattermost';
import type { DigestScheduleState } from '../temporal/digest-schedule';
import { temporalCallDeadline } from '../temporal/call-deadline';
import type { TemporalHandle } from '../temporal/temporal-handle';

export function keyringFromConfig(config: Pick<TConfig, 'ENCRYPTION_KEYS' | 'ENCRYPTION_ACTIVE_KEY_ID'>): Keyring {
  if (!config.ENCRYPTION_KEYS) {
    throw new Error('ENCRYPTION_KEYS is not set: give a keyring "keyId:base64-32-byte-key" (npm start creates a development key in the data folder).');
  }
  return parseKeyring(config.ENCRYPTION_KEYS, config.ENCRYPTION_ACTIVE_KEY_ID);
}

export function mattermostFromConfig(config: Pick<TConfig, 'OUTBOUND_ALLOWED_HOSTS'>): MattermostClient {
  return createMattermostClient({ allowedHosts: config.OUTBOUND_ALLOWED_HOSTS, timeoutMs: 10_000 });
}

export interface ScheduleControl {
  /** Makes Temporal match the installation's desired state now (bounded: Temporal may be down). */
  reconcile(input: { tenantId: string; installationId: string }): Promise<ReconcileResult>;
  /** Temporal's description of the schedule with the next runs that will post. */
  describe(input: { tenantId: string; installationId: string }): Promise<DigestScheduleState | null>;
}

export function scheduleControl(db: Db, getTemporal: () => Promise<TemporalHandle>): ScheduleControl {
  const bounded = async <T>(fn: (t: TemporalHandle) => Promise<T>): Promise<T> => {
    const t = await getTemporal();
    return t.connection.withDeadline(temporalCallDeadline(t.connection), () => fn(t));
  };
  return {
    reconcile: (input) => bounded((t) => reconcileInstallation({ db, temporal: t.client, taskQueue: t.taskQueue }, input)),
    describe: (input) => bounded((t) => describeInstallationSchedule({ db, temporal: t.client }, input)),
  };
}
