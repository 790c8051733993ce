// Local calendar dates as 'YYYY-MM-DD' strings: what a digest is "for", and the date in its
// correlation id and dedupe key. Date arithmetic is on the calendar, never on 24 h steps.
import { wallClockOf } from './zoned-clock';

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isLocalDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = LOCAL_DATE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** Midnight of the date, as UTC milliseconds (the "wall milliseconds" of local midnight). */
export function localDateToWallMs(localDate: string): number {
  if (!isLocalDate(localDate)) throw new RangeError(`invalid local date "${String(localDate).slice(0, 16)}": expected YYYY-MM-DD`);
  const [y, m, d] = localDate.split('-').map(Number);
  return Date.UTC(y, m - 1, d);
}

export function wallMsToLocalDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The calendar date of `instant` in `zone`. */
export function localDateOf(instant: Date, zone: string): string {
  const c = wallClockOf(instant, zone);
  return `${String(c.year).padStart(4, '0')}-${String(c.month).padStart(2, '0')}-${String(c.day).padStart(2, '0')}`;
}

export function addDays(localDate: string, days: number): string {
  return wallMsToLocalDate(localDateToWallMs(localDate) + days * 86_400_000);
}
