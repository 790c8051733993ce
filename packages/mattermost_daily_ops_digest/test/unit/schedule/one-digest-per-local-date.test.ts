// The scheduling rule, proved by simulation on real tz data: for every local date, the
// firings of both calendar entries (as Temporal matches them on the local wall clock) map to
// exactly one dedupe key, the first of them posts after its window has closed, and the windows
// [previous nominal, nominal) tile time with no gap and no overlap.
import { catchUpDelayMinutes } from '../../../../../lib/schedule/catch-up-delay';
import { digestRunIdentity, type DigestRunIdentity } from '../../../schedule/digest-run-identity';
import { digestScheduleSpec } from '../../../schedule/digest-schedule-spec';
import { formatHHMM } from '../../../../../lib/schedule/hhmm';
import { addDays } from '../../../../../lib/schedule/local-date';
import { simulateCalendarFirings } from '../../../../../lib/schedule/simulate-calendar';
import { oracleFirings, oracleIntended, scanWallClock, transitions, type WallScan } from './wall-clock-oracle';

const DAY = 86_400_000;
const TENANT = 't1';

const ZONES = [
  'Europe/Berlin', // 2026-03-29 02:00→03:00, 2026-10-25 03:00→02:00
  'America/New_York', // 2026-03-08, 2026-11-01
  'Australia/Lord_Howe', // 30-minute DST: 2026-04-05 and 2026-10-04
  'America/Santiago', // transitions at local midnight
  'America/Nuuk', // spring-forward gap 23:00→00:00 on Saturday: HH:MM 23:xx does not exist
  'Antarctica/Troll', // +00 → +02: a two-hour gap
  'Pacific/Chatham', // +12:45 / +13:45
  'Asia/Kolkata', // no DST
  'Pacific/Apia', // no DST since 2021, +13
];

const ALL_QUARTER_HOURS = Array.from({ length: 96 }, (_, i) => formatHHMM({ hour: Math.floor(i / 4), minute: (i % 4) * 15 }));

interface Checked {
  gapDays: number;
  repeatDays: number;
}

// Plain checks in the hot loop (jest's matchers are too slow for ~10⁵ assertions); a failure
// names the zone, time and date.
function ensure(condition: boolean, message: () => string): void {
  if (!condition) throw new Error(message());
}

const iso = (t: number) => new Date(t).toISOString();

/** Checks the rule for one zone and schedule time over local dates [from, to]. */
function checkRule(samples: WallScan, zone: string, scheduleTime: string, from: string, to: string): Checked {
  const spec = digestScheduleSpec({ scheduleTime, timezone: zone });
  const delayMs = catchUpDelayMinutes(zone) * 60_000;
  const identity = (nominal: number) =>
    digestRunIdentity({ nominal: new Date(nominal), scheduleTime, timezone: zone, tenantId: TENANT, installationId: 'inst-1', channel: null });

  // Every firing of both entries, per Temporal's wall-clock matching (from the oracle).
  const firings: number[] = [];
  for (let date = addDays(from, -1); date <= addDays(to, 1); date = addDays(date, 1)) {
    for (const entry of spec.calendars) firings.push(...oracleFirings(samples, date, formatHHMM(entry)));
  }
  firings.sort((a, b) => a - b);

  // Posting: the first firing of a dedupe key posts, later ones find it posted and skip.
  const byDate = new Map<string, { identity: DigestRunIdentity; at: number[] }>();
  const postedDates: string[] = [];
  for (const at of firings) {
    const id = identity(at);
    const group = byDate.get(id.localDate);
    if (group) {
      ensure(
        id.dedupeKey === group.identity.dedupeKey &&
          id.windowStart.getTime() === group.identity.windowStart.getTime() &&
          id.windowEnd.getTime() === group.identity.windowEnd.getTime(),
        () => `${zone} ${scheduleTime}: firings at ${iso(group.at[0])} and ${iso(at)} disagree`,
      );
      group.at.push(at);
    } else {
      byDate.set(id.localDate, { identity: id, at: [at] });
      postedDates.push(id.localDate);
    }
  }

  let gapDays = 0;
  let repeatDays = 0;
  const inRange: string[] = [];
  for (let date = from; date <= to; date = addDays(date, 1)) {
    inRange.push(date);
    const where = `${zone} ${scheduleTime} ${date}`;
    const group = byDate.get(date);
    if (!group) throw new Error(`${where}: no firing counts for this date`); // never zero
    const { identity: id, at } = group;
    const end = id.windowEnd.getTime();
    // Never two: one key per date, naming that date.
    ensure(id.dedupeKey === `mattermost_post:${TENANT}:inst-1:scheduled:${date}`, () => `${where}: key ${id.dedupeKey}`);
    ensure(id.correlationId === `digest:${TENANT}:${date}:default`, () => `${where}: correlation ${id.correlationId}`);
    // The intended instant is "the first instant the wall clock reads HH:MM or later".
    const intended = oracleIntended(samples, date, scheduleTime);
    ensure(end === intended, () => `${where}: window ends ${iso(end)}, expected ${iso(intended)}`);
    // Windows tile: this one starts exactly where the previous date's ended.
    const previous = byDate.get(addDays(date, -1));
    if (previous) {
      ensure(id.windowStart.getTime() === previous.identity.windowEnd.getTime(), () => `${where}: window gap/overlap`);
    }
    ensure(id.windowStart.getTime() < end, () => `${where}: empty window`);
    // The posting firing comes once the window has closed: at its end when HH:MM exists,
    // otherwise within the catch-up delay. No firing of the date comes before it.
    const first = Math.min(...at);
    const main = oracleFirings(samples, date, scheduleTime);
    if (main.length > 0) ensure(first === end, () => `${where}: first firing ${iso(first)} is not ${iso(end)}`);
    else {
      gapDays++;
      ensure(first >= end && first - end <= delayMs, () => `${where}: catch-up at ${iso(first)}, window end ${iso(end)}`);
    }
    if (main.length === 2) repeatDays++;
  }
  // Each date in the range posted exactly once, in date order.
  expect(postedDates.filter((d) => d >= from && d <= to)).toEqual(inRange);
  return { gapDays, repeatDays };
}

