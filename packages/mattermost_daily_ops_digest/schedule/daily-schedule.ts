// The digest's schedule hook (PackageSchedule): one Temporal Schedule per installation that posts
// the daily digest at the config's HH:MM in its zone (plus the DST catch-up entry), with a
// bounded catch-up window; the status page announces only the firings that will post (the
// digest rules, scheduled-firing.ts). The platform keeps the Schedule
// (lib/temporal/installation-schedule.ts): while installed, connected and `enabled`.
import { z } from 'zod';
import type { PackageSchedule, WantedSchedule } from '../../../lib/packages/contract';
import { digestScheduleSpec } from './digest-schedule-spec';
import { ZScheduleTime, ZTimezone } from '../../../lib/schedule/schedule-schemas';
import { firingsThatPost } from './scheduled-firing';
import { lastReportedScheduledEnd } from './last-reported-digest';
import { digestScheduledWorkflowId, digestScheduleId } from '../../../lib/temporal/contract';
import { digestRunWorkflow } from '../workflows/contract';
import { DEFAULT_DIGEST_CONFIG } from '../config';

/** How far back a firing missed while the system was down still runs (then the digest rules decide whether it posts). */
export const DIGEST_CATCHUP_WINDOW = '2 hours' as const;

export interface DigestWantedSchedule extends WantedSchedule {
  scheduleTime: string;
  timezone: string;
}

const ZDailySchedule = z.object({ schedule_time: ZScheduleTime, timezone: ZTimezone, enabled: z.boolean() });

/** The daily schedule a stored config asks for (a missing setting from the defaults), or null when turned off. Throws for a malformed time or zone. */
export function wantedDigestSchedule(config: Record<string, unknown>): DigestWantedSchedule | null {
  const { schedule_time, timezone, enabled } = ZDailySchedule.parse({
    schedule_time: config.schedule_time ?? DEFAULT_DIGEST_CONFIG.schedule_time,
    timezone: config.timezone ?? DEFAULT_DIGEST_CONFIG.timezone,
    enabled: config.enabled ?? DEFAULT_DIGEST_CONFIG.enabled,
  });
  if (!enabled) return null;
  // The key is also what the change record shows ("07:30 Europe/Berlin").
  return { key: `${schedule_time} ${timezone}`, scheduleTime: schedule_time, timezone };
}

export const digestSchedule: PackageSchedule<DigestWantedSchedule> = {
  wanted: wantedDigestSchedule,
  scheduleId: digestScheduleId,
  options(wanted, target) {
    const args: Parameters<typeof digestRunWorkflow> = [{ tenantId: target.tenantId, installationId: target.installationId, trigger: 'scheduled' }];
    return {
      spec: digestScheduleSpec({ scheduleTime: wanted.scheduleTime, timezone: wanted.timezone }),
      catchupWindow: DIGEST_CATCHUP_WINDOW,
      note: 'daily digest',
      action: {
        workflowType: digestRunWorkflow.name,
        workflowId: digestScheduledWorkflowId(target.tenantId, target.installationId),
        args,
        staticSummary: `daily digest ${wanted.scheduleTime} ${wanted.timezone}${target.tenantSlug ? ` for ${target.tenantSlug}` : ''}`,
      },
    };
  },
  // The firings that will post, from Temporal's own list (10 ahead: 5 days of 2 entries).
  async postingFirings(tx, input) {
    const { scheduleTime, timezone } = input;
    if (!scheduleTime || !timezone) return []; // not a Schedule this hook made: nothing it can announce
    return firingsThatPost(input.nextActionTimes, {
      scheduleTime,
      timezone,
      lastReportedEnd: await lastReportedScheduledEnd(tx, input.installationId),
      effectiveSince: input.effectiveSince,
    });
  },
};
