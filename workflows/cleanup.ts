// Cleanup after a failed or cancelled step: recording the outcome must happen even when the
// workflow itself was cancelled, or the execution/directive record stays `running` for ever.
// Inside the cancelled scope the recording activity would be cancelled before it started, so it
// runs in a non-cancellable scope. Runs begun before this change recorded nothing on
// cancellation: the patch keeps their histories replaying (README, "Changing a workflow").
import { CancellationScope, patched } from '@temporalio/workflow';
import type { SafeFailure } from '../lib/temporal/failure';

export const NON_CANCELLABLE_CLEANUP = 'non-cancellable-cleanup';

/** Runs `record` so that a cancellation of the workflow cannot stop it. */
export function runCleanup<T>(record: () => Promise<T>): Promise<T> {
  return patched(NON_CANCELLABLE_CLEANUP) ? CancellationScope.nonCancellable(record) : record();
}

/** What a cancelled step leaves on the record: an outcome nobody can vouch for. */
export function cancelledFailure(what: string): SafeFailure {
  return { kind: 'unknown', message: `${what} was cancelled before it finished.` };
}

export { isCancellation } from '@temporalio/workflow';
