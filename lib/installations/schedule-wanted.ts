// The rule that ties an installation's desired state to its Temporal Schedule: a schedule exists
// iff the installation is installed, its config carries a daily schedule that is enabled, and it
// is bound to a usable credential (connected: not disconnected, not definitively refused by
// Mattermost). Its spec is the config's time and zone. Pure, shared by the change recorder and
// the reconciler. A package has a daily schedule by carrying its settings in its config
// (DAILY_SCHEDULE_DEFAULTS, lib/schedule/schedule-schemas.ts); the core names no package.
import { z } from 'zod';
import type { Installation, IntegrationCredential } from '../db/generated/client';
import { DAILY_SCHEDULE_DEFAULTS, ZScheduleTime, ZTimezone } from '../schedule/schedule-schemas';

const ZDailySchedule = z.object({ schedule_time: ZScheduleTime, timezone: ZTimezone, enabled: z.boolean() });

/** The daily schedule a stored config carries (defaults fill a missing zone or switch), or null: it has none. */
export function dailyScheduleOf(config: unknown): z.infer<typeof ZDailySchedule> | null {
  if (!config || typeof config !== 'object' || !('schedule_time' in config)) return null;
  const { schedule_time, timezone, enabled } = { ...DAILY_SCHEDULE_DEFAULTS, ...(config as Record<string, unknown>) };
  return ZDailySchedule.parse({ schedule_time, timezone, enabled });
}

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
  const daily = dailyScheduleOf(installation.config);
  if (!daily?.enabled) return null;
  return { scheduleTime: daily.schedule_time, timezone: daily.timezone };
}

export function sameSchedule(a: WantedSchedule | null, b: WantedSchedule | null): boolean {
  return a === b || (a !== null && b !== null && a.scheduleTime === b.scheduleTime && a.timezone === b.timezone);
}
