// An independent brute-force model of the wall clock for the schedule tests: it walks UTC in
// 15-minute steps and reads each step's local time with formatToParts. Every zone offset in use
// today is a multiple of 15 minutes and changes on a quarter hour, so for schedule times on a
// quarter hour this sees every instant a calendar entry can match (the oracle checks that).

export interface WallSample {
  /** UTC epoch ms. */
  t: number;
  /** Local date-time encoded as UTC ms. */
  wall: number;
}

const STEP = 15 * 60_000;

export interface WallScan extends Array<WallSample> {
  byWall?: Map<number, number[]>;
}

export function scanWallClock(zone: string, fromMs: number, toMs: number): WallScan {
  const fmt = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const samples: WallScan = [];
  for (let t = Math.floor(fromMs / STEP) * STEP; t <= toMs; t += STEP) {
    const p: Record<string, number> = {};
    for (const part of fmt.formatToParts(t)) if (part.type !== 'literal') p[part.type] = Number(part.value);
    const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour % 24, p.minute, p.second);
    if ((wall - t) % STEP !== 0) throw new Error(`${zone}: offset at ${new Date(t).toISOString()} is not a quarter hour`);
    samples.push({ t, wall });
  }
  return samples;
}

export const wallTarget = (localDate: string, hhmm: string) => Date.parse(`${localDate}T${hhmm}:00Z`);

/** Instants whose wall clock reads exactly localDate hhmm: what Temporal's calendar fires on. */
export function oracleFirings(samples: WallScan, localDate: string, hhmm: string): number[] {
  if (!samples.byWall) {
    samples.byWall = new Map();
    for (const s of samples) samples.byWall.set(s.wall, [...(samples.byWall.get(s.wall) ?? []), s.t]);
  }
  return samples.byWall.get(wallTarget(localDate, hhmm)) ?? [];
}

/** The first instant at which the wall clock reads localDate hhmm or later. */
export function oracleIntended(samples: WallSample[], localDate: string, hhmm: string): number {
  const target = wallTarget(localDate, hhmm);
  // No zone is more than 14 h ahead of UTC, so nothing earlier than target − 15 h can qualify.
  const start = Math.max(0, Math.floor((target - 15 * 3_600_000 - samples[0].t) / STEP));
  for (let i = start; i < samples.length; i++) if (samples[i].wall >= target) return samples[i].t;
  throw new Error('scan range too short');
}

/** UTC instants at which the offset changes (the first sample with the new offset). */
export function transitions(samples: WallSample[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < samples.length; i++) {
    if (samples[i].wall - samples[i].t !== samples[i - 1].wall - samples[i - 1].t) out.push(samples[i].t);
  }
  return out;
}

export const localDateAt = (samples: WallSample[], t: number): string => {
  const s = samples.find((x) => x.t === t);
  if (!s) throw new Error('instant not in scan');
  return new Date(s.wall).toISOString().slice(0, 10);
};
