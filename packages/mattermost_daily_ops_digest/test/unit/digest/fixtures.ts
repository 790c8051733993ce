import type { DigestStats } from '../../../digest-stats';

export function quietStats(overrides: Partial<DigestStats> = {}): DigestStats {
  return {
    tenantName: 'Acme Ops',
    windowStart: new Date('2026-03-28T06:30:00Z'),
    windowEnd: new Date('2026-03-29T05:30:00Z'),
    timezone: 'Europe/Berlin',
    installs: { requested: 0, completed: 0, failed: 0, upgrades: 0, uninstalls: 0 },
    directives: { requested: 0, completed: 0, failed: 0 },
    executions: { completed: 0, failed: 0 },
    failures: [],
    topErrors: [],
    cost: null,
    totalSignals: 0,
    ...overrides,
  };
}

export function busyStats(overrides: Partial<DigestStats> = {}): DigestStats {
  return quietStats({
    installs: { requested: 3, completed: 2, failed: 1, upgrades: 1, uninstalls: 0 },
    directives: { requested: 4, completed: 3, failed: 1 },
    executions: { completed: 12, failed: 2 },
    workflowRuns: { completed: 5, failed: 0 },
    failures: [
      {
        type: 'package.install.failed',
        subject: 'mattermost_daily_ops_digest',
        occurredAt: new Date('2026-03-29T04:12:00Z'),
        errorKind: 'validation',
        message: 'channel "ops" not found',
      },
      {
        type: 'agent.execution.failed',
        subject: 'digest_generator',
        occurredAt: new Date('2026-03-28T21:05:00Z'),
        errorKind: 'network',
        message: 'connect ECONNREFUSED 10.0.0.5:443',
      },
    ],
    topErrors: [
      { errorKind: 'network', count: 2 },
      { errorKind: 'validation', count: 1 },
    ],
    cost: { totalUsd: 1.234, executionsWithCost: 9 },
    totalSignals: 57,
    ...overrides,
  });
}

export function manyFailures(count: number, message: (i: number) => string): DigestStats['failures'] {
  return Array.from({ length: count }, (_, i) => ({
    type: 'agent.execution.failed',
    subject: `agent-${String(i).padStart(2, '0')}`,
    occurredAt: new Date(Date.parse('2026-03-29T05:00:00Z') - i * 60_000),
    errorKind: 'unknown',
    message: message(i),
  }));
}
