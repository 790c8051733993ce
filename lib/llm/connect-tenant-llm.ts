// Connect (or replace) a tenant's own LLM key. The endpoint is checked first — the base URL goes
// through the outbound guard like any user-supplied URL, and the key is tried with GET /models
// (free: no tokens) — then the key and its base URL are encrypted together, bound to the tenant and
// the credential row. A key the provider refuses is not stored; the working one, if any, stays.
import { randomUUID } from 'node:crypto';
import OpenAI from 'openai';
import type { Keyring } from '../crypto/keyring';
import { secretFingerprint } from '../crypto/fingerprint';
import { encryptSecret } from '../crypto/secret-box';
import type { Db } from '../db/client';
import type { IntegrationCredential, Prisma } from '../db/generated/client';
import { withTenant } from '../db/with-tenant';
import { AppError } from '../errors/app-error';
import { rememberSecrets, runWithSecretScope } from '../secrets/secret-scope';
import { assertSafeOutboundUrl } from '../net/outbound-guard';
import { SIGNAL_TYPES } from '../signals/catalogue';
import { emitSignal } from '../signals/emit-signal';
import { guardedFetch } from './guarded-fetch';
import { LLM_PROVIDER, maskApiKey, type TLlmMetadata, type TLlmSecret } from './tenant-llm-credential';

export interface ConnectLlmInput {
  base_url: string;
  api_key: string;
  model: string;
  input_per_1k?: number | null;
  output_per_1k?: number | null;
}

export interface ConnectLlmDeps {
  db: Db;
  keyring: Keyring;
  allowedHosts: readonly string[];
  /** Deadline of the verification request (default 10 s). */
  timeoutMs?: number;
}

function rejected(kind: string, message: string, extra: Record<string, unknown> = {}): AppError {
  return new AppError('CREDENTIAL_REJECTED', message, { details: { kind, ...extra } });
}

/** Tries the key against GET {base}/models. Never passes the provider's own text on (a 401 quotes the key). */
async function verify(secret: TLlmSecret, model: string, deps: ConnectLlmDeps): Promise<{ verified_by: string; model_listed: boolean | null }> {
  try {
    await assertSafeOutboundUrl(secret.base_url, { allowedHosts: deps.allowedHosts });
  } catch (err) {
    throw rejected('validation', (err as Error).message, { code: (err as { code?: string }).code ?? 'URL_INVALID' });
  }
  const timeoutMs = deps.timeoutMs ?? 10_000;
  const client = new OpenAI({
    apiKey: secret.api_key,
    baseURL: secret.base_url,
    timeout: timeoutMs,
    maxRetries: 0,
    logLevel: 'off',
    fetch: guardedFetch({ allowedHosts: deps.allowedHosts, timeoutMs }),
  });
  try {
    const ids: string[] = [];
    for await (const m of client.models.list()) {
      ids.push(m.id);
      if (ids.length >= 1000) break;
    }
    return { verified_by: 'models', model_listed: ids.includes(model) };
  } catch (err) {
    if (err instanceof OpenAI.APIError && (err.status === 401 || err.status === 403))
      throw rejected('auth', 'The LLM provider refused this API key. Check the key (and that it belongs to this endpoint), then connect again.', {
        status: err.status,
      });
    // Some OpenAI-compatible servers (Azure deployments, minimal proxies) have no model list.
    if (err instanceof OpenAI.APIError && (err.status === 404 || err.status === 405)) return { verified_by: 'none', model_listed: null };
    if (err instanceof OpenAI.APIError && err.status !== undefined)
      throw rejected('unknown', `The LLM endpoint answered HTTP ${err.status}. Check the base URL (it usually ends in /v1).`, { status: err.status });
    throw rejected('network', 'The LLM endpoint could not be reached. Check the base URL and that it is reachable from FleetPrompt.');
  }
}

export async function connectTenantLlm(deps: ConnectLlmDeps, input: { tenantId: string; connect: ConnectLlmInput }): Promise<IntegrationCredential> {
  const { tenantId, connect } = input;
  const secret: TLlmSecret = { api_key: connect.api_key.trim(), base_url: connect.base_url.trim().replace(/\/+$/, '') };
  // Unverified, the key is known to the scrubber only while verifying it; then to this request.
  const verification = await runWithSecretScope(() => verify(secret, connect.model, deps), [secret.api_key]);
  rememberSecrets([secret.api_key]);
  const url = new URL(secret.base_url);
  const metadata: TLlmMetadata & Record<string, unknown> = {
    base_url: `${url.origin}${url.pathname}`.replace(/\/+$/, ''),
    model: connect.model,
    masked_key: maskApiKey(secret.api_key),
    input_per_1k: connect.input_per_1k ?? null,
    output_per_1k: connect.output_per_1k ?? null,
    verified_by: verification.verified_by,
    model_listed: verification.model_listed,
  };
  return withTenant(deps.db, tenantId, async (tx) => {
    // One LLM connection per tenant: connects are serialised, and a reconnect updates the row.
    await tx.$executeRaw`select pg_advisory_xact_lock(hashtext(${`llm-credential:${tenantId}`}))`;
    const existing = await tx.integrationCredential.findFirst({
      where: { provider: LLM_PROVIDER, status: { not: 'revoked' } },
      orderBy: { updatedAt: 'desc' },
    });
    const credentialId = existing?.id ?? randomUUID();
    const sealed = encryptSecret(deps.keyring, JSON.stringify(secret), { tenantId, credentialId });
    const data = {
      provider: LLM_PROVIDER,
      kind: 'api_key' as const,
      ciphertext: new Uint8Array(sealed.ciphertext),
      nonce: new Uint8Array(sealed.nonce),
      authTag: new Uint8Array(sealed.authTag),
      keyId: sealed.keyId,
      host: url.host,
      fingerprint: secretFingerprint(secret.api_key, { keyring: deps.keyring, keyId: sealed.keyId, tenantId }),
      metadata: metadata as Prisma.InputJsonObject,
      status: 'connected' as const,
      lastVerifiedAt: new Date(),
      lastError: null,
    };
    const credential = existing
      ? await tx.integrationCredential.update({ where: { id: credentialId }, data })
      : await tx.integrationCredential.create({ data: { id: credentialId, tenantId, ...data } });
    await emitSignal(tx, {
      tenantId,
      type: SIGNAL_TYPES.credentialConnected,
      source: 'fleetprompt.api',
      subject: `tenant:${tenantId}`,
      correlationId: `credential:${credentialId}`,
      payload: {
        credential_id: credentialId,
        provider: LLM_PROVIDER,
        kind: 'api_key',
        host: url.host,
        fingerprint: data.fingerprint,
        model: connect.model,
        reconnect: Boolean(existing),
        verified_by: verification.verified_by,
      },
    });
    return credential;
  });
}
