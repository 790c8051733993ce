// Local date + "HH:MM" in a zone → instants. Two views of the same question:
//  - wallTimeInstants: every instant whose wall clock reads exactly that (0 in a spring-forward
//    gap, 2 in a fall-back overlap) — this is what a Temporal calendar entry fires on;
//  - localTimeToInstant: the one *intended* instant, defined as the first instant at which the
//    local wall clock has reached that date and time. So an overlap gives its first occurrence
//    and a gap gives the first instant after the gap (Berlin 2026-03-29 02:30 → 03:00 CEST,
//    i.e. 01:00Z): the moment the local clock "passed" 02:30.
import { parseHHMM } from './hhmm';
import { localDateToWallMs } from './local-date';
import { wallMs } from './zoned-clock';

const HOUR = 3_600_000;

function targetWallMs(localDate: string, hhmm: string): number {
  const { hour, minute } = parseHHMM(hhmm);
  return localDateToWallMs(localDate) + hour * HOUR + minute * 60_000;
}

// Every UTC offset in force within a day and a half of the target: any instant that shows the
// target on the wall clock uses one of these (real offsets are within −12 h … +14 h).
function candidateOffsets(target: number, zone: string): number[] {
  const offsets = new Set<number>();
  for (let k = -3; k <= 2; k++) {
    const t = target + k * 12 * HOUR;
    offsets.add(wallMs(t, zone) - t);
  }
  return [...offsets];
}

/** The instants whose wall clock in `zone` reads exactly `localDate hhmm`, ascending. */
export function wallTimeInstants(localDate: string, hhmm: string, zone: string): Date[] {
  return wallMsInstants(targetWallMs(localDate, hhmm), zone).map((t) => new Date(t));
}

export function wallMsInstants(target: number, zone: string): number[] {
  const hits = new Set<number>();
  for (const offset of candidateOffsets(target, zone)) {
    const t = target - offset;
    if (wallMs(t, zone) === target) hits.add(t);
  }
  return [...hits].sort((a, b) => a - b);
}

/** The intended instant of `localDate hhmm` in `zone` (first occurrence; after a gap, its end). */
export function localTimeToInstant(localDate: string, hhmm: string, zone: string): Date {
  return new Date(intendedInstantMs(targetWallMs(localDate, hhmm), zone));
}

export function intendedInstantMs(target: number, zone: string): number {
  const hits = wallMsInstants(target, zone);
  if (hits.length > 0) return hits[0];
  // A gap: the wall clock jumps over the target. Before the jump it reads less, after it more;
  // binary-search the jump to the millisecond.
  const offsets = candidateOffsets(target, zone);
  let lo = target - Math.max(...offsets); // wall < target
  let hi = target - Math.min(...offsets); // wall >= target
  if (!(wallMs(lo, zone) < target && wallMs(hi, zone) >= target)) {
    throw new Error(`cannot resolve local time in ${zone}`); // unreachable for real tz data
  }
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (wallMs(mid, zone) >= target) hi = mid;
    else lo = mid;
  }
  return hi;
}
