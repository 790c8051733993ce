// Go's mime.ParseMediaType as Mattermost's webhook handler uses it: the type is lower-cased and
// checked strictly; malformed parameters only yield ErrInvalidMediaParameter, which the handler
// tolerates; a duplicate parameter is a hard error.

export type MediaTypeResult = { ok: true; mediaType: string; params: Record<string, string> } | { ok: false; reason: string };

const TSPECIALS = new Set('()<>@,;:\\"/[]?='.split(''));

function isTokenChar(ch: string): boolean {
  const code = ch.charCodeAt(0);
  return code > 0x20 && code < 0x7f && !TSPECIALS.has(ch);
}

function consumeToken(text: string): [string, string] {
  let i = 0;
  while (i < text.length && isTokenChar(text[i])) i++;
  return [text.slice(0, i), text.slice(i)];
}

export function parseMediaType(header: string): MediaTypeResult {
  const semi = header.indexOf(';');
  const base = (semi === -1 ? header : header.slice(0, semi)).toLowerCase().trim();
  const [type, rest] = consumeToken(base);
  if (type === '') return { ok: false, reason: 'mime: no media type' };
  if (rest !== '') {
    if (!rest.startsWith('/')) return { ok: false, reason: 'mime: expected slash after first token' };
    const [sub, after] = consumeToken(rest.slice(1));
    if (sub === '') return { ok: false, reason: 'mime: expected token after slash' };
    if (after !== '') return { ok: false, reason: 'mime: unexpected content after media subtype' };
  }

  const params: Record<string, string> = {};
  if (semi !== -1) {
    for (const raw of header.slice(semi + 1).split(';')) {
      const piece = raw.trim();
      if (piece === '') continue;
      const match = /^([^\s=]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^\s"]+)$/.exec(piece);
      if (!match || ![...match[1]].every(isTokenChar)) continue; // ErrInvalidMediaParameter: tolerated
      const key = match[1].toLowerCase();
      if (key in params) return { ok: false, reason: 'mime: duplicate parameter name' };
      const value = match[2].startsWith('"') ? match[2].slice(1, -1).replace(/\\(.)/g, '$1') : match[2];
      params[key] = value;
    }
  }
  return { ok: true, mediaType: base, params };
}
