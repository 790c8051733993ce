// Turning untrusted text (tenant names, subjects, error messages) into one inert line of
// Mattermost Markdown: secrets scrubbed, control and bidi characters removed, cut to a length
// at a grapheme boundary, Markdown punctuation escaped, and @mentions, ~channel links and URLs
// broken with a zero-width space so they neither notify nor link.
import { runeLength } from './message-limit';
import { scrubSecrets } from '../secrets/scrub-secrets';

const ZWSP = '\u200B';
const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** Cuts to at most `maxRunes` runes including the ellipsis, never inside a grapheme (emoji). */
export function cutRunes(text: string, maxRunes: number): string {
  if (runeLength(text) <= maxRunes) return text;
  let out = '';
  let used = 0;
  for (const { segment } of segmenter.segment(text)) {
    const size = runeLength(segment);
    if (used + size > maxRunes - 1) break;
    out += segment;
    used += size;
  }
  return `${out.trimEnd()}…`;
}

// C0/C1 controls (newlines and tabs included: one item is one line), zero-width spaces and
// direction marks/overrides that could hide or reorder text. ZWJ/ZWNJ stay: emoji and some
// scripts need them.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/g;
const INVISIBLE = /[\u200B\u200E\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g;
const MARKDOWN = /[\\`*_~[\]<>|$#&!]/g;

export function safeInline(text: string | null | undefined, maxRunes: number): string {
  if (!text) return '';
  const flat = scrubSecrets(text.normalize('NFC'), { bareCredentials: true }).replace(CONTROL, ' ').replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();
  return (
    cutRunes(flat, maxRunes)
      .replace(MARKDOWN, (c) => `\\${c}`)
      .replace(/([@~])(?=[\p{L}\p{N}_.-])/gu, `$1${ZWSP}`)
      // Every "://" and every "www.", whatever stands before them: a word boundary is no guard,
      // since "1https://x" or "_https://x" is still a link to the autolinker (security probe).
      .replace(/:\/\//g, `:${ZWSP}//`)
      .replace(/www\./gi, (w) => `${w.slice(0, 3)}${ZWSP}.`)
  );
}
