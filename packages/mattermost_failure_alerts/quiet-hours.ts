// Quiet hours in the installation's zone: is an instant inside them, and when do they end.
// A period may cross midnight (22:00–07:00). Pure (Intl only), so it is unit-tested directly.
import { minutesOfDay } from '../../lib/schedule/hhmm';
import { wallClockOf } from '../../lib/schedule/zoned-clock';

export interface QuietHours {
  start: string;
  end: string;
}

function localMinutes(instant: number, zone: string): number {
  const c = wallClockOf(instant, zone);
  return c.hour * 60 + c.minute;
}

export function inQuietHours(quiet: QuietHours | null, instant: number, zone: string): boolean {
  if (!quiet) return false;
  const now = localMinutes(instant, zone);
  const start = minutesOfDay(quiet.start);
  const end = minutesOfDay(quiet.end);
  return start < end ? now >= start && now < end : now >= start || now < end;
}

/**
 * The first instant (to the minute) after `instant` that is outside the quiet hours, or `instant`
 * itself when it is not inside them. Walks minute by minute from the local time, which also gets
 * DST days right (a skipped or repeated hour just changes how many minutes the walk takes).
 */
export function quietHoursEnd(quiet: QuietHours | null, instant: number, zone: string): number {
  if (!inQuietHours(quiet, instant, zone)) return instant;
  let t = Math.floor(instant / 60_000) * 60_000 + 60_000;
  for (let i = 0; i < 26 * 60; i++, t += 60_000) {
    if (!inQuietHours(quiet, t, zone)) return t;
  }
  return t;
}
