// Real transition days. Rule: the intended instant of a local time is the first instant at
// which the wall clock reads that time or later — the first occurrence in a fall-back overlap,
// the end of the gap on a spring-forward day.
import { localTimeToInstant, wallTimeInstants } from '../../../lib/schedule/local-time-to-instant';

const at = (date: string, time: string, zone: string) => localTimeToInstant(date, time, zone).toISOString();
const fires = (date: string, time: string, zone: string) => wallTimeInstants(date, time, zone).map((d) => d.toISOString());

describe('Europe/Berlin', () => {
  it('2026-03-29: 02:30 does not exist; it resolves to 03:00 CEST, the end of the gap', () => {
    expect(fires('2026-03-29', '02:30', 'Europe/Berlin')).toEqual([]);
    expect(at('2026-03-29', '02:30', 'Europe/Berlin')).toBe('2026-03-29T01:00:00.000Z');
    expect(at('2026-03-29', '02:00', 'Europe/Berlin')).toBe('2026-03-29T01:00:00.000Z');
    expect(at('2026-03-29', '01:59', 'Europe/Berlin')).toBe('2026-03-29T00:59:00.000Z');
    expect(at('2026-03-29', '03:00', 'Europe/Berlin')).toBe('2026-03-29T01:00:00.000Z');
    expect(at('2026-03-29', '07:30', 'Europe/Berlin')).toBe('2026-03-29T05:30:00.000Z');
    expect(at('2026-03-28', '07:30', 'Europe/Berlin')).toBe('2026-03-28T06:30:00.000Z');
  });

  it('2026-10-25: 02:30 occurs twice; the first occurrence (CEST) is intended', () => {
    expect(fires('2026-10-25', '02:30', 'Europe/Berlin')).toEqual(['2026-10-25T00:30:00.000Z', '2026-10-25T01:30:00.000Z']);
    expect(at('2026-10-25', '02:30', 'Europe/Berlin')).toBe('2026-10-25T00:30:00.000Z');
    expect(at('2026-10-25', '03:00', 'Europe/Berlin')).toBe('2026-10-25T02:00:00.000Z');
  });
});

describe('America/New_York', () => {
  it('2026-03-08: 02:30 does not exist → 03:00 EDT', () => {
    expect(fires('2026-03-08', '02:30', 'America/New_York')).toEqual([]);
    expect(at('2026-03-08', '02:30', 'America/New_York')).toBe('2026-03-08T07:00:00.000Z');
  });

  it('2026-11-01: 01:30 occurs twice → 01:30 EDT', () => {
    expect(fires('2026-11-01', '01:30', 'America/New_York')).toEqual(['2026-11-01T05:30:00.000Z', '2026-11-01T06:30:00.000Z']);
    expect(at('2026-11-01', '01:30', 'America/New_York')).toBe('2026-11-01T05:30:00.000Z');
  });
});

describe('Australia/Lord_Howe (30-minute DST)', () => {
  it('2026-10-04: 02:15 does not exist → 02:30 +11:00', () => {
    expect(fires('2026-10-04', '02:15', 'Australia/Lord_Howe')).toEqual([]);
    expect(at('2026-10-04', '02:15', 'Australia/Lord_Howe')).toBe('2026-10-03T15:30:00.000Z');
  });

  it('2026-04-05: 01:45 occurs twice, half an hour apart', () => {
    expect(fires('2026-04-05', '01:45', 'Australia/Lord_Howe')).toEqual(['2026-04-04T14:45:00.000Z', '2026-04-04T15:15:00.000Z']);
    expect(at('2026-04-05', '01:45', 'Australia/Lord_Howe')).toBe('2026-04-04T14:45:00.000Z');
  });
});

describe('zones without DST and odd transitions', () => {
  it('Asia/Kolkata is always +05:30', () => {
    expect(at('2026-03-29', '07:30', 'Asia/Kolkata')).toBe('2026-03-29T02:00:00.000Z');
    expect(fires('2026-10-25', '02:30', 'Asia/Kolkata')).toEqual(['2026-10-24T21:00:00.000Z']);
  });

  it('America/Nuuk 2026-03-28: 23:30 does not exist; it resolves to midnight of the next day', () => {
    expect(fires('2026-03-28', '23:30', 'America/Nuuk')).toEqual([]);
    expect(at('2026-03-28', '23:30', 'America/Nuuk')).toBe('2026-03-29T01:00:00.000Z');
  });

  it('America/Santiago: midnight transitions', () => {
    expect(at('2026-09-06', '00:30', 'America/Santiago')).toBe('2026-09-06T04:00:00.000Z');
    expect(fires('2026-04-04', '23:30', 'America/Santiago')).toEqual(['2026-04-05T02:30:00.000Z', '2026-04-05T03:30:00.000Z']);
  });

  it('Pacific/Apia skipped 2011-12-30 entirely: its times resolve to the jump', () => {
    expect(fires('2011-12-30', '07:30', 'Pacific/Apia')).toEqual([]);
    expect(at('2011-12-30', '07:30', 'Pacific/Apia')).toBe('2011-12-30T10:00:00.000Z');
    expect(at('2026-03-29', '07:30', 'Pacific/Apia')).toBe('2026-03-28T18:30:00.000Z');
  });

  it('rejects malformed input', () => {
    expect(() => localTimeToInstant('2026-02-30', '07:30', 'Europe/Berlin')).toThrow(RangeError);
    expect(() => localTimeToInstant('2026-03-29', '7:30', 'Europe/Berlin')).toThrow(RangeError);
  });
});
