import { firingPosts } from '../../../lib/schedule/firing-outcome';
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
    expect(nextRunsDisplay(times, 'Europe/Berlin', { scheduleTime: '02:30' })).toEqual([
      { at: '2026-03-28T01:30:00.000Z', local: '2026-03-28 02:30', utcOffset: '+01:00' },
      { at: '2026-03-29T01:30:00.000Z', local: '2026-03-29 03:30', utcOffset: '+02:00' },
      { at: '2026-03-30T00:30:00.000Z', local: '2026-03-30 02:30', utcOffset: '+02:00' },
    ]);
  });

  it('drops the second firing of a repeated hour', () => {
    expect(firingPosts(new Date('2026-10-25T00:30:00Z'), '02:30', 'Europe/Berlin')).toBe(true);
    expect(firingPosts(new Date('2026-10-25T01:30:00Z'), '02:30', 'Europe/Berlin')).toBe(false);
    expect(firingPosts(new Date('2026-10-25T02:30:00Z'), '02:30', 'Europe/Berlin')).toBe(false);
  });

  it('keeps the wrapped catch-up only on the day it is needed (America/Nuuk 23:30)', () => {
    expect(firingPosts(new Date('2026-03-29T01:30:00Z'), '23:30', 'America/Nuuk')).toBe(true); // 00:30 on 03-29
    expect(firingPosts(new Date('2026-03-30T01:30:00Z'), '23:30', 'America/Nuuk')).toBe(false); // 00:30 on 03-30
  });
});
