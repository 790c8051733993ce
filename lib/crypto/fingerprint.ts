// What the UI may show about a stored secret: a short fingerprint (to tell "same webhook as
// before?" at a glance), a masked webhook URL, and the host. None of these reveal the secret.
import { createHmac } from 'node:crypto';

// A fixed, public label: the fingerprint is a keyed hash only so it cannot be confused with a
// plain sha256 of the secret elsewhere. 32 bits cannot be reversed into a webhook key.
const LABEL = 'fleetprompt:credential-fingerprint:v1';

/** First 8 hex characters of HMAC-SHA256(label, secret). */
export function secretFingerprint(secret: string): string {
  return createHmac('sha256', LABEL).update(secret, 'utf8').digest('hex').slice(0, 8);
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
