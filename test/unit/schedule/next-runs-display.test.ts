import { nextRunsDisplay } from '../../../lib/schedule/next-runs-display';

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
});
