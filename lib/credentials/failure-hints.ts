// A plain-language next step for each failure kind (and a few specific Mattermost codes),
// shown next to the last error on the installation page.
import type { FailureKind } from '../errors/failure-kind';

const BY_CODE: Record<string, string> = {
  INVALID_WEBHOOK: 'Mattermost no longer knows this webhook (deleted, or its channel archived). Create a new incoming webhook and Reconnect.',
  TOKEN_INVALID: 'The access token was revoked or expired. Create a new personal access token and Reconnect.',
  WEBHOOKS_DISABLED: 'Incoming webhooks are disabled on this Mattermost server. Ask a System Admin to enable them (System Console > Integrations).',
  CHANNEL_NOT_FOUND: 'The channel does not exist in the webhook’s team (or is archived). Check the channel name, or clear it to use the webhook’s own channel.',
  CHANNEL_PERMISSION: 'The token’s user may not post in this channel. Add that user to the channel in Mattermost, then Retry (or Reconnect to check).',
  NOT_CHANNEL_MEMBER: 'The token’s user is not a member of this channel, so it cannot post there. Add the user to the channel, then connect again.',
  CHANNEL_LOCKED: 'This webhook is locked to its own channel. Clear the channel setting, or create a webhook for the channel you want.',
  URL_NOT_ALLOWED: 'FleetPrompt may not call this address (private or local network). Use the server’s public URL.',
  URL_INVALID: 'Copy the webhook URL again from Mattermost: Integrations > Incoming Webhooks.',
  DNS_FAILED: 'The Mattermost host name does not resolve. Check the URL.',
  // lib/executions/failure-codes.ts: an unclassified failure before any post was attempted.
  NOTHING_POSTED:
    'This run stopped before its digest was sent: nothing was posted to Mattermost. Retry it; if it fails again, open the digest preview for its window to see the error.',
};

const BY_KIND: Record<FailureKind, string> = {
  auth: 'Mattermost refused the credential. Reconnect Mattermost with a valid webhook URL or token.',
  rate_limit: 'Mattermost is rate-limiting requests. The run retries by itself; if it keeps happening, run less often.',
  network: 'Mattermost could not be reached. It will be retried; check that the server is up and reachable from FleetPrompt.',
  validation: 'Mattermost rejected the message or the settings. Check the channel and options, then Retry.',
  unknown: 'The outcome is unknown (Mattermost may or may not have posted). Check the channel before you Retry, to avoid a duplicate.',
};

// For a run that has ended: its retries are over, so nothing "retries by itself" any more.
const ENDED_BY_KIND: Partial<Record<FailureKind, string>> = {
  rate_limit: 'Mattermost was rate-limiting requests and this run has stopped trying. Retry it later; if it keeps happening, run less often.',
  network: 'Mattermost could not be reached and this run has stopped trying. Check that the server is up and reachable from FleetPrompt, then Retry.',
};

/**
 * The advice for a failure kind, or for a specific Mattermost code when one is known. `ended`:
 * the failure is a run's final outcome (the runs list, health), so no hint promises a retry.
 */
export function failureHint(kind: FailureKind | (string & {}) | null | undefined, code?: string | null, options: { ended?: boolean } = {}): string | null {
  // Own keys only: a code or kind such as "constructor" must not return an Object.prototype member.
  if (code && Object.hasOwn(BY_CODE, code)) return BY_CODE[code];
  if (!kind) return null;
  if (options.ended && Object.hasOwn(ENDED_BY_KIND, kind)) return ENDED_BY_KIND[kind as FailureKind] ?? null;
  return Object.hasOwn(BY_KIND, kind) ? BY_KIND[kind as FailureKind] : BY_KIND.unknown;
}
