// The core's one way to start a run the API recorded (Run now, Retry): a workflow type with its
// arguments, under the execution's workflow id, on the task queue. What to start comes from the
// installation's package; the starter (client.ts runStarter) knows no workflow.
export interface RunStart {
  workflowType: string;
  /** The execution's business key: a second start with it is a no-op (USE_EXISTING). */
  workflowId: string;
  correlationId: string;
  tenantId: string;
  installationId: string;
  executionId: string;
  args: unknown[];
  memo: Record<string, unknown>;
  staticSummary: string;
}

export interface RunStarter {
  start(run: RunStart): Promise<void>;
}
