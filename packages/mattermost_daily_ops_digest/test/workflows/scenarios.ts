// Every branch of the digest's digestRunWorkflow, on stubbed activities; the stored histories of
// these branches live beside them (histories/digest-run/).
import { ApplicationFailure } from '@temporalio/activity';
import { temporal } from '@temporalio/proto';
import type {
  BeginDigestRunInput,
  DigestRunContext,
  FinishDigestRunInput,
  GeneratedDigest,
  PostDigestResult,
  SummaryFacts,
} from '../../activities/digest-run-types';
import { digestScheduledRunId, InstallationIdKey, manualDigestRunId, retryDigestRunId, TenantIdKey } from '../../../../lib/temporal/contract';
import { digestRunWorkflow, type DigestRunInput } from '../../workflows/contract';
import path from 'node:path';
import {
  activitySequence,
  callsOf,
  scenario as defineScenario,
  untilCancelled,
  type Scenario,
  type ScenarioRun,
  type StubActivities,
} from '../../../../test/workflows/support/scenario';

const HISTORIES = path.resolve(__dirname, 'histories');
/** This package's scenarios keep their histories beside them (packages/<slug>/test/workflows/histories). */
const scenario: typeof defineScenario = (s) => defineScenario({ historiesDir: HISTORIES, ...s });

const TENANT = '6d1f3c2a-1b7e-4c59-a0f4-3e2b9c8d7a11';
const INSTALLATION = '0b9e8d7c-6a5f-4e3d-9c2b-1a0f9e8d7c6b';
const EXECUTION = 'f3e2d1c0-b9a8-4765-8432-10fedcba9876';
const NOMINAL = new Date('2026-11-30T07:30:00Z');

const ctx: DigestRunContext = {
  tenantId: TENANT,
  installationId: INSTALLATION,
  executionId: EXECUTION,
  correlationId: manualDigestRunId(TENANT, EXECUTION),
  dedupeKey: `mattermost_post:${TENANT}:manual:${EXECUTION}`,
};
const digest: GeneratedDigest = { text: 'Daily Ops Digest', contentHash: 'c0ffee', lineCount: 3, truncated: false, totalSignals: 12 };

interface DigestStubs {
  begin?: (input: BeginDigestRunInput) => Promise<DigestRunContext>;
  generate?: () => Promise<GeneratedDigest>;
  post?: (input: { ctx: DigestRunContext; digest: GeneratedDigest; acceptUnknownOutcome?: boolean }) => Promise<PostDigestResult>;
  summarize?: (ctx: DigestRunContext) => Promise<SummaryFacts>;
}

const summaryFacts: SummaryFacts = { outcome: 'ok', model: 'fake-mini', prompt_tokens: 310, completion_tokens: 22, cost_usd: 0.00376 };

function digestActivities(stubs: DigestStubs = {}): StubActivities {
  return {
    beginDigestRun: stubs.begin ?? (async () => ctx),
    generateDigest: stubs.generate ?? (async () => digest),
    postDigest: stubs.post ?? (async () => ({ outcome: 'posted', attempts: 1 })),
    summarizeDigest: stubs.summarize ?? (async () => summaryFacts),
    finishDigestRun: async () => undefined,
  };
}

function manualStart(branch: string) {
  const input: DigestRunInput = { tenantId: TENANT, installationId: INSTALLATION, trigger: 'manual', executionId: EXECUTION };
  return {
    workflow: digestRunWorkflow,
    args: [input] as [DigestRunInput],
    // One id per branch, so histories of different branches never share one.
    workflowId: manualDigestRunId(TENANT, `${EXECUTION}-${branch}`),
    typedSearchAttributes: [
      { key: TenantIdKey, value: TENANT },
      { key: InstallationIdKey, value: INSTALLATION },
    ],
  };
}

function finishOf(run: ScenarioRun): FinishDigestRunInput {
  const finishes = callsOf(run, 'finishDigestRun');
  expect(finishes).toHaveLength(1);
  return finishes[0].args[0] as FinishDigestRunInput;
}

