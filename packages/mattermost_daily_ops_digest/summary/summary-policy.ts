// The summary activity's bounds, shared by the workflow (its proxy options) and the activity (which
// records the fallback itself on its last attempt instead of throwing). Pure constants: bundled
// into workflow code.
/** One attempt: the model call (LLM_TIMEOUT_MS, at most 18 s) plus its bookkeeping. */
export const SUMMARY_ATTEMPT_TIMEOUT_MS = 20_000;
export const SUMMARY_MAX_ATTEMPTS = 3;
/** A Retry-After longer than this is not waited for: the digest posts without the summary. */
export const SUMMARY_MAX_RETRY_WAIT_MS = 10_000;
/** All attempts and the waits between them; the digest is never held up longer than this. */
export const SUMMARY_TOTAL_TIMEOUT_MS = 90_000;
