// The sink through which a workflow that ended reports its outcome to the worker's logs and
// metrics (workflows/observability-interceptors.ts → lib/temporal/telemetry-sinks.ts).
import type { Sinks } from '@temporalio/workflow';

export interface WorkflowFinished {
  outcome: string;
  errorKind?: string;
  durationMs: number;
  /** Digest runs: scheduled | manual | retry. */
  trigger?: string;
  /** The workflow's search attributes, for the log line (sinks get a plain copy of workflowInfo). */
  tenantId?: string;
  correlationId?: string;
  installationId?: string;
}

/** An activity gave up: its retry policy's attempts or its schedule-to-close bound ran out. */
export interface ActivityRetriesExhausted {
  activityType: string;
  /** MAXIMUM_ATTEMPTS_REACHED or TIMEOUT (the overall bound). */
  retryState: string;
}

export interface TelemetrySinks extends Sinks {
  telemetry: {
    workflowFinished(input: WorkflowFinished): void;
    activityRetriesExhausted(input: ActivityRetriesExhausted): void;
  };
}
