// The digest run's Temporal contract: the workflow's input and result, and the reference that
// starters (Run now / Retry through the package's runs hook, the daily Schedule) pass instead of
// importing workflow code. digest-run.ts implements exactly this signature
// (../test/unit/contract-matches-workflow.test.ts holds the two together). Pure: imported
// by workflow code.
import { WORKFLOW_TYPES, workflowReference } from '../../../lib/temporal/contract/workflows';

export type DigestTrigger = 'scheduled' | 'manual' | 'retry';

export interface DigestRunInput {
  tenantId: string;
  installationId: string;
  trigger: DigestTrigger;
  /** Manual and retry runs: the execution the API created. */
  executionId?: string;
  /** Retry runs may re-post a message whose earlier outcome was unknown (the user decided). */
  acceptUnknownOutcome?: boolean;
}

export interface DigestRunResult {
  status: 'succeeded' | 'skipped';
}

export type DigestRunWorkflow = (input: DigestRunInput) => Promise<DigestRunResult>;

// The type name stays in the core's WORKFLOW_TYPES: the worker's telemetry (digest-run metrics,
// bounded workflow_type labels) reads it there.
export const digestRunWorkflow = workflowReference<DigestRunWorkflow>(WORKFLOW_TYPES.digestRun);
