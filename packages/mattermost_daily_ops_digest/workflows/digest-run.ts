// One digest run: scheduled (by the installation's Temporal Schedule), manual ("Run now") or a
// retry. Identity, window and dedupe key come from the nominal scheduled time, never the clock.
import { ApplicationFailure, isCancellation, patched, proxyActivities, proxyLocalActivities, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { DigestActivities as Activities } from '../activities';
import {
  CorrelationIdKey,
  nominalTimeFromWorkflowId,
  POSTING_ACTIVITY_OPTIONS,
  POSTING_LOCAL_ACTIVITY_OPTIONS,
  ScheduledStartTimeKey,
} from '../../../lib/temporal/contract';
import type { DigestRunInput, DigestRunResult } from './contract';
import { SUMMARY_ATTEMPT_TIMEOUT_MS, SUMMARY_MAX_ATTEMPTS, SUMMARY_TOTAL_TIMEOUT_MS } from '../summary/summary-policy';
import { toSafeFailure } from '../../../lib/temporal/failure';
import { cancelledFailure, runCleanup } from '../../../workflows/cleanup';

// Every activity has an overall bound (scheduleToClose): retries that never end hide an outage.
// Bookkeeping rides out a database restart, but gives up after half an hour; the workflow then
// fails visibly and fleetprompt_activity_retries_exhausted_total counts it.
const remoteBookkeeping = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: '30 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', nonRetryableErrorTypes: ['validation'] },
});

const remoteGeneration = proxyActivities<Activities>({
  startToCloseTimeout: '60 seconds',
  scheduleToCloseTimeout: '10 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '20 seconds', maximumAttempts: 5 },
});

// The same three steps as local activities (issue 12): begin, generate and finish are database
// work on this worker, so they run inside the workflow task that asks for them and leave a marker
// in the history, instead of an activity task and one more workflow task each. A digest then costs
// 2 workflow tasks + 1 activity task (the post) instead of 5 + 4 (and 1 + 0 once the post is local
// too, below). Same timeouts and retry policies.
// What differs: a local activity is at least once even with one attempt (a workflow task that
// fails after it ran runs it again) — begin, generate and finish are idempotent (they find their
// execution, upsert the one message row, emit signals by dedupe key, and finish only a run that
// is not finished); it cannot heartbeat (none of these does); a wait between attempts longer than
// localRetryThreshold becomes a durable timer, so a long database outage is ridden out by timers in
// the history rather than by a workflow task kept open in one worker's memory.
const LOCAL_BOOKKEEPING = 'local-bookkeeping';
const localBookkeeping = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: '30 minutes',
  localRetryThreshold: '3 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', nonRetryableErrorTypes: ['validation'] },
});
const localGeneration = proxyLocalActivities<Activities>({
  startToCloseTimeout: '60 seconds',
  scheduleToCloseTimeout: '10 minutes',
  localRetryThreshold: '3 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '20 seconds', maximumAttempts: 5 },
});

// The optional LLM summary: its own bounded timeout and retries. On its last attempt the activity
// records the fallback itself; if it never settles, generateDigest records one. `in_flight` (another
// attempt holds the claim) is retried like the transient provider failures.
const summarizing = proxyActivities<Activities>({
  startToCloseTimeout: SUMMARY_ATTEMPT_TIMEOUT_MS,
  scheduleToCloseTimeout: SUMMARY_TOTAL_TIMEOUT_MS,
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '10 seconds', maximumAttempts: SUMMARY_MAX_ATTEMPTS },
});

const remotePosting = proxyActivities<Activities>(POSTING_ACTIVITY_OPTIONS);

// The post as a local activity too (issue 12, patch local-post): a digest is then one workflow
// task and no activity task. Exactly once does not rest on Temporal running it once: the posting
// ledger (lib/outbound/post-through-ledger.ts) claims the message before it posts, and a second
// execution of the same post — a retried workflow task after a worker died mid-post, or a live
// attempt on another worker — finds the claim: posted (done), in flight (wait, as for an
// ordinary activity), or stale (unknown: a webhook is never re-posted blindly, a token settles
// it by its marker). The attempt timeout, overall bound and retries are the ordinary activity's.
// What differs: a cancel reaches a running post with the workflow task's next heartbeat (8 s into
// the task), not at once; a post that ends before that finishes its run first.
const LOCAL_POST = 'local-post';
const localPosting = proxyLocalActivities<Activities>(POSTING_LOCAL_ACTIVITY_OPTIONS);

