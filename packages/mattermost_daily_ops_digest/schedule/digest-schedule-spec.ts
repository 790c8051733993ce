// The Temporal Schedule spec for a tenant's daily digest: our rule is one digest per local
// date, never zero, never two. Temporal matches calendars on the local wall clock, so HH:MM is
// skipped on a spring-forward day when it does not exist and fires twice when it occurs twice.
//
//  - entry 1: HH:MM local (the digest time);
//  - entry 2: HH:MM + delay local, delay = 60 min or the zone's largest spring-forward jump
//    (catchUpDelayMinutes). When HH:MM falls inside a gap, HH:MM + delay lies past the gap, so
//    the date still gets a firing. It may wrap past midnight (23:30 → 00:30): that is fine,
//    because a firing never "belongs" to the date it happens on. digestRunIdentity gives every
//    firing to the latest local date whose intended HH:MM instant has passed, and the window
//    and dedupe key follow from that date. The catch-up firing on date D (or D+1 when wrapped)
//    is after D's intended instant and a whole day before D+1's, so it always counts for D; on
//    days where HH:MM existed it finds D already posted and ends as `skipped`.
import { catchUpDelayMinutes } from '../../../lib/schedule/catch-up-delay';
import { formatHHMM, minutesOfDay, parseHHMM } from '../../../lib/schedule/hhmm';
import { isValidIanaZone } from '../../../lib/schedule/iana-zone';

export interface DigestCalendarEntry {
  hour: number;
  minute: number;
  comment: string;
}

/** Structurally a Temporal `ScheduleSpec` (@temporalio/client): calendars + timezone. */
export interface DigestScheduleSpec {
  calendars: DigestCalendarEntry[];
  timezone: string;
}

export interface DigestScheduleInput {
  scheduleTime: string;
  timezone: string;
}

/** The catch-up entry's local time, "HH:MM" (may be on the next calendar day). */
export function catchUpTime({ scheduleTime, timezone }: DigestScheduleInput): string {
  const minutes = (minutesOfDay(scheduleTime) + catchUpDelayMinutes(timezone)) % (24 * 60);
  return formatHHMM({ hour: Math.floor(minutes / 60), minute: minutes % 60 });
}

export function digestScheduleSpec(input: DigestScheduleInput): DigestScheduleSpec {
  const { scheduleTime, timezone } = input;
  if (!isValidIanaZone(timezone)) throw new RangeError(`invalid IANA time zone "${String(timezone).slice(0, 64)}"`);
  const main = parseHHMM(scheduleTime);
  const catchUp = catchUpTime(input);
  return {
    calendars: [
      { ...main, comment: `daily digest at ${scheduleTime} ${timezone}` },
      {
        ...parseHHMM(catchUp),
        comment: `catch-up at ${catchUp}: posts only when ${scheduleTime} did not exist that day (DST)`,
      },
    ],
    timezone,
  };
}
