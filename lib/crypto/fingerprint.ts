// What the UI may show about a stored secret: a short fingerprint (to tell "same webhook as
// before?" at a glance), a masked webhook URL, and the host. None of these reveal the secret.
import { createHmac, hkdfSync } from 'node:crypto';
import type { Keyring } from './keyring';

// The fingerprint is keyed with a server secret, per tenant: HMAC-SHA256 under a key derived
// (HKDF) from the encryption key that seals the credential, with the tenant id as context. An
// unkeyed hash let anyone holding a fingerprint confirm a guessed webhook URL offline, and showed
// the same webhook in two tenants as the same fingerprint. The key is the one named by the
// row's key_id, so re-encryption (npm run keys:rotate) recomputes the fingerprint with it.
const INFO = 'fleetprompt:credential-fingerprint:v2';

export interface FingerprintKey {
  keyring: Keyring;
  /** The encryption key id the credential is sealed with (its row's key_id). */
  keyId: string;
  tenantId: string;
}

/** First 8 hex characters of HMAC-SHA256(HKDF(key, tenant), secret). */
export function secretFingerprint(secret: string, key: FingerprintKey): string {
  const master = key.keyring.keys.get(key.keyId);
  if (!master) throw new Error(`secretFingerprint: key id "${key.keyId}" is not in the keyring`);
  const derived = Buffer.from(hkdfSync('sha256', master, Buffer.from(key.tenantId, 'utf8'), INFO, 32));
  return createHmac('sha256', derived).update(secret, 'utf8').digest('hex').slice(0, 8);
}

/**
 * `https://mm.example.com/hooks/abc…wxyz` → `https://mm.example.com/hooks/…wxyz`: scheme, host
 * and the last four characters of the hook key only. Anything else (a REST base URL, a path
 * that is not a hook) keeps scheme and host; an unparsable value shows nothing of itself.
 */
export function maskWebhookUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return '(invalid URL)';
  }
  const origin = `${parsed.protocol}//${parsed.host}`;
  const hook = /\/hooks\/([^/?#]+)\/?$/.exec(parsed.pathname);
  if (!hook) return `${origin}/…`;
  const key = hook[1];
  // A key too short to keep four characters back is shown not at all.
  return key.length >= 12 ? `${origin}/hooks/…${key.slice(-4)}` : `${origin}/hooks/…`;
}

/** The host (with port, if any) of a URL, for display and non-secret metadata; null if invalid. */
export function describeHost(url: string): string | null {
  try {
    const host = new URL(url.trim()).host;
    return host === '' ? null : host;
  } catch {
    return null;
  }
}
