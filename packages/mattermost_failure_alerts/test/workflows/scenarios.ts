// Every branch of the failure alerts' failureAlertWorkflow (packages/mattermost_failure_alerts), on
// stubbed activities typed from the package's own factory. The plans are what planFailureAlert
// would answer from the database; the workflow only follows them.
import { ApplicationFailure } from '@temporalio/activity';
import type { FailureAlertActivities } from '../../activities';
import { failureAlertWorkflowId, type AlertPlan, type FailureAlertInput } from '../../alert-types';
import { failureAlertWorkflow } from '../../workflow';
import path from 'node:path';
import { activitySequence, callsOf, scenario as defineScenario, type Scenario, type ScenarioRun } from '../../../../test/workflows/support/scenario';

const HISTORIES = path.resolve(__dirname, 'histories');
/** This package's scenarios keep their histories beside them (packages/<slug>/test/workflows/histories). */
const scenario: typeof defineScenario = (s) => defineScenario({ historiesDir: HISTORIES, ...s });

const TENANT = '3b8d0f2a-6e4c-4b9d-8a1e-2f3a4b5c6d7e';
const INSTALLATION = '8f7e6d5c-4b3a-4291-a8b7-c6d5e4f3a2b1';
const EXECUTION = '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
const ref = { tenantId: TENANT, installationId: INSTALLATION };

interface AlertStubs {
  /** Answers of planFailureAlert in order; the last one repeats. */
  plans: AlertPlan[];
  /** openFailureAlert's answers in order (default: a window every time); the last one repeats. */
  opened?: Array<'window' | null>;
  post?: () => Promise<void>;
}

function alertActivities(stubs: AlertStubs): FailureAlertActivities {
  let plan = 0;
  let open = 0;
  return {
    planFailureAlert: async () => stubs.plans[Math.min(plan++, stubs.plans.length - 1)],
    openFailureAlert: async () => {
      const answers = stubs.opened ?? ['window'];
      const next = answers[Math.min(open++, answers.length - 1)];
      return next ? { executionId: EXECUTION, correlationId: `alert:${INSTALLATION}:2026-09-01T03:00:00.000Z`, total: 3 } : null;
    },
    postFailureAlert: async () => {
      await stubs.post?.();
      return { outcome: 'posted', attempts: 1 };
    },
    finishFailureAlert: async () => undefined,
  };
}

function start(branch: string, input: Partial<FailureAlertInput> = {}) {
  return {
    workflow: failureAlertWorkflow,
    // A short idle timeout keeps the recorded histories small (the default is an hour).
    args: [{ ...ref, pending: true, idleTimeoutMs: 60_000, ...input }] as [FailureAlertInput],
    workflowId: `${failureAlertWorkflowId(ref)}-${branch}`,
  };
}

const finishes = (run: ScenarioRun) => callsOf(run, 'finishFailureAlert').map((c) => c.args[0]);
const exhausted = (run: ScenarioRun) => run.sinkCalls.filter((c) => c.fn === 'activityRetriesExhausted').map((c) => c.input);

/** Every activity the run scheduled has an overall bound (scheduleToClose), as the digest's. */
function expectBounded(run: ScenarioRun) {
  const scheduled = (run.history.events ?? []).flatMap((e) => (e.activityTaskScheduledEventAttributes ? [e.activityTaskScheduledEventAttributes] : []));
  expect(scheduled.length).toBeGreaterThan(0);
  const bounds = new Map(scheduled.map((a) => [a.activityType?.name, Number(a.scheduleToCloseTimeout?.seconds ?? 0)]));
  expect([...bounds.entries()].filter(([, seconds]) => !(seconds > 0 && seconds <= 30 * 60))).toEqual([]);
}

