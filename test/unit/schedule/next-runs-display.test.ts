import { firingsThatPost } from '../../../lib/schedule/scheduled-firing';
import { nextRunsDisplay } from '../../../lib/schedule/next-runs-display';
import { digestScheduleSpec } from '../../../lib/schedule/digest-schedule-spec';
import { simulateCalendarFirings } from '../../../lib/schedule/simulate-calendar';

describe('nextRunsDisplay', () => {
  it('shows each run in local time with the UTC offset in force then', () => {
    const times = [new Date('2026-03-29T05:30:00Z'), new Date('2026-03-28T06:30:00Z')];
    expect(nextRunsDisplay(times, 'Europe/Berlin')).toEqual([
      { at: '2026-03-28T06:30:00.000Z', local: '2026-03-28 07:30', utcOffset: '+01:00' },
      { at: '2026-03-29T05:30:00.000Z', local: '2026-03-29 07:30', utcOffset: '+02:00' },
    ]);
  });

  it('formats half-hour and negative offsets', () => {
    const t = [new Date('2026-10-03T16:15:00Z')];
    expect(nextRunsDisplay(t, 'Australia/Lord_Howe')[0].utcOffset).toBe('+11:00');
    expect(nextRunsDisplay([new Date('2026-07-01T00:00:00Z')], 'Australia/Lord_Howe')[0].utcOffset).toBe('+10:30');
    expect(nextRunsDisplay(t, 'Asia/Kolkata')[0]).toEqual({ at: '2026-10-03T16:15:00.000Z', local: '2026-10-03 21:45', utcOffset: '+05:30' });
    expect(nextRunsDisplay(t, 'America/New_York')[0].utcOffset).toBe('-04:00');
    expect(nextRunsDisplay(t, 'UTC')[0].utcOffset).toBe('+00:00');
  });

  it('with the schedule time, leaves out firings that will end as skipped', () => {
    // What Temporal would list for 02:30 Europe/Berlin around the spring-forward day.
    const spec = digestScheduleSpec({ scheduleTime: '02:30', timezone: 'Europe/Berlin' });
    const times = simulateCalendarFirings(spec, '2026-03-28', '2026-03-30').map((f) => f.at);
    expect(times).toHaveLength(5); // 02:30 is missing on 03-29
    expect(
      nextRunsDisplay(times, 'Europe/Berlin', { rules: { scheduleTime: '02:30', timezone: 'Europe/Berlin', lastReportedEnd: null, effectiveSince: null } }),
    ).toEqual([
      { at: '2026-03-28T01:30:00.000Z', local: '2026-03-28 02:30', utcOffset: '+01:00' },
      { at: '2026-03-29T01:30:00.000Z', local: '2026-03-29 03:30', utcOffset: '+02:00' },
      { at: '2026-03-30T00:30:00.000Z', local: '2026-03-30 02:30', utcOffset: '+02:00' },
    ]);
  });

  const rules = (scheduleTime: string, timezone: string) => ({ scheduleTime, timezone, lastReportedEnd: null, effectiveSince: null });
  const iso = (ds: Date[]) => ds.map((d) => d.toISOString());

  it('a repeated hour: whichever occurrence Temporal fires posts, never both', () => {
    const both = [new Date('2026-10-25T00:30:00Z'), new Date('2026-10-25T01:30:00Z'), new Date('2026-10-25T02:30:00Z')];
    expect(iso(firingsThatPost(both, rules('02:30', 'Europe/Berlin')))).toEqual(['2026-10-25T00:30:00.000Z']);
    // The dev server fires only the second occurrence: that one posts (the date is not reported yet).
    expect(iso(firingsThatPost(both.slice(1), rules('02:30', 'Europe/Berlin')))).toEqual(['2026-10-25T01:30:00.000Z']);
  });

  it('keeps the wrapped catch-up only on the day it is needed (America/Nuuk 23:30)', () => {
    const nuuk = rules('23:30', 'America/Nuuk');
    expect(iso(firingsThatPost([new Date('2026-03-29T01:30:00Z')], nuuk))).toEqual(['2026-03-29T01:30:00.000Z']); // 00:30 on 03-29
    // 03-29 23:30 (-01:00) fires first and posts; the catch-up at 00:30 on 03-30 then finds 03-29 reported.
    expect(iso(firingsThatPost([new Date('2026-03-30T00:30:00Z'), new Date('2026-03-30T01:30:00Z')], nuuk))).toEqual(['2026-03-30T00:30:00.000Z']);
  });
});