function scanFor(zone: string, from: string, to: string): WallScan {
  return scanWallClock(zone, Date.parse(`${from}T00:00:00Z`) - 3 * DAY, Date.parse(`${to}T00:00:00Z`) + 4 * DAY);
}

describe('one digest per local date, never zero, never two', () => {
  describe.each(ZONES)('%s', (zone) => {
    const samples = scanFor(zone, '2026-01-01', '2026-12-31');

    it('holds for every quarter-hour schedule time around each 2026 transition', () => {
      const year = transitions(samples).filter((t) => t >= Date.parse('2026-01-01') && t < Date.parse('2027-01-01'));
      let gapDays = 0;
      let repeatDays = 0;
      for (const t of year) {
        const day = new Date(t).toISOString().slice(0, 10);
        for (const time of ALL_QUARTER_HOURS) {
          const r = checkRule(samples, zone, time, addDays(day, -2), addDays(day, 2));
          gapDays += r.gapDays;
          repeatDays += r.repeatDays;
        }
      }
      if (['Asia/Kolkata', 'Pacific/Apia'].includes(zone)) expect(year).toHaveLength(0);
      else {
        // The interesting cases were really exercised.
        expect(year).toHaveLength(2);
        expect(gapDays).toBeGreaterThan(0);
        expect(repeatDays).toBeGreaterThan(0);
      }
    });

    it('holds for every day of 2026 at a few typical times', () => {
      for (const time of ['00:00', '02:30', '07:30', '23:30']) checkRule(samples, zone, time, '2026-01-01', '2026-12-31');
    });
  });

  it('the library simulator fires exactly where the brute-force oracle does', () => {
    for (const zone of ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'America/Nuuk']) {
      const samples = scanFor(zone, '2026-03-01', '2026-11-30');
      for (const time of ['00:00', '01:30', '02:15', '02:30', '23:30']) {
        const spec = digestScheduleSpec({ scheduleTime: time, timezone: zone });
        const simulated = simulateCalendarFirings(spec, '2026-03-01', '2026-11-30').map((f) => f.at.getTime());
        const expected: number[] = [];
        for (let d = '2026-03-01'; d <= '2026-11-30'; d = addDays(d, 1)) {
          for (const e of spec.calendars) expected.push(...oracleFirings(samples, d, formatHHMM(e)));
        }
        expect(simulated).toEqual(expected.sort((a, b) => a - b));
      }
    }
  });
});