/** Every branch; the recorder stores their histories beside this file. */
export const scenarios: Scenario[] = [
  scenario({
    workflow: 'failure-alert',
    branch: 'window-posted',
    start: start('window-posted'),
    // The window is open (wait), then due: one alert; then nothing waits, and after the idle
    // timeout a last look finds nothing either: the workflow ends.
    activities: () => alertActivities({ plans: [{ kind: 'wait', waitMs: 5 * 60_000, reason: 'window' }, { kind: 'due' }, { kind: 'idle' }] }),
    check(run) {
      expect(run.outcome).toEqual({ status: 'completed', result: { reason: 'idle', alerts: 1 } });
      expect(activitySequence(run)).toEqual([
        'planFailureAlert',
        'planFailureAlert',
        'openFailureAlert',
        'postFailureAlert',
        'finishFailureAlert',
        'planFailureAlert',
        'planFailureAlert',
      ]);
      expect(callsOf(run, 'openFailureAlert')[0].args[0]).toEqual({ ...ref, heldBy: null });
      expect(finishes(run)).toEqual([{ tenantId: TENANT, executionId: EXECUTION, status: 'succeeded' }]);
      expectBounded(run);
    },
  }),
  scenario({
    workflow: 'failure-alert',
    branch: 'held-by-quiet-hours',
    start: start('held-by-quiet-hours'),
    activities: () => alertActivities({ plans: [{ kind: 'wait', waitMs: 7 * 3_600_000, reason: 'quiet_hours' }, { kind: 'due' }, { kind: 'idle' }] }),
    check(run) {
      expect(run.outcome).toEqual({ status: 'completed', result: { reason: 'idle', alerts: 1 } });
      // The window it opens says why it was held (the alert's text shows it).
      expect(callsOf(run, 'openFailureAlert')[0].args[0]).toEqual({ ...ref, heldBy: 'quiet_hours' });
    },
  }),
  scenario({
    workflow: 'failure-alert',
    branch: 'held-by-hourly-limit',
    start: start('held-by-hourly-limit'),
    activities: () =>
      alertActivities({
        plans: [{ kind: 'due' }, { kind: 'wait', waitMs: 40 * 60_000, reason: 'hourly_limit' }, { kind: 'due' }, { kind: 'idle' }],
      }),
    check(run) {
      expect(run.outcome).toEqual({ status: 'completed', result: { reason: 'idle', alerts: 2 } });
      expect(callsOf(run, 'openFailureAlert').map((c) => (c.args[0] as { heldBy: string | null }).heldBy)).toEqual([null, 'hourly_limit']);
    },
  }),
  scenario({
    workflow: 'failure-alert',
    branch: 'gone',
    start: start('gone'),
    activities: () => alertActivities({ plans: [{ kind: 'gone', reason: 'disabled' }] }),
    check(run) {
      expect(run.outcome).toEqual({ status: 'completed', result: { reason: 'gone', alerts: 0 } });
      expect(activitySequence(run)).toEqual(['planFailureAlert']);
    },
  }),
  scenario({
    workflow: 'failure-alert',
    branch: 'nothing-to-cut-yet',
    start: start('nothing-to-cut-yet'),
    // Due by the plan, but nothing was old enough to cut (the commit grace): plan again a second later.
    activities: () => alertActivities({ plans: [{ kind: 'due' }, { kind: 'due' }, { kind: 'idle' }], opened: [null, 'window'] }),
    check(run) {
      expect(run.outcome).toEqual({ status: 'completed', result: { reason: 'idle', alerts: 1 } });
      expect(callsOf(run, 'openFailureAlert')).toHaveLength(2);
      expect(callsOf(run, 'postFailureAlert')).toHaveLength(1);
    },
  }),
  scenario({
    workflow: 'failure-alert',
    branch: 'post-failed-goes-on',
    start: start('post-failed-goes-on'),
    activities: () =>
      alertActivities({
        plans: [{ kind: 'due' }, { kind: 'idle' }],
        post: async () => {
          throw ApplicationFailure.nonRetryable('Mattermost may or may not have posted this alert.', 'unknown');
        },
      }),
    check(run) {
      // Recorded failed; the workflow goes on (a failed alert's failures go into the next one).
      expect(run.outcome).toEqual({ status: 'completed', result: { reason: 'idle', alerts: 0 } });
      expect(finishes(run)).toEqual([
        { tenantId: TENANT, executionId: EXECUTION, status: 'failed', errorKind: 'unknown', message: 'Mattermost may or may not have posted this alert.' },
      ]);
    },
  }),
  scenario({
    workflow: 'failure-alert',
    branch: 'post-refused-auth',
    start: start('post-refused-auth'),
    activities: () =>
      alertActivities({
        plans: [{ kind: 'due' }],
        post: async () => {
          throw ApplicationFailure.nonRetryable('Mattermost refused the token.', 'auth');
        },
      }),
    check(run) {
      expect(run.outcome).toEqual({ status: 'failed', type: 'auth', message: 'Mattermost refused the token.', nonRetryable: true });
      expect(finishes(run)).toMatchObject([{ status: 'failed', errorKind: 'auth' }]);
    },
  }),
  scenario({
    workflow: 'failure-alert',
    branch: 'post-retries-exhausted',
    start: start('post-retries-exhausted'),
    activities: () =>
      alertActivities({
        plans: [{ kind: 'due' }, { kind: 'idle' }],
        post: async () => {
          throw ApplicationFailure.retryable('Mattermost answered 503.', 'network');
        },
      }),
    check(run) {
      expect(run.outcome).toEqual({ status: 'completed', result: { reason: 'idle', alerts: 0 } });
      expect(callsOf(run, 'postFailureAlert')).toHaveLength(6);
      expect(exhausted(run)).toEqual([{ activityType: 'postFailureAlert', retryState: 'MAXIMUM_ATTEMPTS_REACHED' }]);
      expect(finishes(run)).toMatchObject([{ status: 'failed', errorKind: 'network', message: 'Mattermost answered 503.' }]);
    },
  }),
  scenario({
    workflow: 'failure-alert',
    branch: 'planning-bound-exceeded',
    start: start('planning-bound-exceeded'),
    // The database is unreachable for longer than the bookkeeping bound: the run fails visibly
    // (the next failure's notice starts a new one; the failures wait in the database).
    activities: () => ({
      ...alertActivities({ plans: [{ kind: 'idle' }] }),
      planFailureAlert: async () => {
        throw ApplicationFailure.retryable('connection refused', 'network');
      },
    }),
    check(run) {
      expect(run.outcome).toMatchObject({ status: 'failed' });
      expect(exhausted(run)).toEqual([{ activityType: 'planFailureAlert', retryState: 'TIMEOUT' }]);
      // 30 minutes of retries at most 30 s apart.
      expect(callsOf(run, 'planFailureAlert').length).toBeGreaterThan(50);
      expectBounded(run);
    },
  }),
  scenario({
    workflow: 'failure-alert',
    branch: 'continued-as-new',
    start: start('continued-as-new', { alertsPerRun: 2 }),
    // Two alerts fill the run; the next run starts with the notice pending and posts the third.
    activities: () => alertActivities({ plans: [{ kind: 'due' }, { kind: 'due' }, { kind: 'due' }, { kind: 'idle' }] }),
    check(run) {
      expect(run.outcome).toEqual({ status: 'completed', result: { reason: 'idle', alerts: 1 } });
      expect(callsOf(run, 'postFailureAlert')).toHaveLength(3);
      const last = run.history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes;
      expect(last).toBeTruthy();
      expect(last?.workflowType?.name).toBe('failureAlertWorkflow');
    },
  }),
];
