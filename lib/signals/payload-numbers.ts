// Numbers in an ingested signal payload are bounded at the door. The digest adds up cost_usd over
// every execution of a window: one 1.7e308 made that sum overflow double precision, failing the
// preview and every run of the window. A field the digest aggregates has its own range; any other
// number must be within ±MAX_PAYLOAD_NUMBER, where double precision still counts in whole units.

export interface NumberRange {
  min: number;
  max: number;
  /** What the number measures, for the error message. */
  unit: string;
}

/** Payload fields the digest aggregates (the digest package's collect-digest-stats.ts), by key at the top level. */
export const AGGREGATED_PAYLOAD_NUMBERS: Readonly<Record<string, NumberRange>> = {
  cost_usd: { min: 0, max: 1_000_000, unit: 'US dollars per signal' },
};

export const MAX_PAYLOAD_NUMBER = 1e15;

export interface PayloadNumberProblem {
  /** Dotted path inside the payload. */
  path: string;
  message: string;
}

/** The first number in `payload` outside its range, or undefined. Iterative: payloads may be deep. */
export function findOutOfRangeNumber(payload: Record<string, unknown>): PayloadNumberProblem | undefined {
  for (const [key, range] of Object.entries(AGGREGATED_PAYLOAD_NUMBERS)) {
    const value = payload[key];
    if (typeof value === 'number' && !(value >= range.min && value <= range.max)) {
      return { path: key, message: `must be a number from ${range.min} to ${range.max.toLocaleString('en-US')} (${range.unit}); got ${value}` };
    }
  }
  const stack: { value: unknown; path: string }[] = Object.entries(payload).map(([k, v]) => ({ value: v, path: k }));
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (typeof value === 'number') {
      if (!Number.isFinite(value) || Math.abs(value) > MAX_PAYLOAD_NUMBER) return { path, message: `must be a finite number from -1e15 to 1e15; got ${value}` };
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => stack.push({ value: v, path: `${path}.${i}` }));
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) stack.push({ value: v, path: `${path}.${k}` });
    }
  }
  return undefined;
}
