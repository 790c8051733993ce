// The model's answer is untrusted text. It becomes at most a few inert lines of the digest:
// headings, quotes and list markers demoted to plain text, then every line through the digest's
// own safeInline (secrets scrubbed, Markdown escaped, @all/@channel/@here/~channel and <!…>
// broken, links neutralised), and the whole cut to a fixed length.
import { runeLength } from '../../../lib/mattermost/message-limit';
import { safeInline } from '../../../lib/mattermost/safe-text';

export const SUMMARY_MAX_LINES = 4;
export const SUMMARY_MAX_RUNES = 600;
const LINE_MAX_RUNES = 300;

// Leading Markdown block syntax: headings, block quotes, list markers, horizontal rules.
const BLOCK_PREFIX = /^(?:\s*(?:#{1,6}(?=\s|$)|>+|[-*+•](?=\s)|\d{1,3}[.)](?=\s)))+\s*/;
const RULE = /^\s*(?:[-*_]\s*){3,}$/;
const FENCE = /^\s*(?:`{3,}|~{3,})/;

/** The answer as digest lines, or null when nothing usable is left (then the digest falls back). */
export function sanitizeSummary(raw: unknown): string[] | null {
  if (typeof raw !== 'string') return null;
  const out: string[] = [];
  let used = 0;
  for (const line of raw.normalize('NFC').split(/\r\n|\r|\n|\u2028|\u2029/)) {
    if (out.length >= SUMMARY_MAX_LINES) break;
    if (RULE.test(line) || FENCE.test(line)) continue;
    const text = safeInline(line.replace(BLOCK_PREFIX, ''), Math.min(LINE_MAX_RUNES, SUMMARY_MAX_RUNES - used));
    if (!text) continue;
    out.push(text);
    used += runeLength(text);
    if (used >= SUMMARY_MAX_RUNES - 1) break;
  }
  return out.length > 0 ? out : null;
}
