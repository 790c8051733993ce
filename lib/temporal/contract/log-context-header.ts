// The activity header in which a workflow passes its tenant, correlation id and installation to
// its activities' log lines (workflows/observability-interceptors.ts → lib/temporal/activity-interceptor.ts).
export const LOG_CONTEXT_HEADER = 'fleetprompt-log-context';

/** What the header carries: the workflow's search attributes, ids only. */
export interface LogContextHeader {
  tenantId?: string;
  correlationId?: string;
  installationId?: string;
}
