// Mattermost measures messages in runes (Unicode code points), not bytes or UTF-16 units.
// Over the limit, webhooks silently split the text into several posts and the REST API answers
// 400, so the digest renderer keeps below a budget instead.

/** The server's default maximum (posts.message VARCHAR(65535) / 4 bytes per rune). */
export const MATTERMOST_MAX_POST_RUNES = 16_383;

/**
 * Our budget for one message: under the server maximum, leaving room for a truncation notice
 * or a footer appended after rendering. (Servers on very old schemas may allow only 4,000.)
 */
export const MATTERMOST_MESSAGE_RUNE_LIMIT = 16_000;

/** Mattermost's default ServiceSettings.MaximumPayloadSizeBytes for a request body. */
export const MATTERMOST_MAX_REQUEST_BYTES = 300_000;

/** Number of Unicode code points, as Go's utf8.RuneCountInString counts them. */
export function runeLength(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}
