// What is encrypted for a Mattermost credential, and the non-secret facts kept beside it.
import { z } from 'zod';
import { describeHost, maskWebhookUrl, secretFingerprint, type FingerprintKey } from '../crypto/fingerprint';
import type { MattermostTarget } from '../mattermost';

export const ZCredentialSecret = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('webhook'), webhook_url: z.string() }),
  z.object({ kind: z.literal('pat'), base_url: z.string(), token: z.string(), team: z.string().nullable() }),
]);
export type TCredentialSecret = z.infer<typeof ZCredentialSecret>;

export function toTarget(secret: TCredentialSecret): MattermostTarget {
  return secret.kind === 'webhook'
    ? { kind: 'webhook', webhookUrl: secret.webhook_url }
    : { kind: 'pat', baseUrl: secret.base_url, token: secret.token, team: secret.team ?? undefined };
}

/** The values that must be scrubbed from any text once this secret is in memory. */
export function secretValues(secret: TCredentialSecret): string[] {
  // The hook id is the path segment after /hooks/ (a query or fragment is not part of it).
  return secret.kind === 'webhook'
    ? [secret.webhook_url, /\/hooks\/([A-Za-z0-9]+)\/?(?:[?#].*)?$/.exec(secret.webhook_url)?.[1] ?? secret.webhook_url.split('/').pop() ?? '']
    : [secret.token];
}

export interface CredentialFacts {
  host: string;
  fingerprint: string;
  metadata: Record<string, string | null>;
}

/** The value a credential's fingerprint is computed over (the webhook URL, or the token). */
export function fingerprintSource(secret: TCredentialSecret): string {
  return secret.kind === 'webhook' ? secret.webhook_url : secret.token;
}

export function credentialFacts(secret: TCredentialSecret, key: FingerprintKey, extra: Record<string, string | null> = {}): CredentialFacts {
  const fingerprint = secretFingerprint(fingerprintSource(secret), key);
  if (secret.kind === 'webhook') {
    return { host: describeHost(secret.webhook_url) ?? 'unknown', fingerprint, metadata: { masked_url: maskWebhookUrl(secret.webhook_url), ...extra } };
  }
  return {
    host: describeHost(secret.base_url) ?? 'unknown',
    fingerprint,
    metadata: { base_url: new URL(secret.base_url).origin, team: secret.team, ...extra },
  };
}
