// What every package that posts needs at run time, built from configuration in one place for the
// API and the worker: the keyring (credential secrets) and the Mattermost client (behind the
// outbound guard). Schedule control is lib/installations/schedule-control.ts.
import type { TConfig } from '../config';
import { parseKeyring, type Keyring } from '../crypto/keyring';
import { createMattermostClient, type MattermostClient } from '../mattermost';

export function keyringFromConfig(config: Pick<TConfig, 'ENCRYPTION_KEYS' | 'ENCRYPTION_ACTIVE_KEY_ID'>): Keyring {
  if (!config.ENCRYPTION_KEYS) {
    throw new Error('ENCRYPTION_KEYS is not set: give a keyring "keyId:base64-32-byte-key" (npm start creates a development key in the data folder).');
  }
  return parseKeyring(config.ENCRYPTION_KEYS, config.ENCRYPTION_ACTIVE_KEY_ID);
}

export function mattermostFromConfig(config: Pick<TConfig, 'OUTBOUND_ALLOWED_HOSTS'>): MattermostClient {
  return createMattermostClient({ allowedHosts: config.OUTBOUND_ALLOWED_HOSTS, timeoutMs: 10_000 });
}