/** The schedule's nominal time: the search attribute, else the `-<RFC 3339>` suffix of the id. */
function nominalTime(workflowId: string): string | undefined {
  const fromAttribute = workflowInfo().typedSearchAttributes.get(ScheduledStartTimeKey);
  if (fromAttribute) return new Date(fromAttribute).toISOString();
  return nominalTimeFromWorkflowId(workflowId);
}

export async function digestRunWorkflow(input: DigestRunInput): Promise<DigestRunResult> {
  const { workflowId, runId } = workflowInfo();
  // Decided once, before the first command: a run begun before the change keeps ordinary
  // activities to its end, so its history replays unchanged.
  const local = patched(LOCAL_BOOKKEEPING);
  const bookkeeping = local ? localBookkeeping : remoteBookkeeping;
  const generation = local ? localGeneration : remoteGeneration;
  const posting = local && patched(LOCAL_POST) ? localPosting : remotePosting;
  const ctx = await bookkeeping.beginDigestRun({
    ...input,
    workflowId,
    runId,
    nominalTime: input.trigger === 'scheduled' ? nominalTime(workflowId) : undefined,
  });
  upsertSearchAttributes([{ key: CorrelationIdKey, value: ctx.correlationId }]);

  if (ctx.skip) {
    await bookkeeping.finishDigestRun({ tenantId: ctx.tenantId, executionId: ctx.executionId, status: 'skipped', summary: { skip_reason: ctx.skip.reason } });
    return { status: 'skipped' };
  }
  if (ctx.blocked) {
    await bookkeeping.finishDigestRun({
      tenantId: ctx.tenantId,
      executionId: ctx.executionId,
      status: 'failed',
      errorKind: ctx.blocked.kind,
      message: ctx.blocked.message,
    });
    throw ApplicationFailure.nonRetryable(ctx.blocked.message, ctx.blocked.kind);
  }
  try {
    // Added in 1.1 of the digest: runs that asked for a summary get one more activity. Behind a
    // patch so histories recorded before it (or without the setting) replay unchanged.
    if (ctx.llmSummary && patched('llm-summary')) {
      try {
        await summarizing.summarizeDigest(ctx);
      } catch (err) {
        if (isCancellation(err)) throw err;
        // The digest posts without the summary; generateDigest records why.
      }
    }
    const digest = await generation.generateDigest(ctx);
    const posted = await posting.postDigest({ ctx, digest, acceptUnknownOutcome: input.acceptUnknownOutcome });
    // An earlier attempt of this run posted it (its result was lost): this run succeeded.
    const outcome = posted.postedByThisRun ? 'posted' : posted.outcome;
    await bookkeeping.finishDigestRun({
      tenantId: ctx.tenantId,
      executionId: ctx.executionId,
      status: outcome === 'posted' ? 'succeeded' : 'skipped',
      summary: { outcome, attempts: posted.attempts, total_signals: digest.totalSignals, line_count: digest.lineCount, truncated: digest.truncated },
    });
    return { status: outcome === 'posted' ? 'succeeded' : 'skipped' };
  } catch (err) {
    const cancelled = isCancellation(err);
    const failure = cancelled ? cancelledFailure('The digest run') : toSafeFailure(err, 'The digest run failed after several attempts.');
    const message = cancelled
      ? `${failure.message} If it was posting, Mattermost may or may not have the digest: check the channel; Retry re-posts it.`
      : failure.message;
    await runCleanup(() =>
      bookkeeping.finishDigestRun({ tenantId: ctx.tenantId, executionId: ctx.executionId, status: 'failed', errorKind: failure.kind, message }),
    );
    if (cancelled) throw err;
    throw ApplicationFailure.nonRetryable(failure.message, failure.kind);
  }
}
