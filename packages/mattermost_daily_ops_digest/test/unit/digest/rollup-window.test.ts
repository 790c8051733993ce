// The split of a digest window into rollup hours and raw edges (rollup-window.ts): whichever way
// each edge rounds, the raw part is the symmetric difference of the window and the rollup hours,
// so it must be two disjoint ranges next to the window's edges, and the split chosen must read no
// more signal time than rounding every edge inward (the split used before) or reading it all raw.
import fc from 'fast-check';
import { splitRollupWindow } from '../../../rollup-window';

const HOUR = 3_600_000;
const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 30, 0, 0, 0);
const at = (ms: number) => new Date(T0 + ms);
const split = (ws: number, we: number, now: number) => {
  const w = splitRollupWindow(at(ws), at(we), at(now));
  return { hs: w.rollupStart.getTime() - T0, he: w.rollupEnd.getTime() - T0 };
};

/** The signal time [a, b) can hold, signals existing only up to now. */
const span = (a: number, b: number, now: number) => Math.max(0, Math.min(b, now) - Math.min(a, now));
const rawSpan = (ws: number, we: number, hs: number, he: number, now: number) =>
  span(Math.min(ws, hs), Math.max(ws, hs), now) + span(Math.min(we, he), Math.max(we, he), now);

describe('splitRollupWindow', () => {
  it('reads an hour-aligned window from the rollups alone', () => {
    expect(split(9 * HOUR, 33 * HOUR, 40 * HOUR)).toEqual({ hs: 9 * HOUR, he: 33 * HOUR });
  });

  it('takes the hour a window ending now ends in from the rollups, at no raw cost', () => {
    // 09:35 → 09:35 the next day, now = the end: the end hour's rest is in the future.
    expect(split(9 * HOUR + 35 * MIN, 33 * HOUR + 35 * MIN, 33 * HOUR + 35 * MIN)).toEqual({ hs: 10 * HOUR, he: 34 * HOUR });
    // At :20 the start edge rounds down: 20 minutes taken away instead of 40 added.
    expect(split(9 * HOUR + 20 * MIN, 33 * HOUR + 20 * MIN, 33 * HOUR + 20 * MIN)).toEqual({ hs: 9 * HOUR, he: 34 * HOUR });
  });

  it('rounds each edge of a past window to its nearer hour', () => {
    expect(split(9 * HOUR + 10 * MIN, 33 * HOUR + 50 * MIN, 60 * HOUR)).toEqual({ hs: 9 * HOUR, he: 34 * HOUR });
    expect(split(9 * HOUR + 50 * MIN, 33 * HOUR + 10 * MIN, 60 * HOUR)).toEqual({ hs: 10 * HOUR, he: 33 * HOUR });
  });

  it('reads a short window raw, unless its hour minus the rest is less to read', () => {
    expect(split(9 * HOUR + 10 * MIN, 9 * HOUR + 20 * MIN, 60 * HOUR)).toEqual({ hs: 9 * HOUR + 20 * MIN, he: 9 * HOUR + 20 * MIN });
    expect(split(9 * HOUR + 5 * MIN, 9 * HOUR + 55 * MIN, 60 * HOUR)).toEqual({ hs: 9 * HOUR, he: 10 * HOUR });
    expect(split(5 * HOUR, 5 * HOUR, 60 * HOUR)).toEqual({ hs: 5 * HOUR, he: 5 * HOUR });
  });

  it('always gives disjoint raw edges beside the window, and never more to read than the inward or all-raw split', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 72 * HOUR }),
        fc.integer({ min: 0, max: 30 * HOUR }),
        fc.integer({ min: -2 * HOUR, max: 80 * HOUR }),
        (ws, len, nowAt) => {
          const we = ws + len;
          const { hs, he } = split(ws, we, nowAt);
          expect(hs).toBeLessThanOrEqual(he);
          if (hs === he) {
            expect(he === we || he % HOUR === 0).toBe(true);
          } else {
            expect(hs % HOUR).toBe(0);
            expect(he % HOUR).toBe(0);
            // Each rollup edge is within the hour around its window edge…
            expect(Math.abs(hs - ws)).toBeLessThan(HOUR);
            expect(Math.abs(he - we)).toBeLessThan(HOUR);
            // …and the two raw ranges do not overlap.
            expect(Math.max(ws, hs)).toBeLessThanOrEqual(Math.min(we, he));
          }
          const cost = rawSpan(ws, we, hs, he, nowAt);
          const inHs = Math.ceil(ws / HOUR) * HOUR;
          const inHe = Math.floor(we / HOUR) * HOUR;
          const inward = inHs < inHe ? rawSpan(ws, we, inHs, inHe, nowAt) : span(ws, we, nowAt);
          expect(cost).toBeLessThanOrEqual(inward);
          expect(cost).toBeLessThanOrEqual(span(ws, we, nowAt));
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
