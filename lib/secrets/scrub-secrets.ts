// The one secret scrubber: a pure function of a text and the secret values known to the caller.
// Every place that stores, logs, returns or posts free text (log lines, error messages,
// execution logs, digest lines) goes through it. It keys on *where* a secret stands (a webhook
// path, URL credentials, a secret query parameter, an Authorization scheme, `password=`), and on
// the shape of the value, so that ordinary words after those labels survive ("token rejected",
// "password reset", "Bearer realm") while credential-shaped values do not.

export const REDACTED = '[redacted]';

export interface ScrubOptions {
  /** Exact secret values to remove wherever they appear (decrypted tokens, hook ids). Values under 8 characters are ignored. */
  knownSecrets?: Iterable<string>;
  /**
   * Also remove bare credential-shaped words with no label: 26-character Mattermost ids/tokens and
   * 32+ character letter-and-digit runs (API keys, JWT parts), UUIDs excepted; and drop a webhook
   * URL whole. For text shown to people outside the operator's view (Mattermost posts), where no
   * such id or URL is needed; logs keep ids and the webhook's host.
   */
  bareCredentials?: boolean;
}

const MIN_KNOWN_SECRET_LENGTH = 8;

// Names whose value is a secret, as they appear in query strings, configs, headers and JSON.
const SECRET_NAMES = String.raw`(?:password|passwd|secret|client[_-]?secret|token|access[_-]?token|refresh[_-]?token|id[_-]?token|auth[_-]?token|api[_-]?(?:key|token)|apikey|private[_-]?key|x-auth-token|x-api-key|hook[_-]?id|webhook[_-]?key)`;
const CREDENTIAL_CHARS = String.raw`[A-Za-z0-9_.~+/=-]`;

// Mattermost's incoming-webhook URL carries its credential in the path: …/hooks/<hook id>.
const WEBHOOK_PATH = /(\/hooks\/)[A-Za-z0-9]+/gi;
// scheme://user:password@host
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@"'<>]+@/gi;
const SECRET_QUERY_PARAM = new RegExp(String.raw`([?&;](?:${SECRET_NAMES}|key|sig|signature|auth)=)[^&\s#"'<>]+`, 'gi');
// An Authorization scheme and its credentials, in a header or in prose ("token kq3p…").
const SCHEME_CREDENTIAL = new RegExp(String.raw`\b(bearer|basic|token)(\s+)(${CREDENTIAL_CHARS}{8,})`, 'gi');
// name=value (configs, command lines, query-ish text): the value is a secret whatever it looks like.
const ASSIGNED = new RegExp(String.raw`\b(${SECRET_NAMES})(["']?\s*=\s*["']?)(?!\[redacted\])[^\s&"',;)}\]]+`, 'gi');
// "name": "value" (echoed JSON) and name: 'value' — a quoted value is a value, not prose.
const QUOTED_LABEL = new RegExp(String.raw`\b(${SECRET_NAMES}|authorization|cookie)(["']?\s*:\s*)(["'])(?!\[redacted\])[^"'\n]+\3`, 'gi');
// name: value (headers, logfmt-ish prose): redacted only when the value looks like a credential.
const LABELLED = new RegExp(
  String.raw`\b(${SECRET_NAMES}|authorization|proxy-authorization|cookie)(\s*:\s*)((?:bearer|basic|token)\s+)?(${CREDENTIAL_CHARS}{8,})`,
  'gi',
);

// The whole URL-ish word around /hooks/, for posts.
const WEBHOOK_URL_WORD = /[^\s<>"'`()[\]]*\/hooks\/[^\s<>"'`()[\]]*/gi;
const MATTERMOST_ID = /\b(?=[a-z]*[0-9])[a-z0-9]{26}\b/g;
const LONG_TOKEN = /[A-Za-z0-9_\-+/=.]{32,}/g;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether a word after a secret label is a credential rather than prose: real tokens have a
 * digit, a capital after the first letter, or punctuation of base64/JWT ("rejected", "expired",
 * "Authentication" are words).
 */
export function looksLikeCredential(word: string): boolean {
  return /[0-9]/.test(word) || /[A-Z]/.test(word.slice(1)) || /[._~+/=]/.test(word) || word.length >= 40;
}

function removeKnown(text: string, knownSecrets: Iterable<string>): string {
  // Longest first, so a secret that contains another is removed whole.
  const values = [...new Set(knownSecrets)].filter((v) => v.length >= MIN_KNOWN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
  let out = text;
  for (const value of values) if (out.includes(value)) out = out.split(value).join(REDACTED);
  return out;
}

export function scrubSecrets(text: string, options: ScrubOptions = {}): string {
  let out = options.knownSecrets ? removeKnown(text, options.knownSecrets) : text;
  if (options.bareCredentials) out = out.replace(WEBHOOK_URL_WORD, '[redacted webhook URL]');
  out = out
    .replace(WEBHOOK_PATH, `$1${REDACTED}`)
    .replace(URL_USERINFO, `$1${REDACTED}@`)
    .replace(SECRET_QUERY_PARAM, `$1${REDACTED}`)
    .replace(SCHEME_CREDENTIAL, (match, scheme: string, space: string, value: string) => (looksLikeCredential(value) ? `${scheme}${space}${REDACTED}` : match))
    .replace(ASSIGNED, `$1$2${REDACTED}`)
    .replace(QUOTED_LABEL, `$1$2$3${REDACTED}$3`)
    .replace(LABELLED, (match, name: string, colon: string, scheme: string | undefined, value: string) =>
      looksLikeCredential(value) ? `${name}${colon}${scheme ?? ''}${REDACTED}` : match,
    );
  if (!options.bareCredentials) return out;
  return out
    .replace(MATTERMOST_ID, REDACTED)
    .replace(LONG_TOKEN, (word) => (UUID.test(word) || !/[0-9]/.test(word) || !/[A-Za-z]/.test(word) ? word : REDACTED));
}
