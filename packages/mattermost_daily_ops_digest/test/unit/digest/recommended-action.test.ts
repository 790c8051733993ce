import { recommendedAction } from '../../../recommended-action';
import { busyStats, quietStats } from './fixtures';

describe('recommendedAction', () => {
  it('says no action is needed when nothing went wrong', () => {
    expect(recommendedAction(quietStats())).toBe('No action needed.');
    expect(recommendedAction(quietStats({ installs: { requested: 1, completed: 1, failed: 0, upgrades: 0, uninstalls: 0 } }))).toBe('No action needed.');
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
    expect(recommendedAction(base)).toBe("Check the installation's settings (channel name, options): 1 validation error in installs.");
    expect(recommendedAction({ ...base, topErrors: [{ errorKind: 'rate_limit', count: 2 }], failures: [] })).toMatch(/^Rate limits were hit 2 times/);
    expect(recommendedAction({ ...base, topErrors: [{ errorKind: 'network', count: 2 }], failures: [] })).toBe(
      'Check that the failing integrations can reach their servers: 2 network errors.',
    );
    expect(recommendedAction({ ...base, topErrors: [], failures: [] })).toBe('Review the 1 failed directive in the admin view.');
    expect(recommendedAction({ ...base, topErrors: [], failures: [], directives: { requested: 1, completed: 1, failed: 0 } })).toBe(
      'Open the logs of the 2 failed runs in the admin view.',
    );
  });

  it("attributes an agent's validation error to the agent, not the installation's settings", () => {
    const stats = quietStats({
      executions: { completed: 3, failed: 2 },
      failures: [
        { type: 'agent.execution.failed', subject: 'invoice-parser', occurredAt: new Date(0), errorKind: 'validation', message: 'field "amount" missing' },
        { type: 'agent.execution.failed', subject: 'invoice-parser', occurredAt: new Date(0), errorKind: 'validation', message: 'field "amount" missing' },
      ],
      topErrors: [{ errorKind: 'validation', count: 2 }],
      errorSources: [{ errorKind: 'validation', source: 'agent', count: 2 }],
    });
    const action = recommendedAction(stats);
    expect(action).toBe(
      "Check the input the failing agents were given: 2 validation errors in agent executions (e.g. invoice-parser). The installation's settings are not the cause.",
    );
    expect(action).not.toMatch(/channel name/);
  });

  it('names every source when errors of one kind come from several', () => {
    const stats = quietStats({
      installs: { requested: 1, completed: 1, failed: 0, upgrades: 0, uninstalls: 0 },
      directives: { requested: 1, completed: 0, failed: 1 },
      executions: { completed: 0, failed: 3 },
      topErrors: [{ errorKind: 'validation', count: 4 }],
      errorSources: [
        { errorKind: 'validation', source: 'agent', count: 3 },
        { errorKind: 'validation', source: 'directive', count: 1 },
      ],
    });
    expect(recommendedAction(stats)).toBe("Check the installation's settings (channel name, options): 4 validation errors in agent executions and directives.");
    const network = quietStats({
      executions: { completed: 0, failed: 2 },
      topErrors: [{ errorKind: 'network', count: 2 }],
      errorSources: [{ errorKind: 'network', source: 'agent', count: 2 }],
    });
    expect(recommendedAction(network)).toBe('Check that the failing agents can reach their servers: 2 network errors in agent executions.');
  });

  it('never promises a retry: the window has ended', () => {
    const stats = quietStats({
      executions: { completed: 0, failed: 2 },
      topErrors: [{ errorKind: 'rate_limit', count: 2 }],
      errorSources: [{ errorKind: 'rate_limit', source: 'agent', count: 2 }],
    });
    const action = recommendedAction(stats);
    expect(action).toMatch(/^Rate limits were hit 2 times in agent executions\./);
    expect(action).not.toMatch(/retr(y|ies) (on|by) (its|their) own|will be retried|retries by itself/i);
  });

  it('leaves an untrusted subject out of the advice', () => {
    const stats = quietStats({
      executions: { completed: 0, failed: 1 },
      failures: [{ type: 'agent.execution.failed', subject: '@channel [x](http://e.vil)', occurredAt: new Date(0), errorKind: 'validation', message: null }],
      topErrors: [{ errorKind: 'validation', count: 1 }],
    });
    expect(recommendedAction(stats)).toBe(
      "Check the input the failing agents were given: 1 validation error in agent executions. The installation's settings are not the cause.",
    );
  });
});
