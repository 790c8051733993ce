// The digest's execution records (executions.kind): what its runs hook answers for (Retry accepts
// only these) and what its activities write for scheduled runs.
export const DIGEST_EXECUTION_KIND = 'mattermost_digest';
