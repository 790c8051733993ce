import { digestDateFor, digestRunIdentity } from '../../../schedule/digest-run-identity';

const HOUR = 3_600_000;
const run = (nominal: string, scheduleTime: string, timezone: string, channel: string | null = 'town-square') =>
  digestRunIdentity({ nominal: new Date(nominal), scheduleTime, timezone, tenantId: 'acme', installationId: 'inst-1', channel });
const hours = (id: { windowStart: Date; windowEnd: Date }) => (id.windowEnd.getTime() - id.windowStart.getTime()) / HOUR;

describe('digestRunIdentity', () => {
  it('names the local date in the correlation id and dedupe key', () => {
    const id = run('2026-06-10T05:30:00Z', '07:30', 'Europe/Berlin');
    expect(id).toEqual({
      localDate: '2026-06-10',
      windowStart: new Date('2026-06-09T05:30:00Z'),
      windowEnd: new Date('2026-06-10T05:30:00Z'),
      correlationId: 'digest:acme:2026-06-10:town-square',
      dedupeKey: 'mattermost_post:acme:inst-1:scheduled:2026-06-10',
    });
  });

  it('uses "default" when no channel is set', () => {
    const id = run('2026-06-10T05:30:00Z', '07:30', 'Europe/Berlin', null);
    expect(id.correlationId).toBe('digest:acme:2026-06-10:default');
    expect(id.dedupeKey).toBe('mattermost_post:acme:inst-1:scheduled:2026-06-10');
    expect(run('2026-06-10T05:30:00Z', '07:30', 'Europe/Berlin', '  ').correlationId).toBe('digest:acme:2026-06-10:default');
  });

  it('covers the 23 h spring-forward day and the 25 h fall-back day exactly (Berlin 07:30)', () => {
    expect(hours(run('2026-03-29T05:30:00Z', '07:30', 'Europe/Berlin'))).toBe(23);
    expect(hours(run('2026-10-25T06:30:00Z', '07:30', 'Europe/Berlin'))).toBe(25);
    expect(hours(run('2026-03-08T11:30:00Z', '07:30', 'America/New_York'))).toBe(23);
    expect(hours(run('2026-11-01T12:30:00Z', '07:30', 'America/New_York'))).toBe(25);
    expect(hours(run('2026-03-29T02:00:00Z', '07:30', 'Asia/Kolkata'))).toBe(24);
  });

  it('Berlin 2026-03-29 at 02:30: the catch-up firing (03:30 CEST) posts for that date, window to 03:00 CEST', () => {
    const catchUp = run('2026-03-29T01:30:00Z', '02:30', 'Europe/Berlin');
    expect(catchUp.localDate).toBe('2026-03-29');
    expect(catchUp.windowStart).toEqual(new Date('2026-03-28T01:30:00Z')); // 02:30 CET
    expect(catchUp.windowEnd).toEqual(new Date('2026-03-29T01:00:00Z')); // 03:00 CEST
    // The next day's window starts where this one ended.
    expect(run('2026-03-30T00:30:00Z', '02:30', 'Europe/Berlin').windowStart).toEqual(catchUp.windowEnd);
  });

  it('Berlin 2026-10-25 at 02:30: both firings of the repeated hour and the catch-up share one key', () => {
    const first = run('2026-10-25T00:30:00Z', '02:30', 'Europe/Berlin');
    const second = run('2026-10-25T01:30:00Z', '02:30', 'Europe/Berlin');
    const catchUp = run('2026-10-25T02:30:00Z', '02:30', 'Europe/Berlin'); // 03:30 CET
    expect(second).toEqual(first);
    expect(catchUp).toEqual(first);
    expect(first.windowEnd).toEqual(new Date('2026-10-25T00:30:00Z'));
    // The extra hour falls after 02:30 CEST, so it belongs to the next day's window.
    expect(hours(first)).toBe(24);
    expect(hours(run('2026-10-26T01:30:00Z', '02:30', 'Europe/Berlin'))).toBe(25);
  });

  it('on an ordinary day the catch-up firing finds the date it belongs to (and is skipped by its key)', () => {
    expect(run('2026-06-10T06:30:00Z', '07:30', 'Europe/Berlin')).toEqual(run('2026-06-10T05:30:00Z', '07:30', 'Europe/Berlin'));
  });

  it('23:30: the catch-up at 00:30 the next day still counts for the day before', () => {
    const main = run('2026-06-10T21:30:00Z', '23:30', 'Europe/Berlin');
    const catchUp = run('2026-06-10T22:30:00Z', '23:30', 'Europe/Berlin'); // 00:30 on 06-11
    expect(catchUp).toEqual(main);
    expect(main.localDate).toBe('2026-06-10');
  });

  it('America/Nuuk 2026-03-28 at 23:30 (inside the gap): the catch-up on 03-29 00:30 posts for 03-28', () => {
    const catchUp = run('2026-03-29T01:30:00Z', '23:30', 'America/Nuuk');
    expect(catchUp.localDate).toBe('2026-03-28');
    expect(catchUp.windowEnd).toEqual(new Date('2026-03-29T01:00:00Z')); // 00:00 on 03-29, -01:00
    expect(catchUp.dedupeKey).toBe('mattermost_post:acme:inst-1:scheduled:2026-03-28');
  });

  it('Lord Howe 2026-10-04 at 02:15 (inside the 30-minute gap)', () => {
    const catchUp = run('2026-10-03T16:15:00Z', '02:15', 'Australia/Lord_Howe'); // 03:15 +11
    expect(catchUp.localDate).toBe('2026-10-04');
    expect(catchUp.windowEnd).toEqual(new Date('2026-10-03T15:30:00Z')); // 02:30 +11
    // From 02:15 +10:30 the day before to 02:30 +11:00: 15 minutes short of 24 h.
    expect(hours(catchUp)).toBe(23.75);
  });

  it('derives everything from the nominal time, so a late or retried run agrees', () => {
    expect(digestDateFor(new Date('2026-06-10T05:29:59Z'), '07:30', 'Europe/Berlin')).toBe('2026-06-09');
    expect(digestDateFor(new Date('2026-06-10T05:30:00Z'), '07:30', 'Europe/Berlin')).toBe('2026-06-10');
    expect(run('2026-06-10T05:30:00Z', '07:30', 'Europe/Berlin')).toEqual(run('2026-06-10T05:30:00Z', '07:30', 'Europe/Berlin'));
  });

  it('rejects bad input', () => {
    expect(() => run('nope', '07:30', 'Europe/Berlin')).toThrow(RangeError);
    expect(() => run('2026-06-10T05:30:00Z', '25:00', 'Europe/Berlin')).toThrow(RangeError);
    expect(() => run('2026-06-10T05:30:00Z', '07:30', 'Nowhere/Land')).toThrow(RangeError);
  });
});
