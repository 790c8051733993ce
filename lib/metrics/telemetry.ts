// The product's telemetry events (`fleetprompt.<family>.<event>`) as Prometheus metrics. Prometheus names cannot
// contain dots, so `fleetprompt.<family>.<event>` becomes the counter `fleetprompt_<family>_total`
// with the event as a label, plus a latency histogram `fleetprompt_<family>_duration_seconds`:
//
//   fleetprompt.package.install.{requested,started,completed,failed}
//       → fleetprompt_package_install_total{event}            (from the package.install.* signals)
//       → fleetprompt_package_install_duration_seconds{outcome} (install directive workflow, start → end)
//   fleetprompt.directive.{requested,started,completed,failed}
//       → fleetprompt_directive_total{type,event}             (from the directive.* signals)
//       → fleetprompt_directive_duration_seconds{type,outcome}
//   fleetprompt.mattermost.post.{posted,already_posted,failed}
//       → fleetprompt_mattermost_post_total{outcome,error_kind} (each posting attempt)
//       → fleetprompt_mattermost_post_duration_seconds{outcome}
//   fleetprompt.digest.run.{succeeded,skipped,failed}
//       → fleetprompt_digest_run_total{trigger,outcome}       (digest run workflow, start → end)
//       → fleetprompt_digest_run_duration_seconds{trigger,outcome}
//   any package's run ended (the workflow types it declares: PackageModule.runWorkflowTypes)
//       → fleetprompt_package_run_total{package,trigger,outcome}
//       → fleetprompt_package_run_duration_seconds{package,trigger,outcome}
//   an activity that gave up (its retry attempts or its schedule-to-close bound exhausted)
//       → fleetprompt_activity_retries_exhausted_total{workflow_type,activity_type,retry_state}
//         (alert on any increase: the run ended failed, or the record it was writing was not written)
//
// Labels are small closed sets: never a tenant, installation or correlation id (cardinality; the
// logs and the timeline carry those).
import { Counter, Histogram } from 'prom-client';
import { parseWorkflowId } from '../temporal/contract/ids';
import { WORKFLOW_TYPES as WORKFLOW_TYPES_BY_KEY } from '../temporal/contract/workflows';
import { registry } from './registry';

const DIRECTIVE_TYPES = new Set(['package.install', 'package.uninstall', 'package.upgrade']);
const ERROR_KINDS = new Set(['auth', 'rate_limit', 'network', 'validation', 'unknown', 'in_flight']);
const TRIGGERS = new Set(['scheduled', 'manual', 'retry']);
const LIFECYCLE = new Set(['requested', 'started', 'completed', 'failed']);

const bounded = (value: unknown, allowed: Set<string>, other = 'other') => (typeof value === 'string' && allowed.has(value) ? value : other);

/** Seconds; from sub-second API work to multi-minute runs with retries. */
const DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900];

export const packageInstallTotal = new Counter({
  name: 'fleetprompt_package_install_total',
  help: 'fleetprompt.package.install.* events: package.install signals written, by event.',
  labelNames: ['event'] as const,
  registers: [registry],
});
export const packageInstallDuration = new Histogram({
  name: 'fleetprompt_package_install_duration_seconds',
  help: 'fleetprompt.package.install latency: install directive workflow start to end, by outcome.',
  labelNames: ['outcome'] as const,
  buckets: DURATION_BUCKETS,
  registers: [registry],
});
export const directiveTotal = new Counter({
  name: 'fleetprompt_directive_total',
  help: 'fleetprompt.directive.* events: directive signals written, by directive type and event.',
  labelNames: ['type', 'event'] as const,
  registers: [registry],
});
export const directiveDuration = new Histogram({
  name: 'fleetprompt_directive_duration_seconds',
  help: 'fleetprompt.directive latency: directive workflow start to end, by type and outcome.',
  labelNames: ['type', 'outcome'] as const,
  buckets: DURATION_BUCKETS,
  registers: [registry],
});
export const mattermostPostTotal = new Counter({
  name: 'fleetprompt_mattermost_post_total',
  help: 'fleetprompt.mattermost.post.* events: posting attempts (every package), by outcome and error kind.',
  labelNames: ['outcome', 'error_kind'] as const,
  registers: [registry],
});
export const mattermostPostDuration = new Histogram({
  name: 'fleetprompt_mattermost_post_duration_seconds',
  help: 'fleetprompt.mattermost.post latency: one posting attempt (ledger claim, post, record), by outcome.',
  labelNames: ['outcome'] as const,
  buckets: DURATION_BUCKETS,
  registers: [registry],
});
export const digestRunTotal = new Counter({
  name: 'fleetprompt_digest_run_total',
  help: 'fleetprompt.digest.run.* events: finished digest runs, by trigger and outcome.',
  labelNames: ['trigger', 'outcome'] as const,
  registers: [registry],
});
export const digestRunDuration = new Histogram({
  name: 'fleetprompt_digest_run_duration_seconds',
  help: 'fleetprompt.digest.run latency: digest run workflow start to end, by trigger and outcome.',
  labelNames: ['trigger', 'outcome'] as const,
  buckets: DURATION_BUCKETS,
  registers: [registry],
});
export const packageRunTotal = new Counter({
  name: 'fleetprompt_package_run_total',
  help: "Finished package runs (any package's declared run workflow), by package slug, trigger and outcome.",
  labelNames: ['package', 'trigger', 'outcome'] as const,
  registers: [registry],
});
export const packageRunDuration = new Histogram({
  name: 'fleetprompt_package_run_duration_seconds',
  help: 'Package run latency: its run workflow start to end (retries included), by package slug, trigger and outcome.',
  labelNames: ['package', 'trigger', 'outcome'] as const,
  buckets: DURATION_BUCKETS,
  registers: [registry],
});
export const signalRetentionDeletedTotal = new Counter({
  name: 'fleetprompt_signal_retention_deleted_total',
  help: 'Signals deleted by the retention purge.',
  registers: [registry],
});
export const signalPurgeBatchDuration = new Histogram({
  name: 'fleetprompt_signal_purge_batch_duration_seconds',
  help: 'One retention purge batch (one short transaction): the longest row locks the purge holds.',
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});