/** Workflow tasks, activity tasks and markers in the run's history (what the server processed for it). */
function taskCounts(run: ScenarioRun) {
  const types = (run.history.events ?? []).map((e) => e.eventType);
  const count = (t: temporal.api.enums.v1.EventType) => types.filter((x) => x === t).length;
  const { EventType } = temporal.api.enums.v1;
  return {
    workflowTasks: count(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED),
    activityTasks: count(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED),
    markers: count(EventType.EVENT_TYPE_MARKER_RECORDED),
    events: types.length,
  };
}

function exhausted(run: ScenarioRun) {
  return run.sinkCalls.filter((c) => c.fn === 'activityRetriesExhausted').map((c) => c.input);
}

/** A postDigest stub that fails every attempt the same way. */
const failingPost = (failure: () => Error) => async (): Promise<PostDigestResult> => {
  throw failure();
};

export const digestRunScenarios: Scenario[] = [
  // Digest 1.1.0's LLM summary (behind patched('llm-summary')): one more activity before generating.
  scenario({
    workflow: 'digest-run',
    branch: 'llm-summary-posted',
    start: manualStart('llm-summary-posted'),
    activities: () => digestActivities({ begin: async () => ({ ...ctx, llmSummary: true }) }),
    check(run) {
      expect(run.outcome).toEqual({ status: 'completed', result: { status: 'succeeded' } });
      expect(activitySequence(run)).toEqual(['beginDigestRun', 'summarizeDigest', 'generateDigest', 'postDigest', 'finishDigestRun']);
      expect(callsOf(run, 'generateDigest')[0].args[0]).toMatchObject({ llmSummary: true });
    },
  }),
  scenario({
    workflow: 'digest-run',
    branch: 'llm-summary-failed',
    start: manualStart('llm-summary-failed'),
    activities: () =>
      digestActivities({
        begin: async () => ({ ...ctx, llmSummary: true }),
        summarize: async () => {
          throw ApplicationFailure.retryable('The LLM provider failed (server_error 500); retrying.', 'llm_server_error');
        },
      }),
    check(run) {
      // The summary's own retry policy, then the digest posts anyway (generateDigest records the fallback).
      expect(run.outcome).toEqual({ status: 'completed', result: { status: 'succeeded' } });
      expect(callsOf(run, 'summarizeDigest').map((c) => c.attempt)).toEqual([1, 2, 3]);
      expect(callsOf(run, 'postDigest')).toHaveLength(1);
    },
  }),
  scenario({
    workflow: 'digest-run',
    branch: 'manual-posted',
    start: manualStart('manual-posted'),
    activities: () => digestActivities(),
    check(run) {
      expect(run.outcome).toEqual({ status: 'completed', result: { status: 'succeeded' } });
      expect(activitySequence(run)).toEqual(['beginDigestRun', 'generateDigest', 'postDigest', 'finishDigestRun']);
      expect(finishOf(run)).toMatchObject({
        status: 'succeeded',
        summary: { outcome: 'posted', attempts: 1, total_signals: 12, line_count: 3, truncated: false },
      });
      // Every step is a local activity (patches local-bookkeeping and local-post): one workflow
      // task and no activity task, where ordinary activities took 5 and 4 (2 and 1 with a
      // remote post). Markers: the two patches and the four steps.
      expect(taskCounts(run)).toMatchObject({ workflowTasks: 1, activityTasks: 0, markers: 6 });
      const begin = callsOf(run, 'beginDigestRun')[0].args[0] as BeginDigestRunInput;
      expect(begin).toMatchObject({ trigger: 'manual', executionId: EXECUTION, workflowId: run.workflowId });
      expect(begin.nominalTime).toBeUndefined();
    },
  }),
  scenario({
    workflow: 'digest-run',
    branch: 'scheduled-posted',
    start: {
      workflow: digestRunWorkflow,
      args: [{ tenantId: TENANT, installationId: INSTALLATION, trigger: 'scheduled' }],
      // As the server names a scheduled run; no TemporalScheduledStartTime here, so the
      // nominal time comes from the id (the fallback).
      workflowId: digestScheduledRunId(TENANT, INSTALLATION, NOMINAL),
      typedSearchAttributes: [
        { key: TenantIdKey, value: TENANT },
        { key: InstallationIdKey, value: INSTALLATION },
      ],
    },
    activities: () => digestActivities(),
    check(run) {
      expect(run.outcome).toEqual({ status: 'completed', result: { status: 'succeeded' } });
      const begin = callsOf(run, 'beginDigestRun')[0].args[0] as BeginDigestRunInput;
      expect(begin).toMatchObject({ trigger: 'scheduled', nominalTime: '2026-11-30T07:30:00Z' });
      expect(taskCounts(run)).toMatchObject({ workflowTasks: 1, activityTasks: 0, markers: 6 });
    },
  }),
  scenario({
    workflow: 'digest-run',
    branch: 'retry-accepts-unknown',
    start: {
      workflow: digestRunWorkflow,
      args: [{ tenantId: TENANT, installationId: INSTALLATION, trigger: 'retry', executionId: EXECUTION, acceptUnknownOutcome: true }],
      workflowId: retryDigestRunId(TENANT, EXECUTION),
    },
    activities: () => digestActivities(),
    check(run) {
      expect(run.outcome).toEqual({ status: 'completed', result: { status: 'succeeded' } });
      expect(callsOf(run, 'postDigest')[0].args[0]).toMatchObject({ acceptUnknownOutcome: true });
    },
  }),
  scenario({
    workflow: 'digest-run',
    branch: 'posted-by-earlier-attempt',
    start: manualStart('posted-by-earlier-attempt'),
    activities: () => digestActivities({ post: async () => ({ outcome: 'already_posted', attempts: 2, postedByThisRun: true }) }),
    check(run) {
      expect(run.outcome).toEqual({ status: 'completed', result: { status: 'succeeded' } });
      expect(finishOf(run)).toMatchObject({ status: 'succeeded', summary: { outcome: 'posted', attempts: 2 } });
    },
  }),
  scenario({
    workflow: 'digest-run',
    branch: 'posted-by-another-run',
    start: manualStart('posted-by-another-run'),
    activities: () => digestActivities({ post: async () => ({ outcome: 'already_posted', attempts: 1, postedByThisRun: false }) }),
    check(run) {
      expect(run.outcome).toEqual({ status: 'completed', result: { status: 'skipped' } });
      expect(finishOf(run)).toMatchObject({ status: 'skipped', summary: { outcome: 'already_posted' } });
    },
  }),
  scenario({
    workflow: 'digest-run',
    branch: 'skipped',
    start: manualStart('skipped'),
    activities: () => digestActivities({ begin: async () => ({ ...ctx, skip: { reason: 'already_posted' } }) }),
    check(run) {
      expect(run.outcome).toEqual({ status: 'completed', result: { status: 'skipped' } });
      expect(activitySequence(run)).toEqual(['beginDigestRun', 'finishDigestRun']);
      expect(finishOf(run)).toMatchObject({ status: 'skipped', summary: { skip_reason: 'already_posted' } });
    },
  }),
  scenario({
    workflow: 'digest-run',
    branch: 'blocked',
    start: manualStart('blocked'),
    activities: () =>
      digestActivities({
        begin: async () => ({ ...ctx, blocked: { kind: 'validation', message: 'Mattermost is not connected for this installation. Connect it, then Retry.' } }),
      }),
    check(run) {
      expect(run.outcome).toEqual({
        status: 'failed',
        type: 'validation',
        message: 'Mattermost is not connected for this installation. Connect it, then Retry.',
        nonRetryable: true,
      });
      expect(activitySequence(run)).toEqual(['beginDigestRun', 'finishDigestRun']);
      expect(finishOf(run)).toMatchObject({ status: 'failed', errorKind: 'validation' });
    },
  }),
  scenario({
    workflow: 'digest-run',
    branch: 'post-rejected',
    start: manualStart('post-rejected'),
    activities: () => digestActivities({ post: failingPost(() => ApplicationFailure.nonRetryable('Mattermost rejected the token.', 'auth')) }),
    check(run) {
      expect(run.outcome).toEqual({ status: 'failed', type: 'auth', message: 'Mattermost rejected the token.', nonRetryable: true });
      expect(callsOf(run, 'postDigest')).toHaveLength(1);
      expect(finishOf(run)).toMatchObject({ status: 'failed', errorKind: 'auth', message: 'Mattermost rejected the token.' });
    },
  }),
  scenario({
    workflow: 'digest-run',
    branch: 'post-outcome-unknown',
    start: manualStart('post-outcome-unknown'),
    activities: () =>
      digestActivities({
        post: failingPost(() =>
          ApplicationFailure.nonRetryable(
            'Mattermost may or may not have posted this digest (the request was sent, no answer came). Check the channel; Retry re-posts it.',
            'unknown',
          ),
        ),
      }),
    check(run) {
      expect(run.outcome).toMatchObject({ status: 'failed', type: 'unknown', nonRetryable: true });
      // Never re-posted blindly: one attempt.
      expect(callsOf(run, 'postDigest')).toHaveLength(1);
      expect(finishOf(run)).toMatchObject({ status: 'failed', errorKind: 'unknown' });
    },
  }),
  scenario({
    workflow: 'digest-run',
    branch: 'post-retries-exhausted',
    start: manualStart('post-retries-exhausted'),
    activities: () => digestActivities({ post: failingPost(() => ApplicationFailure.retryable('Mattermost answered 503.', 'network')) }),
    check(run) {
      expect(run.outcome).toEqual({ status: 'failed', type: 'network', message: 'Mattermost answered 503.', nonRetryable: true });
      expect(callsOf(run, 'postDigest').map((c) => c.attempt)).toEqual([1, 2, 3, 4, 5, 6]);
      // Visible: the record says failed, and the operator's metric counts the exhaustion.
      expect(finishOf(run)).toMatchObject({ status: 'failed', errorKind: 'network' });
      expect(exhausted(run)).toEqual([{ activityType: 'postDigest', retryState: 'MAXIMUM_ATTEMPTS_REACHED' }]);
    },
  }),
  scenario({
    workflow: 'digest-run',
    branch: 'generate-failed-unclassified',
    start: manualStart('generate-failed-unclassified'),
    activities: () =>
      digestActivities({
        generate: async () => {
          throw new Error('connection terminated unexpectedly (an internal detail)');
        },
      }),
    check(run) {
      // An unclassified error never reaches the record or the UI: a generic message does.
      expect(run.outcome).toEqual({ status: 'failed', type: 'unknown', message: 'The digest run failed after several attempts.', nonRetryable: true });
      expect(callsOf(run, 'generateDigest')).toHaveLength(5);
      expect(exhausted(run)).toEqual([{ activityType: 'generateDigest', retryState: 'MAXIMUM_ATTEMPTS_REACHED' }]);
      expect(callsOf(run, 'postDigest')).toHaveLength(0);
      expect(finishOf(run)).toMatchObject({ status: 'failed', errorKind: 'unknown', message: 'The digest run failed after several attempts.' });
    },
  }),
  scenario({
    workflow: 'digest-run',
    branch: 'cancelled-mid-post',
    start: manualStart('cancelled-mid-post'),
    activities: (checkpoints) => digestActivities({ post: untilCancelled(checkpoints, 'posting') }),
    async drive(handle, checkpoints) {
      await checkpoints.reached('posting');
      await handle.cancel();
    },
    check(run) {
      expect(run.outcome).toEqual({ status: 'cancelled' });
      expect(callsOf(run, 'postDigest')).toHaveLength(1);
      // The record does not stay `running`: the cleanup ran although the workflow was cancelled.
      expect(finishOf(run)).toMatchObject({ status: 'failed', errorKind: 'unknown' });
      expect(finishOf(run).message).toMatch(/^The digest run was cancelled before it finished\. If it was posting, Mattermost may or may not have the digest/);
      expect(exhausted(run)).toEqual([]);
    },
  }),
];

/** What test/workflows/scenarios/index.ts collects from each package. */
export const scenarios = digestRunScenarios;
