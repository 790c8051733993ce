// Removes secrets that hide inside free text: Mattermost webhook URLs (the hook id is the
// credential), bearer tokens, token query parameters, secrets assigned in text (`token=…`) and
// registered secret values. Used on every log line and every error message that is stored or
// returned.

const HOOK_URL = /(https?:\/\/[^\s"'<>]*?\/hooks\/)[A-Za-z0-9]+/g;
const BEARER = /(bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi;
const TOKEN_PARAM = /([?&](?:token|access_token|api_key)=)[^&\s"']+/gi;
// A secret assigned or labelled in free text: `token=…`, `password: "…"` (echoed configs, errors).
const SECRET_KEY = String.raw`\b(password|passwd|secret|client_secret|token|access_token|refresh_token|api[_-]?key)`;
const ASSIGNED = new RegExp(`${SECRET_KEY}(["']?\\s*=\\s*["']?)(?!\\[redacted\\])[^\\s&"',;)}\\]]+`, 'gi');
const LABELLED = new RegExp(`${SECRET_KEY}(["']?\\s*:\\s*["']?)(?=[A-Za-z0-9._~+/=-]*\\d)[A-Za-z0-9._~+/=-]{12,}`, 'gi');
const KNOWN = new Set<string>();

/** Registers a secret value (e.g. a decrypted token) to be scrubbed from any text. */
export function registerSecret(value: string): void {
  if (value.length >= 8) KNOWN.add(value);
}

export function redactSecrets(text: string): string {
  let out = text
    .replace(HOOK_URL, '$1[redacted]')
    .replace(BEARER, '$1[redacted]')
    .replace(TOKEN_PARAM, '$1[redacted]')
    .replace(ASSIGNED, '$1$2[redacted]')
    .replace(LABELLED, '$1$2[redacted]');
  for (const secret of KNOWN) {
    if (out.includes(secret)) out = out.split(secret).join('[redacted]');
  }
  return out;
}

export function redactSecretsDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactSecrets(value);
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return redactSecrets(value.message);
  if (Array.isArray(value)) return value.map((v) => redactSecretsDeep(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = redactSecretsDeep(v, depth + 1);
  return out;
}

// Field names whose value is a secret whatever it looks like (compared without "_" / "-" and
// case): the value is replaced at any depth of a log line, not only at the fixed pino paths.
const SECRET_FIELDS = new Set([
  'password', 'passwd', 'secret', 'clientsecret', 'token', 'accesstoken', 'refreshtoken', 'idtoken', 'apikey', 'apitoken',
  'authorization', 'proxyauthorization', 'cookie', 'setcookie', 'webhookurl', 'hookurl', 'privatekey', 'csrftoken',
  'sessiontoken', 'encryptionkeys', 'ciphertext', 'authtag', 'nonce',
]);

export function isSecretFieldName(key: string): boolean {
  return SECRET_FIELDS.has(key.replace(/[-_]/g, '').toLowerCase());
}

/** For log lines: secret-named fields censored at any depth, then every string scrubbed. */
export function redactForLog(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactSecrets(value);
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return redactSecrets(value.message);
  if (Array.isArray(value)) return value.map((v) => redactForLog(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = isSecretFieldName(k) && v !== null && v !== undefined ? '[redacted]' : redactForLog(v, depth + 1);
  return out;
}
