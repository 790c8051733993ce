// Executes one package directive (install, upgrade or uninstall) recorded in the database.
// Every step is an idempotent activity, so retries and replays create nothing twice.
import { ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { PackageDirectiveInput, PackageDirectiveResult } from '../lib/temporal/contract';
import { toSafeFailure } from '../lib/temporal/failure';

const steps = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 ms', backoffCoefficient: 2, maximumInterval: '10 seconds', maximumAttempts: 5, nonRetryableErrorTypes: ['validation', 'auth'] },
});

// Recording the outcome must eventually succeed (e.g. after a database restart).
const bookkeeping = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
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
    const failure = toSafeFailure(err, `The ${directive.type} step failed after several attempts.`);
    await bookkeeping.failDirective({ ...input, ...failure });
    throw ApplicationFailure.nonRetryable(failure.message, failure.kind);
  }
  await bookkeeping.completeDirective(input);
  return { status: 'completed' };
}
