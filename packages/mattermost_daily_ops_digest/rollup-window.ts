// Splits a digest window into the whole UTC hours the hourly rollups answer for and the partial
// hours at either edge that must be read from the signals themselves.
//
//   windowStart ── raw ──▶ rollupStart ══ rollups ══▶ rollupEnd ── raw ──▶ windowEnd
//
// A window inside one hour (or shorter) has no whole hour: rollupStart = rollupEnd = windowEnd,
// so the raw part [windowStart, rollupStart) is the whole window and the tail is empty.
const HOUR_MS = 3_600_000;

export interface RollupWindow {
  windowStart: Date;
  rollupStart: Date;
  rollupEnd: Date;
  windowEnd: Date;
}

export function splitRollupWindow(windowStart: Date, windowEnd: Date): RollupWindow {
  const ws = windowStart.getTime();
  const we = Math.max(ws, windowEnd.getTime());
  let hs = Math.ceil(ws / HOUR_MS) * HOUR_MS;
  let he = Math.floor(we / HOUR_MS) * HOUR_MS;
  if (hs >= he) hs = he = we;
  return { windowStart: new Date(ws), rollupStart: new Date(hs), rollupEnd: new Date(he), windowEnd: new Date(we) };
}
