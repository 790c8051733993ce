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

// The UTC offsets in force around the target: any instant whose wall clock shows the target
// lies within [target − 14 h, target + 12 h] (real offsets are −12 h … +14 h), so sampling
// both ends and the middle finds every offset it can use, even across two transitions.
function candidateOffsets(target: number, zone: string): number[] {
  const offsets = new Set<number>();
  for (const t of [target - 15 * HOUR, target, target + 13 * HOUR]) offsets.add(wallMs(t, zone) - t);
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

// Pure, and asked for the same dates again and again (each window's start is the previous
// window's end), so results are memoised; bounded because zones and dates are open-ended.
const memo = new Map<string, number>();

export function intendedInstantMs(target: number, zone: string): number {
  const key = `${zone} ${target}`;
  let instant = memo.get(key);
  if (instant === undefined) {
    instant = resolveIntended(target, zone);
    if (memo.size >= 5000) memo.clear();
    memo.set(key, instant);
  }
  return instant;
}

function resolveIntended(target: number, zone: string): number {
  const hits = wallMsInstants(target, zone);
  if (hits.length > 0) return hits[0];
  // A gap: the wall clock jumps over the target. Before the jump it reads less, after it more;
  // binary-search the jump to the millisecond.
  const offsets = candidateOffsets(target, zone);
  let lo = target - Math.max(...offsets); // wall < target
  let hi = target - Math.min(...offsets); // wall >= target
  if (!(wallMs(lo, zone) < target && wallMs(hi, zone) >= target)) {
    throw new Error(`cannot resolve local time in ${zone}`); // not seen with real tz data
  }
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (wallMs(mid, zone) >= target) hi = mid;
    else lo = mid;
  }
  return hi;
}
