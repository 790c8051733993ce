// Who a scheduled firing is: which local date it posts the digest for, its window, its
// correlation id and its posting dedupe key — all derived from the nominal (scheduled) time,
// never from the clock, so retries and replays agree.
//
// Rule: a firing at instant t counts for the latest local date D whose intended instant
// I(D) = localTimeToInstant(D, HH:MM) is ≤ t. Its window is [I(D−1), I(D)): consecutive
// windows share their boundary, so they tile time exactly, 23 h and 25 h days included, and
// the window never reaches past the firing.
import { scheduledDigestCorrelationId } from '../../../lib/temporal/contract/ids';
import { isValidHHMM, minutesOfDay } from '../../../lib/schedule/hhmm';
import { isValidIanaZone } from '../../../lib/schedule/iana-zone';
import { addDays, localDateToWallMs, wallMsToLocalDate } from '../../../lib/schedule/local-date';
import { localTimeToInstant } from '../../../lib/schedule/local-time-to-instant';
import { wallMs } from '../../../lib/schedule/zoned-clock';

// Larger than any clock turned back in the tz database (Casey, Troll: up to 3 h).
const MAX_BACKWARD_JUMP = 4 * 3_600_000;

export interface DigestRunInput {
  /** The scheduled time of the firing (TemporalScheduledStartTime / the workflow id suffix). */
  nominal: Date;
  scheduleTime: string;
  timezone: string;
  tenantId: string;
  installationId: string;
  /** Mattermost channel override; empty or absent means the webhook's own channel. */
  channel?: string | null;
}

export interface DigestRunIdentity {
  localDate: string;
  windowStart: Date;
  windowEnd: Date;
  correlationId: string;
  dedupeKey: string;
}

/**
 * The posting ledger key of a scheduled digest: one per installation and local date. It holds
 * neither the time nor the channel, so changing either during a day can never make a second
 * scheduled digest for that date (finding 1 of issue 15).
 */
export function scheduledDedupeKey(tenantId: string, installationId: string, localDate: string): string {
  return `mattermost_post:${tenantId}:${installationId}:scheduled:${localDate}`;
}

export function channelSlot(channel: string | null | undefined): string {
  const trimmed = channel?.trim();
  return trimmed ? trimmed : 'default';
}

/** The local date a firing at `instant` posts the digest for (see the rule above). */
export function digestDateFor(instant: Date, scheduleTime: string, timezone: string): string {
  const t = instant.getTime();
  const wall = wallMs(t, timezone);
  const onDate = wallMsToLocalDate(wall);
  const intended = (date: string) => localTimeToInstant(date, scheduleTime, timezone).getTime();
  // I(D) increases with D. The next date can only have begun already if the clock was turned
  // back across midnight (its HH:MM was shown, then the clock fell back into today).
  const next = addDays(onDate, 1);
  if (localDateToWallMs(next) + minutesOfDay(scheduleTime) * 60_000 - wall <= MAX_BACKWARD_JUMP && intended(next) <= t) {
    return next;
  }
  // The previous date always qualifies: the clock already reads past its HH:MM.
  return intended(onDate) <= t ? onDate : addDays(onDate, -1);
}

export function digestRunIdentity(input: DigestRunInput): DigestRunIdentity {
  const { nominal, scheduleTime, timezone, tenantId } = input;
  if (!(nominal instanceof Date) || Number.isNaN(nominal.getTime())) throw new RangeError('nominal must be a valid Date');
  if (!isValidHHMM(scheduleTime)) throw new RangeError(`invalid schedule time "${String(scheduleTime).slice(0, 16)}"`);
  if (!isValidIanaZone(timezone)) throw new RangeError(`invalid IANA time zone "${String(timezone).slice(0, 64)}"`);
  if (!tenantId || !input.installationId) throw new RangeError('tenantId and installationId are required');
  const localDate = digestDateFor(nominal, scheduleTime, timezone);
  const channel = channelSlot(input.channel);
  return {
    localDate,
    windowStart: localTimeToInstant(addDays(localDate, -1), scheduleTime, timezone),
    windowEnd: localTimeToInstant(localDate, scheduleTime, timezone),
    correlationId: scheduledDigestCorrelationId(tenantId, localDate, channel),
    dedupeKey: scheduledDedupeKey(tenantId, input.installationId, localDate),
  };
}
