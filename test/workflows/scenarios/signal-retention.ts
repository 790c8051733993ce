// Every branch of signalRetentionWorkflow, on stubbed activities.
import { ApplicationFailure } from '@temporalio/activity';
import type { PurgeSignalsInput, PurgeSignalsResult } from '../../../activities/retention/purge-signals';
import { signalRetentionWorkflow, signalRetentionWorkflowId } from '../../../lib/temporal/contract';
import { callsOf, scenario, type StubActivities } from '../support/scenario';

const CUTOFF = '2026-09-01T03:17:00.000Z';

function purging(results: Array<Partial<PurgeSignalsResult> | Error>): StubActivities {
  let call = 0;
  return {
    purgeSignals: async (_input: PurgeSignalsInput): Promise<PurgeSignalsResult> => {
      const next = results[Math.min(call++, results.length - 1)];
      if (next instanceof Error) throw next;
      return { deleted: 0, batches: 1, done: true, maxBatchMs: 3, ...next };
    },
  };
}

export const signalRetentionScenarios = [
  scenario({
    workflow: 'signal-retention',
    branch: 'done-in-one-call',
    start: {
      workflow: signalRetentionWorkflow,
      args: [{ retentionDays: 30, cutoff: CUTOFF }],
      workflowId: `${signalRetentionWorkflowId('fleetprompt')}-done-in-one-call`,
    },
    activities: () => purging([{ deleted: 42, done: true }]),
    check(run) {
      expect(run.outcome).toEqual({ status: 'completed', result: { cutoff: CUTOFF, deleted: 42 } });
      expect(callsOf(run, 'purgeSignals')[0].args[0]).toEqual({ before: CUTOFF, batchSize: 5_000, maxBatches: 200, pauseMs: 50 });
    },
  }),
  scenario({
    workflow: 'signal-retention',
    branch: 'several-calls',
    start: {
      workflow: signalRetentionWorkflow,
      args: [{ retentionDays: 0.4, batchSize: 10, pauseMs: 0 }],
      workflowId: `${signalRetentionWorkflowId('fleetprompt')}-several-calls`,
    },
    activities: () =>
      purging([
        { deleted: 2_000, done: false },
        { deleted: 2_000, done: false },
        { deleted: 7, done: true },
      ]),
    check(run) {
      // Bounds: at least one day, no pause when 0 is asked.
      const calls = callsOf(run, 'purgeSignals').map((c) => c.args[0] as PurgeSignalsInput);
      expect(calls).toHaveLength(3);
      expect(calls.every((c) => c.batchSize === 10 && c.pauseMs === 0 && c.before === calls[0].before)).toBe(true);
      const result = (run.outcome as { result: { cutoff: string; deleted: number } }).result;
      expect(result.deleted).toBe(4_007);
      const started = Number(run.history.events?.[0]?.eventTime?.seconds ?? 0) * 1000;
      expect(Math.round((started - Date.parse(result.cutoff)) / 86_400_000)).toBe(1);
    },
  }),
  scenario({
    workflow: 'signal-retention',
    branch: 'continued-as-new',
    start: {
      workflow: signalRetentionWorkflow,
      args: [{ retentionDays: 30, cutoff: CUTOFF, pauseMs: 0 }],
      workflowId: `${signalRetentionWorkflowId('fleetprompt')}-continued-as-new`,
    },
    // 100 calls in the first run (CALLS_PER_RUN), then the next run finds the rest.
    activities: () => purging([...Array.from({ length: 100 }, () => ({ deleted: 1, done: false })), { deleted: 5, done: true }]),
    check(run) {
      expect(run.outcome).toEqual({ status: 'completed', result: { cutoff: CUTOFF, deleted: 105 } });
      expect(run.history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
    },
  }),
  scenario({
    workflow: 'signal-retention',
    branch: 'purge-retries-exhausted',
    start: {
      workflow: signalRetentionWorkflow,
      args: [{ retentionDays: 30, cutoff: CUTOFF }],
      workflowId: `${signalRetentionWorkflowId('fleetprompt')}-purge-retries-exhausted`,
    },
    activities: () => purging([ApplicationFailure.retryable('canceling statement due to lock timeout', 'network')]),
    check(run) {
      expect(run.outcome).toMatchObject({ status: 'failed' });
      expect(callsOf(run, 'purgeSignals')).toHaveLength(10);
      expect(run.sinkCalls.filter((c) => c.fn === 'activityRetriesExhausted').map((c) => c.input)).toEqual([
        { activityType: 'purgeSignals', retryState: 'MAXIMUM_ATTEMPTS_REACHED' },
      ]);
    },
  }),
];
