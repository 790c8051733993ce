// A last line of defence for text that ends up in a Mattermost post: anything shaped like a
// webhook URL, credentials in a URL, a bearer token, a secret query parameter or a long token
// is replaced. Failure messages come from HTTP clients and tenants' own systems, and those
// happily echo request URLs and headers.

const RULES: Array<[RegExp, string]> = [
  // The hook id is the credential: drop the whole URL-ish word around /hooks/.
  [/[^\s<>"'`()[\]]*\/hooks\/[^\s<>"'`()[\]]*/gi, '[redacted webhook URL]'],
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi, '$1[redacted]@'],
  [/([?&;](?:access_token|token|api_key|apikey|key|secret|password|sig|signature|auth)=)[^&\s#]+/gi, '$1[redacted]'],
  [/\b(bearer|basic|token)(\s+)[A-Za-z0-9._~+/=-]{8,}/gi, '$1$2[redacted]'],
  [/\b(password|passwd|secret|api[_-]?key|access[_-]?token|authorization|x-auth-token)(["']?\s*[:=]\s*["']?)[^\s"',;]+/gi, '$1$2[redacted]'],
  // Mattermost tokens and hook ids: 26 characters of [a-z0-9].
  [/\b(?=[a-z]*[0-9])[a-z0-9]{26}\b/g, '[redacted]'],
];

// Long mixed letter/digit runs (API keys, JWT parts, hashes); UUIDs are ids, not secrets.
const LONG_TOKEN = /[A-Za-z0-9_\-+/=.]{32,}/g;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function scrubSecrets(text: string): string {
  let out = text;
  for (const [pattern, replacement] of RULES) out = out.replace(pattern, replacement);
  return out.replace(LONG_TOKEN, (word) =>
    UUID.test(word) || !/[0-9]/.test(word) || !/[A-Za-z]/.test(word) ? word : '[redacted]',
  );
}
