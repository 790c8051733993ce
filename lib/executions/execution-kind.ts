// The kinds of execution record (executions.kind). One per package workflow that records runs.
export const DIGEST_EXECUTION_KIND = 'mattermost_digest';
