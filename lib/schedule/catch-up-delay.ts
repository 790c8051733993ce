// How long after HH:MM the schedule's catch-up entry fires. It must be at least as long as the
// zone's largest spring-forward jump, so that when HH:MM falls inside the gap, HH:MM + delay
// lies after it and exists. One hour covers every zone's DST today except Antarctica/Troll
// (+00 → +02, a two-hour gap), which this measures instead of assuming.
import { utcOffsetMinutes } from './zoned-clock';

export const MIN_CATCH_UP_DELAY_MINUTES = 60;

// Fixed horizon (not "now") so the spec is a pure function of its inputs. Jumps of 12 h or more
// are date-line moves (Pacific/Apia skipped 2011-12-30 entirely): no catch-up time helps there.
const HORIZON_START = Date.UTC(2020, 0, 1);
const HORIZON_END = Date.UTC(2045, 0, 1);
const WEEK = 7 * 86_400_000;

const cache = new Map<string, number>();

export function catchUpDelayMinutes(zone: string): number {
  const cached = cache.get(zone);
  if (cached !== undefined) return cached;
  let delay = MIN_CATCH_UP_DELAY_MINUTES;
  let previous = utcOffsetMinutes(HORIZON_START, zone);
  for (let t = HORIZON_START + WEEK; t <= HORIZON_END; t += WEEK) {
    const offset = utcOffsetMinutes(t, zone);
    const jump = offset - previous;
    if (jump > delay && jump < 12 * 60) delay = jump;
    previous = offset;
  }
  cache.set(zone, delay);
  return delay;
}
