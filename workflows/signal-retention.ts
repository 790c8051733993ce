// Daily signal retention (started by the "fleetprompt:signal-retention" Temporal Schedule): deletes
// signals older than the retention period in bounded batches through an activity that heartbeats,
// pausing between calls. The cutoff is fixed when the run starts; a very large backlog continues
// as new so the history stays small.
import { continueAsNew, proxyActivities, sleep } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { SignalRetentionInput, SignalRetentionResult } from '../lib/temporal/contract';

export const DEFAULT_PURGE_BATCH = 5_000;
export const DEFAULT_PURGE_PAUSE_MS = 50;
const BATCHES_PER_CALL = 200;
const CALLS_PER_RUN = 100;
const DAY_MS = 86_400_000;

const purge = proxyActivities<Activities>({
  startToCloseTimeout: '30 minutes',
  // The overall bound: ten attempts and their backoff, then the run fails visibly (and is counted).
  scheduleToCloseTimeout: '6 hours',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 10 },
});

export async function signalRetentionWorkflow(input: SignalRetentionInput): Promise<SignalRetentionResult> {
  const days = Math.max(1, Math.floor(input.retentionDays));
  const batchSize = Math.min(50_000, Math.max(1, Math.floor(input.batchSize ?? DEFAULT_PURGE_BATCH)));
  const pauseMs = Math.max(0, Math.floor(input.pauseMs ?? DEFAULT_PURGE_PAUSE_MS));
  // Date.now() is the workflow's deterministic clock (the time this task started).
  const cutoff = input.cutoff ?? new Date(Date.now() - days * DAY_MS).toISOString();
  let deleted = input.deletedSoFar ?? 0;
  for (let call = 0; call < CALLS_PER_RUN; call++) {
    const result = await purge.purgeSignals({ before: cutoff, batchSize, maxBatches: BATCHES_PER_CALL, pauseMs });
    deleted += result.deleted;
    if (result.done) return { cutoff, deleted };
    if (pauseMs > 0) await sleep(pauseMs);
  }
  return continueAsNew<typeof signalRetentionWorkflow>({ ...input, cutoff, deletedSoFar: deleted });
}