/** Lifecycle signals that are also telemetry events (fleetprompt.package.install.*, fleetprompt.directive.*). */
export function isTelemetryEvent(type: string): boolean {
  return type.startsWith('package.install.') || type.startsWith('directive.');
}

/** Counts the telemetry events carried by newly written signals (duplicates are not passed in). */
export function recordSignalEvents(signals: ReadonlyArray<{ type: string; payload?: Record<string, unknown> | null }>): void {
  for (const s of signals) {
    const parts = s.type.split('.');
    if (s.type.startsWith('package.install.') && parts.length === 3 && LIFECYCLE.has(parts[2])) {
      packageInstallTotal.inc({ event: parts[2] });
    } else if (parts[0] === 'directive' && parts.length === 2 && LIFECYCLE.has(parts[1])) {
      directiveTotal.inc({ type: bounded(s.payload?.directive_type, DIRECTIVE_TYPES), event: parts[1] });
    }
  }
}

export type WorkflowOutcome = { outcome: string; errorKind?: string };

/** A directive workflow ended (directive type from its business-keyed workflow id). */
export function recordDirectiveFinished(input: { workflowId: string; outcome: 'completed' | 'failed'; seconds: number }): void {
  const parsed = parseWorkflowId(input.workflowId);
  const type = parsed?.kind === 'directive' ? parsed.directiveType : 'other';
  directiveDuration.observe({ type, outcome: input.outcome }, input.seconds);
  if (type === 'package.install') packageInstallDuration.observe({ outcome: input.outcome }, input.seconds);
}

export function recordDigestRunFinished(input: { trigger: unknown; outcome: string; seconds: number }): void {
  const labels = { trigger: bounded(input.trigger, TRIGGERS), outcome: bounded(input.outcome, new Set(['succeeded', 'skipped', 'failed'])) };
  digestRunTotal.inc(labels);
  digestRunDuration.observe(labels, input.seconds);
}

/** A package's run ended; `packageSlug` comes from the worker's registry (a closed set), never from the run's input. */
export function recordPackageRunFinished(input: { packageSlug: string; trigger: unknown; outcome: string; seconds: number }): void {
  const labels = {
    package: input.packageSlug,
    trigger: bounded(input.trigger, TRIGGERS),
    outcome: bounded(input.outcome, new Set(['succeeded', 'skipped', 'failed'])),
  };
  packageRunTotal.inc(labels);
  packageRunDuration.observe(labels, input.seconds);
}

export function recordMattermostPost(input: { outcome: 'posted' | 'already_posted' | 'failed'; errorKind?: string; seconds: number }): void {
  mattermostPostTotal.inc({ outcome: input.outcome, error_kind: input.outcome === 'failed' ? bounded(input.errorKind, ERROR_KINDS, 'unknown') : 'none' });
  mattermostPostDuration.observe({ outcome: input.outcome }, input.seconds);
}

const WORKFLOW_TYPES = new Set(Object.values(WORKFLOW_TYPES_BY_KEY));
const RETRY_STATES = new Set(['MAXIMUM_ATTEMPTS_REACHED', 'TIMEOUT']);
/** Activity names are a closed set (the worker registers them), so they are a safe label. */
const ACTIVITY_TYPE = /^[A-Za-z][A-Za-z0-9]{0,63}$/;

export const activityRetriesExhaustedTotal = new Counter({
  name: 'fleetprompt_activity_retries_exhausted_total',
  help: 'Activities that gave up (retry attempts or the schedule-to-close bound exhausted), by workflow type, activity type and retry state. Alert on any increase.',
  labelNames: ['workflow_type', 'activity_type', 'retry_state'] as const,
  registers: [registry],
});

export function recordActivityRetriesExhausted(input: { workflowType: string; activityType: string; retryState: string }): void {
  activityRetriesExhaustedTotal.inc({
    workflow_type: bounded(input.workflowType, WORKFLOW_TYPES),
    activity_type: ACTIVITY_TYPE.test(input.activityType) ? input.activityType : 'other',
    retry_state: bounded(input.retryState, RETRY_STATES),
  });
}
