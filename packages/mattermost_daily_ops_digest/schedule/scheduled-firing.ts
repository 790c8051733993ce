// The declared digest rules (design §5, README "Digest rules") as one pure function, used both
// by a scheduled run deciding whether it posts and by the status page announcing next runs, so
// what is announced is exactly what will post.
//
//  - A firing counts for local date D (digestDateFor). It posts only if no scheduled digest was
//    reported for D or a later date: at most one per installation and local date, whatever
//    changes of time, zone or channel happen that day. "Later" is judged in the current zone, on
//    the local date of the previous digest's window end.
//  - Windows are contiguous: a posting firing's window starts where the previous reported
//    scheduled digest's window ended (the first covers the 24 h before its intended instant)
//    and ends at D's intended instant I(D).
//  - The catch-up entry (HH:MM + delay) posts only if HH:MM did not exist on D (DST gap) or its
//    firing was missed while the system was down: i.e. only if the schedule, with this time and
//    zone, was already wanted at I(D). Never for a time configured (or enabled) after it passed.
import { scheduledDigestCorrelationId } from '../../../lib/temporal/contract/ids';
import { catchUpTime } from './digest-schedule-spec';
import { channelSlot, digestDateFor, scheduledDedupeKey } from './digest-run-identity';
import { formatHHMM } from '../../../lib/schedule/hhmm';
import { addDays, localDateOf } from '../../../lib/schedule/local-date';
import { localTimeToInstant } from '../../../lib/schedule/local-time-to-instant';
import { wallClockOf } from '../../../lib/schedule/zoned-clock';

const DAY = 86_400_000;

export interface ScheduledFiringInput {
  nominal: Date;
  scheduleTime: string;
  timezone: string;
  tenantId: string;
  installationId: string;
  channel?: string | null;
  /** Window end of the latest scheduled digest that was reported (posted, or outcome unknown). */
  lastReportedEnd: Date | null;
  /** Since when the schedule with this time and zone has been wanted (null: always). */
  effectiveSince: Date | null;
}

export type FiringEntry = 'main' | 'catch_up' | 'other';
export type FiringSkipReason = 'already_reported' | 'configured_after_time';

export interface ScheduledFiring {
  localDate: string;
  entry: FiringEntry;
  windowStart: Date;
  windowEnd: Date;
  correlationId: string;
  dedupeKey: string;
  /** Set when the firing must not post. */
  skip?: FiringSkipReason;
}

/** Which calendar entry produced this firing: its local wall clock says. */
export function firingEntry(nominal: Date, scheduleTime: string, timezone: string): FiringEntry {
  const c = wallClockOf(nominal, timezone);
  if (c.second !== 0 || nominal.getUTCMilliseconds() !== 0) return 'other';
  const hhmm = formatHHMM({ hour: c.hour, minute: c.minute });
  if (hhmm === scheduleTime) return 'main';
  if (hhmm === catchUpTime({ scheduleTime, timezone })) return 'catch_up';
  return 'other'; // an operator's trigger, or a firing of a spec that has since changed
}

export function scheduledFiring(input: ScheduledFiringInput): ScheduledFiring {
  const { nominal, scheduleTime, timezone, tenantId, installationId, lastReportedEnd, effectiveSince } = input;
  const localDate = digestDateFor(nominal, scheduleTime, timezone);
  const windowEnd = localTimeToInstant(localDate, scheduleTime, timezone);
  const entry = firingEntry(nominal, scheduleTime, timezone);
  const base = {
    localDate,
    entry,
    windowEnd,
    windowStart: lastReportedEnd && lastReportedEnd < windowEnd ? lastReportedEnd : new Date(windowEnd.getTime() - DAY),
    correlationId: scheduledDigestCorrelationId(tenantId, localDate, channelSlot(input.channel)),
    dedupeKey: scheduledDedupeKey(tenantId, installationId, localDate),
  };
  if (lastReportedEnd && localDate <= localDateOf(lastReportedEnd, timezone)) return { ...base, skip: 'already_reported' };
  if (entry === 'catch_up' && effectiveSince && effectiveSince > windowEnd) return { ...base, skip: 'configured_after_time' };
  return base;
}

export interface AnnounceInput {
  scheduleTime: string;
  timezone: string;
  lastReportedEnd: Date | null;
  effectiveSince: Date | null;
}

/**
 * Of the schedule's next action times (Temporal's own description), the ones that will post,
 * assuming each earlier one in the list posts as announced.
 */
export function firingsThatPost(nextActionTimes: Date[], input: AnnounceInput): Date[] {
  let lastReportedEnd = input.lastReportedEnd;
  const posting: Date[] = [];
  for (const at of [...nextActionTimes].sort((a, b) => a.getTime() - b.getTime())) {
    const firing = scheduledFiring({ ...input, nominal: at, tenantId: 'announce', installationId: 'announce', lastReportedEnd });
    if (firing.skip) continue;
    posting.push(at);
    lastReportedEnd = firing.windowEnd;
  }
  return posting;
}

/** The local date after the last reported one (for tests and explanations). */
export function nextUnreportedDate(lastReportedEnd: Date, timezone: string): string {
  return addDays(localDateOf(lastReportedEnd, timezone), 1);
}
