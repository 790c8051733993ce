// Durations that must agree with each other. The exactly-once rule of the posting ledger
// (lib/outbound/ledger.ts) takes a `posting` claim older than the stale-claim age as abandoned;
// that is only safe while the age exceeds one posting attempt's start-to-close timeout, or a
// live poster would be taken for a dead one and a digest posted twice. So both come from here,
// and postDigest reads its own attempt timeout from its activity info.
import type { ActivityOptions, LocalActivityOptions } from '@temporalio/common';

/** postDigest's startToCloseTimeout (the digest package's workflows/digest-run.ts). */
export const POST_ATTEMPT_TIMEOUT_MS = 30_000;

/** The smallest stale-claim age that keeps the rule: longer than any attempt. */
export function minimumStaleClaimMs(attemptTimeoutMs: number): number {
  return attemptTimeoutMs + 1_000;
}

/** Default age after which a `posting` claim counts as abandoned: three attempts. */
export const DEFAULT_STALE_CLAIM_MS = 3 * POST_ATTEMPT_TIMEOUT_MS;

/** Lower bound of DIGEST_STALE_CLAIM_MS (lib/config.ts). */
export const MIN_STALE_CLAIM_MS = minimumStaleClaimMs(POST_ATTEMPT_TIMEOUT_MS);

/** How long an attempt keeps retrying the write of Mattermost's answer: half the attempt. */
export function outcomeWriteWindowMs(attemptTimeoutMs: number): number {
  return Math.floor(attemptTimeoutMs / 2);
}

/**
 * The options of every package's posting activity (one claim → post → record through the ledger,
 * lib/outbound/post-through-ledger.ts). `unknown` is not listed: the activity decides — it throws
 * an unknown outcome as non-retryable for a webhook (never re-posted blindly) and as retryable for
 * a token, whose next attempt settles it by looking for its own post. Six attempts and their
 * backoff fit well inside the 20 minutes; a Retry-After or an in-flight claim may stretch it.
 */
export const POSTING_ACTIVITY_OPTIONS: ActivityOptions = {
  startToCloseTimeout: POST_ATTEMPT_TIMEOUT_MS,
  scheduleToCloseTimeout: '20 minutes',
  retry: {
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '60 seconds',
    maximumAttempts: 6,
    nonRetryableErrorTypes: ['auth', 'validation'],
  },
};

/**
 * The same posting policy for a local activity (the digest's post since issue 12): the same
 * attempt timeout, overall bound and retries. A wait between attempts of up to 3 s stays in the
 * worker; a longer one (backoff, Retry-After, an in-flight claim) becomes a durable timer.
 */
export const POSTING_LOCAL_ACTIVITY_OPTIONS: LocalActivityOptions = {
  startToCloseTimeout: POSTING_ACTIVITY_OPTIONS.startToCloseTimeout,
  scheduleToCloseTimeout: POSTING_ACTIVITY_OPTIONS.scheduleToCloseTimeout,
  localRetryThreshold: '3 seconds',
  retry: POSTING_ACTIVITY_OPTIONS.retry,
};
