// Which of Temporal's next action times the digest announces: the firings that will post under
// the digest rules (scheduled-firing.ts), as its schedule hook gives them to the status page.
import type { Tx } from '../../../../../lib/db/with-tenant';
import { nextRunsDisplay } from '../../../../../lib/schedule/next-runs-display';
import { simulateCalendarFirings } from '../../../../../lib/schedule/simulate-calendar';
import { digestSchedule } from '../../../schedule/daily-schedule';
import { digestScheduleSpec } from '../../../schedule/digest-schedule-spec';
import { firingsThatPost } from '../../../schedule/scheduled-firing';

const rules = (scheduleTime: string, timezone: string) => ({ scheduleTime, timezone, lastReportedEnd: null, effectiveSince: null });
const iso = (ds: Date[]) => ds.map((d) => d.toISOString());

/** A transaction whose only answer is the last reported scheduled digest's window end. */
const history = (windowEnd: Date | null) => ({ $queryRawUnsafe: async () => (windowEnd ? [{ windowEnd }] : []) }) as unknown as Tx;

describe('the digest announces the firings that will post', () => {
  it('leaves out firings that will end as skipped (the catch-up entry on ordinary days)', () => {
    // What Temporal would list for 02:30 Europe/Berlin around the spring-forward day.
    const spec = digestScheduleSpec({ scheduleTime: '02:30', timezone: 'Europe/Berlin' });
    const times = simulateCalendarFirings(spec, '2026-03-28', '2026-03-30').map((f) => f.at);
    expect(times).toHaveLength(5); // 02:30 is missing on 03-29
    expect(nextRunsDisplay(firingsThatPost(times, rules('02:30', 'Europe/Berlin')), 'Europe/Berlin')).toEqual([
      { at: '2026-03-28T01:30:00.000Z', local: '2026-03-28 02:30', utcOffset: '+01:00' },
      { at: '2026-03-29T01:30:00.000Z', local: '2026-03-29 03:30', utcOffset: '+02:00' },
      { at: '2026-03-30T00:30:00.000Z', local: '2026-03-30 02:30', utcOffset: '+02:00' },
    ]);
  });

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

  it('the schedule hook applies them with the installation history: a date already reported is not announced', async () => {
    const times = simulateCalendarFirings(digestScheduleSpec({ scheduleTime: '07:30', timezone: 'UTC' }), '2026-06-01', '2026-06-02').map((f) => f.at);
    const input = { installationId: 'i', nextActionTimes: times, scheduleTime: '07:30', timezone: 'UTC', effectiveSince: null };
    expect(iso(await digestSchedule.postingFirings!(history(null), input))).toEqual(['2026-06-01T07:30:00.000Z', '2026-06-02T07:30:00.000Z']);
    // 06-01 already posted (say by a firing the list still shows): only 06-02 will post.
    expect(iso(await digestSchedule.postingFirings!(history(new Date('2026-06-01T07:30:00Z')), input))).toEqual(['2026-06-02T07:30:00.000Z']);
    // Not a Schedule the hook made (no calendar time): nothing it can announce.
    expect(await digestSchedule.postingFirings!(history(null), { ...input, scheduleTime: null })).toEqual([]);
  });
});
