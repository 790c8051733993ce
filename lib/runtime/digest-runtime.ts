// The digest's runtime dependencies, built from configuration in one place for the API and
// the worker: the keyring, the Mattermost client (behind the outbound guard) and schedule control.
import type { TConfig } from '../config';
import { parseKeyring, type Keyring } from '../crypto/keyring';
import type { Db } from '../db/client';
import { syncDigestSchedule } from '../digest/sync-digest-schedule';
import { createMattermostClient, type MattermostClient } from '../mattermost';
import { deleteDigestSchedule, describeDigestSchedule, type DigestScheduleState } from '../temporal/digest-schedule';
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
  sync(input: { tenantId: string; installationId: string }): Promise<DigestScheduleState | null>;
  describe(installationId: string): Promise<DigestScheduleState | null>;
  deleteForInstallation(input: { tenantId: string; installationId: string }): Promise<void>;
}

export function scheduleControl(db: Db, getTemporal: () => Promise<TemporalHandle>): ScheduleControl {
  return {
    sync: async (input) => {
      const t = await getTemporal();
      return syncDigestSchedule({ db, temporal: t.client, taskQueue: t.taskQueue }, input);
    },
    describe: async (installationId) => describeDigestSchedule((await getTemporal()).client, installationId),
    deleteForInstallation: async ({ installationId }) => deleteDigestSchedule((await getTemporal()).client, installationId),
  };
}
