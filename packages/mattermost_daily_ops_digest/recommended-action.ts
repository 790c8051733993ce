// The one "what should I do now?" line of a digest, chosen by fixed precedence from the stats:
// the problem that blocks the most comes first (credentials before installs before config …).
// Every error is attributed to where it came from — an agent's validation error is about that
// agent's input, not the installation's channel settings — and, because a digest reports on a
// window that has ended, the advice never promises a retry that may not happen.
import type { DigestStats } from './digest-stats';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Where failures come from: the signal type's first segment. */
type Source = 'package' | 'directive' | 'agent' | 'workflow' | 'mattermost' | 'other';
const SOURCE_WORDS: Record<Source, string> = {
  package: 'installs',
  directive: 'directives',
  agent: 'agent executions',
  workflow: 'workflow runs',
  mattermost: 'Mattermost posts',
  other: 'other steps',
};

function sourceOf(typeOrSource: string): Source {
  const first = typeOrSource.split('.')[0];
  return first === 'package' || first === 'directive' || first === 'agent' || first === 'workflow' || first === 'mattermost' ? first : 'other';
}

/** Counts of one error kind per source: from errorSources when collected, else from the failure sample. */
function bySource(stats: DigestStats, kind: string): Map<Source, number> {
  const out = new Map<Source, number>();
  const add = (source: Source, n: number) => out.set(source, (out.get(source) ?? 0) + n);
  if (stats.errorSources) {
    for (const e of stats.errorSources) if (e.errorKind === kind && e.count > 0) add(sourceOf(e.source), e.count);
  } else {
    for (const f of stats.failures) if (f.errorKind === kind) add(sourceOf(f.type), 1);
  }
  return out;
}

function errorCount(stats: DigestStats, kind: string, sources: Map<Source, number>): number {
  const top = stats.topErrors.find((e) => e.errorKind === kind);
  const fromSources = [...sources.values()].reduce((a, b) => a + b, 0);
  return top ? Math.max(top.count, fromSources) : fromSources;
}

/** "in agent executions" / "in installs and agent executions" — or nothing when unknown. */
function where(sources: Map<Source, number>): string {
  const names = [...sources.keys()].map((s) => SOURCE_WORDS[s]);
  if (!names.length) return '';
  return ` in ${names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`}`;
}

/** Subjects (agent keys, package slugs) of the sampled failures of this kind and source, for "e.g." */
function examples(stats: DigestStats, kind: string, source: Source): string {
  const subjects = [...new Set(stats.failures.filter((f) => f.errorKind === kind && sourceOf(f.type) === source && f.subject).map((f) => f.subject as string))];
  if (!subjects.length) return '';
  // Plain words only: a subject is untrusted text, so anything but a simple key is left out.
  const safe = subjects.filter((s) => /^[A-Za-z0-9._:-]{1,60}$/.test(s)).slice(0, 2);
  return safe.length ? ` (e.g. ${safe.join(', ')})` : '';
}

export function recommendedAction(stats: DigestStats): string {
  const authSources = bySource(stats, 'auth');
  const auth = errorCount(stats, 'auth', authSources);
  if (auth > 0) {
    const mattermost = authSources.has('mattermost') || stats.failures.some((f) => f.errorKind === 'auth' && f.type.startsWith('mattermost.'));
    return mattermost
      ? `Reconnect Mattermost on the installation page: ${plural(auth, 'authentication error')}.`
      : `Reconnect the failing integration's credentials: ${plural(auth, 'authentication error')}${where(authSources)}.`;
  }
  if (stats.installs.failed > 0) {
    return `Retry the failed install${stats.installs.failed === 1 ? '' : 's'} from the installation page (${stats.installs.failed} failed).`;
  }
  const validationSources = bySource(stats, 'validation');
  const validation = errorCount(stats, 'validation', validationSources);
  if (validation > 0) {
    const settings = validationSources.has('package') || validationSources.has('mattermost') || validationSources.has('directive');
    const agents = validationSources.get('agent') ?? 0;
    const runs = validationSources.get('workflow') ?? 0;
    if (!settings && agents > 0 && runs === 0) {
      return `Check the input the failing agents were given: ${plural(agents, 'validation error')} in agent executions${examples(stats, 'validation', 'agent')}. The installation's settings are not the cause.`;
    }
    if (!settings && runs > 0 && agents === 0) {
      return `Check the input of the failing workflow runs: ${plural(runs, 'validation error')} in workflow runs${examples(stats, 'validation', 'workflow')}.`;
    }
    if (settings || validationSources.size === 0) {
      return `Check the installation's settings (channel name, options): ${plural(validation, 'validation error')}${where(validationSources)}.`;
    }
    return `Check the input of the failing steps: ${plural(validation, 'validation error')}${where(validationSources)}.`;
  }
  const rateSources = bySource(stats, 'rate_limit');
  const rateLimit = errorCount(stats, 'rate_limit', rateSources);
  if (rateLimit > 0) {
    // The window has ended: say what happened and what to check, not that it will sort itself out.
    return `Rate limits were hit ${plural(rateLimit, 'time')}${where(rateSources)}. Check the failed runs in the admin view; if it keeps happening, lower the request rate or raise the provider's limit.`;
  }
  const networkSources = bySource(stats, 'network');
  const network = errorCount(stats, 'network', networkSources);
  if (network > 0) {
    return networkSources.size === 1 && networkSources.has('agent')
      ? `Check that the failing agents can reach their servers: ${plural(network, 'network error')} in agent executions${examples(stats, 'network', 'agent')}.`
      : `Check that the failing integrations can reach their servers: ${plural(network, 'network error')}${where(networkSources)}.`;
  }
  if (stats.directives.failed > 0) {
    return `Review the ${plural(stats.directives.failed, 'failed directive')} in the admin view.`;
  }
  const runs = stats.executions.failed + (stats.workflowRuns?.failed ?? 0);
  if (runs > 0) return `Open the logs of the ${plural(runs, 'failed run')} in the admin view.`;
  if (stats.failures.length > 0 || stats.topErrors.length > 0 || (stats.failureTotal ?? 0) > 0) return 'Review the failures above in the admin view.';
  return 'No action needed.';
}
