// The core's workflow types the worker registers, with their inputs and results. Everything that
// starts a workflow (client.ts, the Schedules in lib/temporal) passes one of the references below,
// so the SDK type-checks its arguments; workflows/ implements each one with exactly this signature
// (test/unit/temporal/contract-matches-workflows.test.ts holds the two together). A package's own
// workflow contract lives in its own folder (packages/<slug>/workflows/contract.ts)
// and makes its reference with workflowReference.
import type { Workflow } from '@temporalio/common';

// ---- packageDirectiveWorkflow ---------------------------------------------------------------

export interface PackageDirectiveInput {
  tenantId: string;
  directiveId: string;
}

export interface PackageDirectiveResult {
  status: 'completed';
}

export type PackageDirectiveWorkflow = (input: PackageDirectiveInput) => Promise<PackageDirectiveResult>;

// ---- signalRetentionWorkflow ----------------------------------------------------------------

export interface SignalRetentionInput {
  retentionDays: number;
  batchSize?: number;
  /** Pause between batches (and between activity calls). */
  pauseMs?: number;
  /** Set by continue-as-new: the original cutoff and the count so far. */
  cutoff?: string;
  deletedSoFar?: number;
}

export interface SignalRetentionResult {
  cutoff: string;
  deleted: number;
}

export type SignalRetentionWorkflow = (input: SignalRetentionInput) => Promise<SignalRetentionResult>;

// ---- references -----------------------------------------------------------------------------

export const WORKFLOW_TYPES = {
  /** The digest package's (its contract lives in its folder); named here for the worker's telemetry. */
  digestRun: 'digestRunWorkflow',
  packageDirective: 'packageDirectiveWorkflow',
  signalRetention: 'signalRetentionWorkflow',
} as const;

export type WorkflowTypeName = (typeof WORKFLOW_TYPES)[keyof typeof WORKFLOW_TYPES];

/**
 * A function standing for a registered workflow: its `name` is the workflow type (which is all
 * the SDK reads from a function it is given) and its type is the workflow's signature. Starters
 * use it instead of importing workflow code into the API process. Calling it is a bug.
 */
export function workflowReference<F extends Workflow>(name: string): F {
  const reference = {
    [name]: () => {
      throw new Error(`${name} is a reference for starting the workflow; it runs only inside a worker.`);
    },
  }[name];
  return reference as unknown as F;
}

export const packageDirectiveWorkflow = workflowReference<PackageDirectiveWorkflow>(WORKFLOW_TYPES.packageDirective);
export const signalRetentionWorkflow = workflowReference<SignalRetentionWorkflow>(WORKFLOW_TYPES.signalRetention);
