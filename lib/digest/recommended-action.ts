// The one "what should I do now?" line of a digest, chosen by fixed precedence from the stats:
// the problem that blocks the most comes first (credentials before installs before config …).
import type { DigestStats } from './digest-stats';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function errorCount(stats: DigestStats, kind: string): number {
  const top = stats.topErrors.find((e) => e.errorKind === kind);
  return top ? top.count : stats.failures.filter((f) => f.errorKind === kind).length;
}

export function recommendedAction(stats: DigestStats): string {
  const auth = errorCount(stats, 'auth');
  if (auth > 0) {
    const mattermost = stats.failures.some((f) => f.errorKind === 'auth' && f.type.startsWith('mattermost.'));
    return mattermost
      ? `Reconnect Mattermost on the installation page: ${plural(auth, 'authentication error')}.`
      : `Reconnect the failing integration's credentials: ${plural(auth, 'authentication error')}.`;
  }
  if (stats.installs.failed > 0) {
    return `Retry the failed install${stats.installs.failed === 1 ? '' : 's'} from the installation page (${stats.installs.failed} failed).`;
  }
  const validation = errorCount(stats, 'validation');
  if (validation > 0) {
    return `Check the installation's settings (channel name, options): ${plural(validation, 'validation error')}.`;
  }
  const rateLimit = errorCount(stats, 'rate_limit');
  if (rateLimit > 0) {
    return `Rate limits were hit ${plural(rateLimit, 'time')}; affected runs retry on their own. If it persists, lower the request rate or raise the provider's limit.`;
  }
  const network = errorCount(stats, 'network');
  if (network > 0) {
    return `Check that the failing integrations can reach their servers: ${plural(network, 'network error')}.`;
  }
  if (stats.directives.failed > 0) {
    return `Review the ${plural(stats.directives.failed, 'failed directive')} in the admin view.`;
  }
  const runs = stats.executions.failed + (stats.workflowRuns?.failed ?? 0);
  if (runs > 0) return `Open the logs of the ${plural(runs, 'failed run')} in the admin view.`;
  if (stats.failures.length > 0 || stats.topErrors.length > 0) return 'Review the failures above in the admin view.';
  return 'No action needed.';
}
