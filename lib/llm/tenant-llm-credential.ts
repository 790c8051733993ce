// A tenant's own LLM connection: an OpenAI-compatible base URL, an API key and a model, stored as a
// tenant-level integration credential (provider "llm", kind api_key; not bound to any installation).
// The key and the base URL it belongs to are encrypted together with the credential keyring (so
// the key is only ever sent where it was given for, and `npm run keys:rotate` re-encrypts it like
// every credential); the rest is non-secret metadata, shown with the key masked.
import { z } from 'zod';
import type { Keyring } from '../crypto/keyring';
import { decryptSecret } from '../crypto/secret-box';
import type { IntegrationCredential } from '../db/generated/client';
import type { Tx } from '../db/with-tenant';
import { rememberSecrets } from '../secrets/secret-scope';
import type { LlmProvider, PlatformLlm } from './llm-provider';

export const LLM_PROVIDER = 'llm';

export const ZLlmSecret = z.object({ api_key: z.string().min(1), base_url: z.string().min(1) });
export type TLlmSecret = z.infer<typeof ZLlmSecret>;

export const ZLlmMetadata = z.object({
  base_url: z.string(),
  model: z.string(),
  masked_key: z.string(),
  input_per_1k: z.number().nonnegative().nullable(),
  output_per_1k: z.number().nonnegative().nullable(),
});
export type TLlmMetadata = z.infer<typeof ZLlmMetadata>;

/** "sk-…abcd": enough to recognise a key, never enough to use it. */
export function maskApiKey(key: string): string {
  const prefix = /^[A-Za-z]{2,4}[-_]/.exec(key)?.[0] ?? '';
  return key.length >= 12 ? `${prefix}…${key.slice(-4)}` : '…';
}

/** The tenant's current (not revoked) LLM credential row, if any. */
export function findTenantLlmCredential(tx: Tx): Promise<IntegrationCredential | null> {
  return tx.integrationCredential.findFirst({ where: { provider: LLM_PROVIDER, status: { not: 'revoked' } }, orderBy: { updatedAt: 'desc' } });
}

/** Decrypts inside the calling process only; the key is registered with the log scrubber. */
export function tenantProvider(row: IntegrationCredential, keyring: Keyring, platform: PlatformLlm | undefined): LlmProvider {
  const plaintext = decryptSecret(
    keyring,
    { ciphertext: Buffer.from(row.ciphertext), nonce: Buffer.from(row.nonce), authTag: Buffer.from(row.authTag), keyId: row.keyId },
    { tenantId: row.tenantId, credentialId: row.id },
  );
  const secret = ZLlmSecret.parse(JSON.parse(plaintext));
  rememberSecrets([secret.api_key]); // scrubbed from the logs and errors of the work holding it
  const meta = ZLlmMetadata.parse(row.metadata);
  const own = meta.input_per_1k !== null && meta.output_per_1k !== null ? { inputPer1k: meta.input_per_1k, outputPer1k: meta.output_per_1k } : null;
  return {
    source: 'tenant',
    baseUrl: secret.base_url,
    model: meta.model,
    apiKey: secret.api_key,
    price: own ?? platform?.prices.get(meta.model) ?? null,
    credentialId: row.id,
  };
}
