// The example digest on the package page: a made-up but typical day (a failed install, agents
// failing validation, a rate limit) rendered by the real formatter with the default settings, so
// a buyer sees exactly what the package posts.
import { DEFAULT_DIGEST_CONFIG } from './config';
import type { DigestStats } from './digest-stats';
import { renderDigest, type RenderedDigest } from './render-digest';

export function exampleDigestStats(now: Date): DigestStats {
  const end = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000);
  const at = (hoursAgo: number) => new Date(end.getTime() - hoursAgo * 3_600_000);
  return {
    tenantName: 'Example Ops',
    windowStart: at(24),
    windowEnd: end,
    timezone: 'UTC',
    installs: { requested: 3, completed: 2, failed: 1, upgrades: 1, uninstalls: 0 },
    directives: { requested: 5, completed: 4, failed: 1 },
    executions: { completed: 182, failed: 6 },
    workflowRuns: { completed: 40, failed: 1 },
    failures: [
      {
        type: 'package.install.failed',
        subject: 'invoice_triage',
        occurredAt: at(2),
        errorKind: 'validation',
        message: 'channel "finance-ops" not found in team "acme"',
      },
      { type: 'agent.execution.failed', subject: 'invoice-parser', occurredAt: at(3), errorKind: 'validation', message: 'field "amount" is missing' },
      {
        type: 'agent.execution.failed',
        subject: 'invoice-parser',
        occurredAt: at(5),
        errorKind: 'validation',
        message: 'field "currency" is not a currency code',
      },
      {
        type: 'agent.execution.failed',
        subject: 'ticket-summariser',
        occurredAt: at(9),
        errorKind: 'rate_limit',
        message: 'upstream answered 429 Too Many Requests',
      },
      { type: 'workflow.run.failed', subject: 'nightly-sync', occurredAt: at(14), errorKind: 'network', message: 'connect ETIMEDOUT' },
    ],
    failureTotal: 9,
    topErrors: [
      { errorKind: 'validation', count: 5 },
      { errorKind: 'rate_limit', count: 3 },
      { errorKind: 'network', count: 1 },
    ],
    errorSources: [
      { errorKind: 'validation', source: 'agent', count: 4 },
      { errorKind: 'validation', source: 'package', count: 1 },
      { errorKind: 'rate_limit', source: 'agent', count: 3 },
      { errorKind: 'network', source: 'workflow', count: 1 },
    ],
    cost: { totalUsd: 3.4172, executionsWithCost: 170 },
    totalSignals: 731,
  };
}

export function exampleDigest(now = new Date()): RenderedDigest {
  return renderDigest(exampleDigestStats(now), { ...DEFAULT_DIGEST_CONFIG, post_as_username: 'fleetprompt' }, {});
}
