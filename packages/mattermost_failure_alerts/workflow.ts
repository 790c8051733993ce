// One long-lived workflow per installation, woken by signal-with-start whenever failures it
// wants commit (lib/packages/signal-triggers.ts). Each wake-up asks the database what to do
// (planFailureAlert): nothing, sleep until the alert is due (the coalescing window, quiet hours,
// the hourly limit), or cut the window and post it. The notices carry no data — the window is
// read from the database — so a lost or repeated notice changes nothing but timing. History is
// bounded by continue-as-new; an idle workflow ends and the next notice starts a new one.
// Deterministic: imports only @temporalio/workflow, pure modules and activity types.
import { ApplicationFailure, condition, continueAsNew, defineSignal, proxyActivities, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import type { FailureNoticeArgs } from '../../lib/packages/signal-triggers';
import { toSafeFailure } from '../../lib/temporal/failure';
import { POSTING_ACTIVITY_OPTIONS } from '../../lib/temporal/contract/timeouts';
import type { FailureAlertActivities } from './activities';
import { FAILURES_ARRIVED_SIGNAL, type FailureAlertInput, type FailureAlertResult, type HeldBy } from './alert-types';

export const failuresArrivedSignal = defineSignal<[FailureNoticeArgs]>(FAILURES_ARRIVED_SIGNAL);

/** An idle workflow ends after this long without a notice (and a last look at the database). */
export const IDLE_TIMEOUT_MS = 60 * 60_000;
/** Alerts per run before continue-as-new (the SDK may suggest it earlier). */
export const ALERTS_PER_RUN = 100;

// Every activity has an overall bound (scheduleToClose), as the digest's: retries that never end
// hide an outage. Bookkeeping rides out a database restart but gives up after half an hour; the
// workflow then fails visibly (fleetprompt_activity_retries_exhausted_total counts it), and the
// next failure's notice starts it again — the failures wait in the database meanwhile.
const bookkeeping = proxyActivities<FailureAlertActivities>({
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: '30 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', nonRetryableErrorTypes: ['validation'] },
});

// As the digest's posting (the options say why); when it runs out the alert is recorded failed and
// its failures go into the next one.
const posting = proxyActivities<FailureAlertActivities>(POSTING_ACTIVITY_OPTIONS);

export async function failureAlertWorkflow(input: FailureAlertInput): Promise<FailureAlertResult> {
  const ref = { tenantId: input.tenantId, installationId: input.installationId };
  let pending = input.pending ?? false;
  let heldBy: HeldBy | null = input.heldBy ?? null;
  let alerts = 0;
  setHandler(failuresArrivedSignal, () => {
    pending = true;
  });

  for (;;) {
    if (!pending) {
      const woken = await condition(() => pending, input.idleTimeoutMs ?? IDLE_TIMEOUT_MS);
      if (!woken) {
        // A last look before ending, in case a notice was lost.
        const last = await bookkeeping.planFailureAlert(ref);
        if (last.kind === 'idle' || last.kind === 'gone') return { reason: last.kind, alerts };
      }
    }
    pending = false;
    const plan = await bookkeeping.planFailureAlert(ref);
    if (plan.kind === 'gone') return { reason: 'gone', alerts };
    if (plan.kind === 'idle') continue;
    if (plan.kind === 'wait') {
      if (plan.reason !== 'window') heldBy = plan.reason;
      // Until due, or until a notice (new failures, a config change) moves the due time.
      await condition(() => pending, plan.waitMs);
      pending = true;
      continue;
    }

    const opened = await bookkeeping.openFailureAlert({ ...ref, heldBy });
    heldBy = null;
    if (opened) {
      try {
        await posting.postFailureAlert({ ...ref, executionId: opened.executionId });
        await bookkeeping.finishFailureAlert({ tenantId: ref.tenantId, executionId: opened.executionId, status: 'succeeded' });
        alerts++;
      } catch (err) {
        const failure = toSafeFailure(err, 'The alert could not be posted after several attempts.');
        await bookkeeping.finishFailureAlert({
          tenantId: ref.tenantId,
          executionId: opened.executionId,
          status: 'failed',
          errorKind: failure.kind,
          message: failure.message,
        });
        // The failures of a failed alert go into the next one: keep going (auth/validation stop it).
        if (failure.kind === 'auth' || failure.kind === 'validation') throw ApplicationFailure.nonRetryable(failure.message, failure.kind);
      }
    } else {
      await sleep(1_000); // nothing was old enough to cut yet: plan again in a moment
    }
    pending = true; // more failures may have come in after the cut
    if (alerts >= (input.alertsPerRun ?? ALERTS_PER_RUN) || workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof failureAlertWorkflow>({ ...input, pending: true, heldBy });
    }
  }
}
