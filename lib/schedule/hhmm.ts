// "HH:MM", 24-hour, zero-padded: the only form a schedule time is stored and shown in.

export interface HourMinute {
  hour: number;
  minute: number;
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

export function isValidHHMM(value: unknown): value is string {
  return typeof value === 'string' && HHMM.test(value);
}

/** Parses "07:30" → { hour: 7, minute: 30 }; throws RangeError for anything else ("7:30", "24:00"). */
export function parseHHMM(value: string): HourMinute {
  const match = HHMM.exec(value);
  if (!match) throw new RangeError(`invalid time "${String(value).slice(0, 16)}": expected HH:MM (00:00-23:59)`);
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

export function formatHHMM({ hour, minute }: HourMinute): string {
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

/** Minutes after local midnight. */
export function minutesOfDay(value: string): number {
  const { hour, minute } = parseHHMM(value);
  return hour * 60 + minute;
}
