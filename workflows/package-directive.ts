// Executes one package directive (install, upgrade or uninstall) recorded in the database.
// Every step is an idempotent activity, so retries and replays create nothing twice.
import { ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { PackageDirectiveInput, PackageDirectiveResult } from '../lib/temporal/contract';
import { toSafeFailure } from '../lib/temporal/failure';
import { cancelledFailure, isCancellation, runCleanup } from './cleanup';

// Every activity has an overall bound (scheduleToClose): retries that never end hide an outage.
const steps = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: '5 minutes',
  retry: {
    initialInterval: '500 ms',
    backoffCoefficient: 2,
    maximumInterval: '10 seconds',
    maximumAttempts: 5,
    nonRetryableErrorTypes: ['validation', 'auth'],
  },
});

// Recording the outcome rides out a database restart, but gives up after half an hour: the
// workflow then fails visibly and fleetprompt_activity_retries_exhausted_total counts it.
const bookkeeping = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: '30 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

export async function packageDirectiveWorkflow(input: PackageDirectiveInput): Promise<PackageDirectiveResult> {
  const directive = await bookkeeping.startDirective(input);
  try {
    if (directive.type === 'package.uninstall') {
      await steps.removeInstallationResources(input);
    } else {
      await steps.provisionInstallation(input);
    }
  } catch (err) {
    const cancelled = isCancellation(err);
    const failure = cancelled ? cancelledFailure(`The ${directive.type}`) : toSafeFailure(err, `The ${directive.type} step failed after several attempts.`);
    await runCleanup(() => bookkeeping.failDirective({ ...input, ...failure }));
    if (cancelled) throw err;
    throw ApplicationFailure.nonRetryable(failure.message, failure.kind);
  }
  await bookkeeping.completeDirective(input);
  return { status: 'completed' };
}
