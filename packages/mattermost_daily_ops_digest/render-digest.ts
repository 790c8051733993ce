// One digest, rendered the one way a run, the replay and the settings preview all use: the
// message as posted (fitted to the installation's max_lines and Mattermost's length limit, with
// the truncation pointer) and the full digest the pointer opens, plus how Mattermost will show
// the sender (the username and icon overrides).
import { createHash } from 'node:crypto';
import { MATTERMOST_MESSAGE_RUNE_LIMIT } from '../../lib/mattermost/message-limit';
import type { TDigestConfig } from './config';
import type { DigestStats } from './digest-stats';
import { formatDigest, type FormattedDigest } from './format-digest';

export interface RenderedDigest {
  posted: FormattedDigest;
  full: FormattedDigest;
  contentHash: string;
  /** The overrides sent with the post (a webhook honours them only if the server allows overrides). */
  username: string | null;
  iconUrl: string | null;
  channel: string | null;
}

/** The page the truncation pointer opens: the full digest of this run (./ui/digest.html). */
export function fullDigestUrl(publicUrl: string | undefined, correlationId: string | null | undefined): string | undefined {
  if (!publicUrl || !correlationId) return undefined;
  return `${publicUrl.replace(/\/$/, '')}/digest?correlation=${encodeURIComponent(correlationId)}`;
}

/**
 * `lead`: already-safe lines under the header (the run's LLM summary or its one-line note); they
 * come on top of max_lines, and Mattermost's length budget covers them.
 */
export function renderDigest(
  stats: DigestStats,
  config: TDigestConfig,
  links: { publicUrl?: string; correlationId?: string | null },
  lead: readonly string[] = [],
): RenderedDigest {
  const adminUrl = fullDigestUrl(links.publicUrl, links.correlationId);
  const options = {
    maxLines: config.max_lines + lead.length,
    includeCostEstimates: config.include_cost_estimates,
    adminUrl,
    runeBudget: Math.min(12_000, MATTERMOST_MESSAGE_RUNE_LIMIT),
    lead,
  };
  const posted = formatDigest(stats, options);
  const full = posted.truncated ? formatDigest(stats, { ...options, untruncated: true }) : posted;
  return {
    posted,
    full,
    contentHash: createHash('sha256').update(posted.text).digest('hex'),
    username: config.post_as_username,
    iconUrl: config.post_icon_url,
    channel: config.channel,
  };
}
