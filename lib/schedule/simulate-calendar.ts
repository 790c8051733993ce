// Enumerates when a Temporal calendar spec fires over a range of local dates, following
// Temporal's documented matching on the local wall clock: a local time that does not exist
// (spring forward) is skipped, one that occurs twice (fall back) fires twice. For tests and
// previews; production reads the server's own `nextActionTimes`.
import { formatHHMM } from './hhmm';
import { addDays } from './local-date';
import { wallTimeInstants } from './local-time-to-instant';

export interface SimulatedFiring {
  at: Date;
  /** Index of the calendar entry that matched. */
  entry: number;
}

export interface SimulatedSpec {
  calendars: Array<{ hour: number; minute: number }>;
  timezone: string;
}

/** Firings on local dates from `fromDate` to `toDate` inclusive, in time order. */
export function simulateCalendarFirings(spec: SimulatedSpec, fromDate: string, toDate: string): SimulatedFiring[] {
  const firings: SimulatedFiring[] = [];
  for (let date = fromDate; date <= toDate; date = addDays(date, 1)) {
    spec.calendars.forEach((entry, index) => {
      for (const at of wallTimeInstants(date, formatHHMM(entry), spec.timezone)) firings.push({ at, entry: index });
    });
  }
  return firings.sort((a, b) => a.at.getTime() - b.at.getTime() || a.entry - b.entry);
}
