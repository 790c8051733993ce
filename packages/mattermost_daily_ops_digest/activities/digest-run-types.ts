// Inputs and outputs of the digest-run activities. Pure types: shared with the workflow.
// The workflow's own input is its contract (../workflows/contract.ts).
import type { FailureKind } from '../../../lib/errors/failure-kind';
import type { DigestRunInput } from '../workflows/contract';

export interface BeginDigestRunInput extends DigestRunInput {
  /** Scheduled runs: the nominal time (ISO) from TemporalScheduledStartTime. */
  nominalTime?: string;
  workflowId: string;
  runId: string;
}

export interface DigestRunContext {
  tenantId: string;
  installationId: string;
  executionId: string;
  correlationId: string;
  dedupeKey: string;
  /** The installation asks for an LLM summary (set only when true, so older results read the same). */
  llmSummary?: true;
  /** Set when the run must not post (e.g. this local date was already posted). */
  skip?: { reason: string };
  /** Set when the run cannot post (e.g. Mattermost not connected): it ends failed with this. */
  blocked?: { kind: FailureKind; message: string };
}

export interface GeneratedDigest {
  text: string;
  contentHash: string;
  lineCount: number;
  truncated: boolean;
  totalSignals: number;
}

/** What the summary step settled: the telemetry facts (never its text, never the key). */
export interface SummaryFacts {
  outcome: string;
  model: string | null;
  prompt_tokens: number;
  completion_tokens: number;
  cost_usd: number;
}

export interface PostDigestResult {
  outcome: 'posted' | 'already_posted';
  attempts: number;
  /** already_posted by an earlier attempt of this same run (its result never reached Temporal). */
  postedByThisRun?: boolean;
}

export interface FinishDigestRunInput {
  tenantId: string;
  executionId: string;
  status: 'succeeded' | 'failed' | 'skipped';
  errorKind?: FailureKind;
  message?: string;
  summary?: Record<string, string | number | boolean | null>;
}
