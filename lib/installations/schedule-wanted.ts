// The rule that ties an installation's desired state to its Temporal Schedule: a schedule exists
// iff the installation is installed, its daily digest is enabled, and it is bound to a usable
// credential (connected: not disconnected, not definitively refused by Mattermost). Its spec is
// the config's time and zone. Pure, shared by the change recorder and the reconciler.
import type { Installation, IntegrationCredential } from '../db/generated/client';
import { ZodError } from 'zod';
import { storedDigestConfig } from '../packages/digest-config';

export interface WantedSchedule {
  scheduleTime: string;
  timezone: string;
}

export function wantedSchedule(
  installation: Pick<Installation, 'status' | 'config' | 'credentialId'>,
  credential: Pick<IntegrationCredential, 'id' | 'status'> | null,
): WantedSchedule | null {
  if (installation.status !== 'installed') return null;
  if (!installation.credentialId || !credential || credential.id !== installation.credentialId || credential.status !== 'connected') return null;
  let config: ReturnType<typeof storedDigestConfig>;
  try {
    config = storedDigestConfig(installation.config);
  } catch (err) {
    // Another package's config (fields the digest does not have): that package has no schedule.
    if (err instanceof ZodError && err.issues.some((i) => i.code === 'unrecognized_keys')) return null;
    throw err;
  }
  if (!config.enabled) return null;
  return { scheduleTime: config.schedule_time, timezone: config.timezone };
}

export function sameSchedule(a: WantedSchedule | null, b: WantedSchedule | null): boolean {
  return a === b || (a !== null && b !== null && a.scheduleTime === b.scheduleTime && a.timezone === b.timezone);
}
