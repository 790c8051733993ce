// Splits a digest window into the whole UTC hours the hourly rollups answer for and the partial
// hours at either edge that must be read from the signals themselves.
//
// Each edge may round either way. Rounded inward, the edge's partial hour is added from the
// signals; rounded outward, the rollups count the whole hour and the signals of the part outside
// the window are taken away again (rollups are exact sums, kept in the same transaction as the
// signals). The raw part is the symmetric difference of the window and the rollup hours:
//
//   inward:  windowStart ── +raw ──▶ rollupStart ══ rollups ══▶ rollupEnd ── +raw ──▶ windowEnd
//   outward: rollupStart ── −raw ──▶ windowStart ══ rollups ══▶ windowEnd ── −raw ──▶ rollupEnd
//
// The split that reads the fewest signals wins, estimated by time (signals only exist up to now):
// a window ending now takes its end hour from the rollups at no raw cost, so the signals read are
// at most half an hour at the start edge, against a whole hour when every edge rounds inward.
// When no hour is whole enough to help, rollupStart = rollupEnd = windowEnd and the whole window
// is raw.
const HOUR_MS = 3_600_000;

export interface RollupWindow {
  windowStart: Date;
  rollupStart: Date;
  rollupEnd: Date;
  windowEnd: Date;
}

export function splitRollupWindow(windowStart: Date, windowEnd: Date, now: Date = new Date()): RollupWindow {
  const ws = windowStart.getTime();
  const we = Math.max(ws, windowEnd.getTime());
  const until = now.getTime();
  // The time span of [a, b) in which signals can exist.
  const span = (a: number, b: number) => Math.max(0, Math.min(b, until) - Math.min(a, until));
  const rawSpan = (hs: number, he: number) => span(Math.min(ws, hs), Math.max(ws, hs)) + span(Math.min(we, he), Math.max(we, he));

  let best = { hs: we, he: we, cost: span(ws, we) };
  for (const hs of [Math.ceil(ws / HOUR_MS) * HOUR_MS, Math.floor(ws / HOUR_MS) * HOUR_MS]) {
    for (const he of [Math.floor(we / HOUR_MS) * HOUR_MS, Math.ceil(we / HOUR_MS) * HOUR_MS]) {
      if (hs >= he) continue;
      const cost = rawSpan(hs, he);
      if (cost < best.cost) best = { hs, he, cost };
    }
  }
  return { windowStart: new Date(ws), rollupStart: new Date(best.hs), rollupEnd: new Date(best.he), windowEnd: new Date(we) };
}
