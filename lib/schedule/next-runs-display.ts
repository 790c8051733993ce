// The next runs as the UI shows them: the instant, the tenant's local time, and the UTC offset
// in force then (so "07:30 +02:00" after a DST change is not a surprise).
import { firingPosts } from './firing-outcome';
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
 * Formats a schedule's `describe().info.nextActionTimes`. With `scheduleTime`, firings that
 * will end as `skipped` (the daily catch-up entry on ordinary days) are left out.
 */
export function nextRunsDisplay(nextActionTimes: Date[], zone: string, options: { scheduleTime?: string } = {}): NextRunDisplay[] {
  const { scheduleTime } = options;
  return [...nextActionTimes]
    .sort((a, b) => a.getTime() - b.getTime())
    .filter((at) => scheduleTime === undefined || firingPosts(at, scheduleTime, zone))
    .map((at) => ({
      at: at.toISOString(),
      local: formatLocalDateTime(at, zone),
      utcOffset: formatUtcOffset(utcOffsetMinutes(at, zone)),
    }));
}
