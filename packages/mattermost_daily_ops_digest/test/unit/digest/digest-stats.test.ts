import { hasActivity, ZDigestStats } from '../../../digest-stats';
import { busyStats, quietStats } from './fixtures';

describe('DigestStats', () => {
  it('parses back from JSON (dates as strings after a Temporal payload round trip)', () => {
    const stats = busyStats();
    const parsed = ZDigestStats.parse(JSON.parse(JSON.stringify(stats)));
    expect(parsed).toEqual(stats);
    expect(parsed.failures[0].occurredAt).toBeInstanceOf(Date);
  });

  it('rejects negative counts', () => {
    const bad = JSON.parse(JSON.stringify(busyStats()));
    bad.installs.failed = -1;
    expect(ZDigestStats.safeParse(bad).success).toBe(false);
  });

  it('knows when nothing happened', () => {
    expect(hasActivity(quietStats({ totalSignals: 5 }))).toBe(false);
    expect(hasActivity(busyStats())).toBe(true);
    expect(hasActivity(quietStats({ workflowRuns: { completed: 1, failed: 0 } }))).toBe(true);
  });
});
