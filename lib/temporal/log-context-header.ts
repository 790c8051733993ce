// The activity header in which a workflow passes its tenant, correlation id and installation to
// its activities' log lines (workflows/observability-interceptors.ts → activity-interceptor.ts).
// Pure: imported by workflow code.
export const LOG_CONTEXT_HEADER = 'fleetprompt-log-context';
