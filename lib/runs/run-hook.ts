// The "start a run" hook a package opts into (PackageModule.runs): with it, its installations get
// the platform's Run now and Retry (lib/runs/request-run.ts records the execution, takes the
// quota and closes a run Temporal never got; the package says what the run is and what starts
// it). Without it, both answer 409 RUNS_NOT_SUPPORTED. Pure types: lib never imports a package.
import type { Execution, Installation } from '../db/generated/client';
import type { Tx } from '../db/with-tenant';

/** A new manual run's business keys and window (stored on its execution, never recomputed). */
export interface RunIdentity {
  correlationId: string;
  workflowId: string;
  dedupeKey: string;
  windowStart: Date;
  windowEnd: Date;
}

/** What to start for a recorded execution: the core starts it under the execution's workflow id. */
export interface RunWorkflow {
  workflowType: string;
  args: unknown[];
  memo: Record<string, unknown>;
  staticSummary: string;
}

/**
 * A later run that already did what retrying this failed one would do again (e.g. a scheduled
 * digest that reported its period): Retry is refused with RETRY_SUPERSEDED and the run list
 * shows why before anyone clicks.
 */
export interface RetryBlock {
  /** The execution's retry_superseded_by (its shape is the API's: api/response-schemas.ts ZExecution). */
  supersededBy: { execution_id: string; digest_date: string };
  /** The refusal's message, in the package's words. */
  message: string;
}

export interface RunHook {
  /** executions.kind of the runs this package records; Retry refuses any other kind. */
  executionKind: string;
  /** Refuses a Run now the installation is not ready for (throws an AppError, e.g. NOT_CONFIGURED) before any quota is taken. */
  assertRunnable?(installation: Installation): void;
  /** The identity of a new Run now (its execution id is already chosen). */
  manualRunIdentity(input: { tenantId: string; executionId: string; now: Date }): RunIdentity;
  /** The workflow id of a Retry execution (it keeps the original's correlation id and dedupe key). */
  retryWorkflowId(input: { tenantId: string; executionId: string }): string;
  /** The workflow that carries out a manual or retry execution. Pure. */
  runWorkflow(execution: Execution, run: { trigger: 'manual' | 'retry'; acceptUnknownOutcome: boolean }): RunWorkflow;
  /** failed execution id → why retrying it is refused; only those that are (the others may be retried). */
  retryBlockedBy?(tx: Tx, failed: Execution[]): Promise<Map<string, RetryBlock>>;
}

/** The run hooks of the packages the platform ships (api/app.ts builds it from packages/registry.ts). */
export interface RunHooks {
  forPackage(packageSlug: string): RunHook | undefined;
  all: readonly RunHook[];
}
