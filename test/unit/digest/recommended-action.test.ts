import { recommendedAction } from '../../../lib/digest/recommended-action';
import { busyStats, quietStats } from './fixtures';

describe('recommendedAction', () => {
  it('says no action is needed when nothing went wrong', () => {
    expect(recommendedAction(quietStats())).toBe('No action needed.');
    expect(recommendedAction(quietStats({ installs: { requested: 1, completed: 1, failed: 0, upgrades: 0, uninstalls: 0 } }))).toBe(
      'No action needed.',
    );
  });

  it('puts auth errors first: reconnect', () => {
    const stats = busyStats({
      topErrors: [{ errorKind: 'auth', count: 3 }],
      failures: [{ type: 'mattermost.message.failed', subject: null, occurredAt: new Date(0), errorKind: 'auth', message: null }],
    });
    expect(recommendedAction(stats)).toBe('Reconnect Mattermost on the installation page: 3 authentication errors.');
  });

  it('then failed installs: retry', () => {
    expect(recommendedAction(busyStats())).toBe('Retry the failed install from the installation page (1 failed).');
  });

  it('then validation, rate limits, network, directives and runs, in that order', () => {
    const base = busyStats({ installs: { requested: 1, completed: 1, failed: 0, upgrades: 0, uninstalls: 0 } });
    expect(recommendedAction(base)).toMatch(/^Check the installation's settings .*1 validation error\.$/);
    expect(recommendedAction({ ...base, topErrors: [{ errorKind: 'rate_limit', count: 2 }], failures: [] })).toMatch(
      /^Rate limits were hit 2 times/,
    );
    expect(recommendedAction({ ...base, topErrors: [{ errorKind: 'network', count: 2 }], failures: [] })).toBe(
      'Check that the failing integrations can reach their servers: 2 network errors.',
    );
    expect(recommendedAction({ ...base, topErrors: [], failures: [] })).toBe('Review the 1 failed directive in the admin view.');
    expect(
      recommendedAction({ ...base, topErrors: [], failures: [], directives: { requested: 1, completed: 1, failed: 0 } }),
    ).toBe('Open the logs of the 2 failed runs in the admin view.');
  });
});
