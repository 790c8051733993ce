// Redaction for everything this process stores, logs or returns: free text goes through the one
// scrubber (lib/secrets/scrub-secrets.ts) with the secret values of the current scope (the
// request or activity that holds them: lib/secrets/secret-scope.ts); objects are walked, and
// fields whose name says "secret" are censored whatever their value.
import { REDACTED, scrubSecrets } from '../secrets/scrub-secrets';
import { scopedSecrets } from '../secrets/secret-scope';

export function redactSecrets(text: string): string {
  return scrubSecrets(text, { knownSecrets: scopedSecrets() });
}

// Field names whose value is a secret whatever it looks like (compared without "_" / "-" and
// case): the value is replaced at any depth of a log line, not only at the fixed pino paths.
const SECRET_FIELDS = new Set([
  'password',
  'passwd',
  'secret',
  'clientsecret',
  'token',
  'accesstoken',
  'refreshtoken',
  'idtoken',
  'apikey',
  'apitoken',
  'authorization',
  'proxyauthorization',
  'cookie',
  'setcookie',
  'webhookurl',
  'hookurl',
  'privatekey',
  'csrftoken',
  'sessiontoken',
  'encryptionkeys',
  'ciphertext',
  'authtag',
  'nonce',
]);

export function isSecretFieldName(key: string): boolean {
  return SECRET_FIELDS.has(key.replace(/[-_]/g, '').toLowerCase());
}

function redactValue(value: unknown, censorSecretFields: boolean, depth: number): unknown {
  if (typeof value === 'string') return redactSecrets(value);
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return redactSecrets(value.message);
  if (Array.isArray(value)) return value.map((v) => redactValue(v, censorSecretFields, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = censorSecretFields && isSecretFieldName(k) && v !== null && v !== undefined ? REDACTED : redactValue(v, censorSecretFields, depth + 1);
  }
  return out;
}

/** Every string in a value scrubbed (execution log data, error details). */
export function redactSecretsDeep(value: unknown): unknown {
  return redactValue(value, false, 0);
}

/** For log lines: secret-named fields censored at any depth, then every string scrubbed. */
export function redactForLog(value: unknown): unknown {
  return redactValue(value, true, 0);
}
