import type { ScheduleSpec } from '@temporalio/client';
import { catchUpDelayMinutes } from '../../../../../lib/schedule/catch-up-delay';
import { catchUpTime, digestScheduleSpec } from '../../../schedule/digest-schedule-spec';

describe('digestScheduleSpec', () => {
  it('is a Temporal ScheduleSpec: HH:MM plus a catch-up entry one hour later, in the zone', () => {
    const spec: ScheduleSpec = digestScheduleSpec({ scheduleTime: '07:30', timezone: 'Europe/Berlin' });
    expect(spec.timezone).toBe('Europe/Berlin');
    expect(spec.calendars?.map(({ hour, minute }) => ({ hour, minute }))).toEqual([
      { hour: 7, minute: 30 },
      { hour: 8, minute: 30 },
    ]);
    expect(spec.calendars?.every((c) => typeof c.comment === 'string')).toBe(true);
  });

  it('wraps the catch-up entry past midnight for late times', () => {
    const spec = digestScheduleSpec({ scheduleTime: '23:30', timezone: 'America/New_York' });
    expect(spec.calendars.map(({ hour, minute }) => ({ hour, minute }))).toEqual([
      { hour: 23, minute: 30 },
      { hour: 0, minute: 30 },
    ]);
    expect(catchUpTime({ scheduleTime: '23:59', timezone: 'UTC' })).toBe('00:59');
  });

  it('waits as long as the zone can jump forward: two hours in Antarctica/Troll', () => {
    expect(catchUpDelayMinutes('Europe/Berlin')).toBe(60);
    expect(catchUpDelayMinutes('Australia/Lord_Howe')).toBe(60);
    expect(catchUpDelayMinutes('Asia/Kolkata')).toBe(60);
    expect(catchUpDelayMinutes('Antarctica/Troll')).toBe(120);
    expect(catchUpTime({ scheduleTime: '01:30', timezone: 'Antarctica/Troll' })).toBe('03:30');
  });

  it('rejects an invalid time or zone', () => {
    expect(() => digestScheduleSpec({ scheduleTime: '7:30', timezone: 'Europe/Berlin' })).toThrow(RangeError);
    expect(() => digestScheduleSpec({ scheduleTime: '07:30', timezone: 'europe/berlin' })).toThrow(/IANA/);
  });
});
