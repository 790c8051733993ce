import { formatHHMM, isValidHHMM, parseHHMM } from '../../../lib/schedule/hhmm';
import { isValidIanaZone } from '../../../lib/schedule/iana-zone';
import { addDays, isLocalDate, localDateOf } from '../../../lib/schedule/local-date';
import { ZScheduleTime, ZTimezone } from '../../../lib/schedule/schedule-schemas';

describe('parseHHMM', () => {
  it('parses zero-padded 24-hour times', () => {
    expect(parseHHMM('07:30')).toEqual({ hour: 7, minute: 30 });
    expect(parseHHMM('00:00')).toEqual({ hour: 0, minute: 0 });
    expect(parseHHMM('23:59')).toEqual({ hour: 23, minute: 59 });
    expect(formatHHMM({ hour: 7, minute: 5 })).toBe('07:05');
  });

  it.each(['7:30', '24:00', '07:60', '0730', ' 07:30', '07:30:00', '', '07:3', '٠٧:٣٠'])('rejects %j', (value) => {
    expect(isValidHHMM(value)).toBe(false);
    expect(() => parseHHMM(value)).toThrow(/expected HH:MM/);
  });
});

describe('isValidIanaZone', () => {
  it.each(['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata', 'America/Nuuk', 'UTC', 'Etc/GMT+5', 'America/Port-au-Prince'])(
    'accepts %s',
    (zone) => expect(isValidIanaZone(zone)).toBe(true),
  );

  it.each(['europe/berlin', 'EUROPE/BERLIN', 'Europe/berlin', 'Mars/Olympus', '', '+01:00', 'Europe/Berlin ', 'Local', 'UTC+2'])(
    'rejects %j (the Temporal server would too)',
    (zone) => expect(isValidIanaZone(zone)).toBe(false),
  );

  it('accepts every zone ICU lists', () => {
    expect(Intl.supportedValuesOf('timeZone').filter((z) => !isValidIanaZone(z))).toEqual([]);
  });

  it('rejects non-strings', () => {
    expect(isValidIanaZone(undefined)).toBe(false);
    expect(isValidIanaZone(42)).toBe(false);
  });
});

describe('zod schemas', () => {
  it('validate schedule time and zone at a boundary', () => {
    expect(ZScheduleTime.safeParse('07:30').success).toBe(true);
    expect(ZScheduleTime.safeParse('7:30').success).toBe(false);
    expect(ZTimezone.safeParse('Europe/Berlin').success).toBe(true);
    expect(ZTimezone.safeParse('Europe/Nowhere').success).toBe(false);
  });
});

describe('localDateOf', () => {
  it('gives the calendar date in the zone', () => {
    const instant = new Date('2026-03-28T23:30:00Z');
    expect(localDateOf(instant, 'Europe/Berlin')).toBe('2026-03-29');
    expect(localDateOf(instant, 'America/New_York')).toBe('2026-03-28');
    expect(localDateOf(instant, 'Asia/Kolkata')).toBe('2026-03-29');
    expect(localDateOf(new Date('2026-03-28T10:59:00Z'), 'Pacific/Apia')).toBe('2026-03-28');
    expect(localDateOf(new Date('2026-03-28T11:00:00Z'), 'Pacific/Apia')).toBe('2026-03-29');
  });

  it('does calendar arithmetic on dates', () => {
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(isLocalDate('2026-02-29')).toBe(false);
    expect(isLocalDate('2026-13-01')).toBe(false);
  });
});
