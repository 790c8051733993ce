// The next runs as the UI shows them: the instant, the tenant's local time, and the UTC offset
// in force then (so "07:30 +02:00" after a DST change is not a surprise).
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
 * Formats firings (e.g. the ones of a schedule's `describe().info.nextActionTimes` that will run,
 * as its package's rules say: PackageSchedule.postingFirings), earliest first.
 */
export function nextRunsDisplay(firings: Date[], zone: string): NextRunDisplay[] {
  return [...firings]
    .sort((a, b) => a.getTime() - b.getTime())
    .map((at) => ({
      at: at.toISOString(),
      local: formatLocalDateTime(at, zone),
      utcOffset: formatUtcOffset(utcOffsetMinutes(at, zone)),
    }));
}
