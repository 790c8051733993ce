// The next runs as the UI shows them: the instant, the tenant's local time, and the UTC offset
// in force then (so "07:30 +02:00" after a DST change is not a surprise).
import { firingsThatPost, type AnnounceInput } from './scheduled-firing';
import { formatLocalDateTime, formatUtcOffset, utcOffsetMinutes } from './zoned-clock';

export interface NextRunDisplay {
  /** ISO 8601 UTC instant. */
  at: string;
  /** "YYYY-MM-DD HH:MM" in the zone. */
  local: string;
  /** "+02:00". */
  utcOffset: string;
}

/**
 * Formats a schedule's `describe().info.nextActionTimes`. With `rules`, only the firings that
 * will post under the declared digest rules are kept (lib/schedule/scheduled-firing.ts): the
 * catch-up entry on ordinary days, a second firing for an already reported date, a catch-up
 * for a time configured after it had passed are all left out.
 */
export function nextRunsDisplay(nextActionTimes: Date[], zone: string, options: { rules?: AnnounceInput } = {}): NextRunDisplay[] {
  const times = options.rules ? firingsThatPost(nextActionTimes, options.rules) : [...nextActionTimes].sort((a, b) => a.getTime() - b.getTime());
  return times.map((at) => ({
    at: at.toISOString(),
    local: formatLocalDateTime(at, zone),
    utcOffset: formatUtcOffset(utcOffsetMinutes(at, zone)),
  }));
}
