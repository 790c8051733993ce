// Connect or Reconnect Mattermost for an installation. The secret is verified first (webhook:
// a test post or a dry run; token: GET /users/me), then encrypted with AES-256-GCM bound to the
// tenant and credential id. A secret that fails verification is not stored: the working one, if
// any, stays in place.
import { randomUUID } from 'node:crypto';
import type { Keyring } from '../crypto/keyring';
import { encryptSecret } from '../crypto/secret-box';
import type { Db } from '../db/client';
import type { IntegrationCredential, Prisma } from '../db/generated/client';
import { withTenant, type Tx } from '../db/with-tenant';
import { AppError } from '../errors/app-error';
import { rememberSecrets, runWithSecretScope } from '../secrets/secret-scope';
import { assertWebhookUrlShape, isMattermostError, type MattermostClient } from '../mattermost';
import { assertSafeOutboundUrl } from '../net/outbound-guard';
import { OutboundBlockedError } from '../net/outbound-errors';
import { SIGNAL_TYPES } from '../signals/catalogue';
import { emitSignal } from '../signals/emit-signal';
import { changeInstallation, type ChangeActor } from '../installations/change-installation';
import { credentialFacts, secretValues, type TCredentialSecret } from './credential-secret';
import { failureHint } from './failure-hints';

export interface CredentialDeps {
  db: Db;
  keyring: Keyring;
  mattermost: MattermostClient;
  allowedHosts: readonly string[];
}

export type ConnectInput =
  { kind: 'webhook'; webhook_url: string; verify: 'test_post' | 'dry_run' } | { kind: 'pat'; base_url: string; token: string; team?: string | null };

/** Prisma's Bytes fields want a Uint8Array over a plain ArrayBuffer. */
export function bytes(buffer: Buffer): Uint8Array<ArrayBuffer> {
  return new Uint8Array(buffer);
}

function rejected(err: unknown): AppError {
  if (isMattermostError(err)) {
    return new AppError('CREDENTIAL_REJECTED', `Mattermost did not accept the connection: ${err.message}`, {
      details: { kind: err.kind, mattermost_code: err.code, status: err.status ?? null, hint: failureHint(err.kind, err.code) },
    });
  }
  if (err instanceof OutboundBlockedError || (err instanceof Error && err.name === 'OutboundBlockedError')) {
    // Same codes as classifyTransportError gives the test_post path for the same guard error.
    const blocked = (err as OutboundBlockedError).code;
    const code = blocked === 'DNS_FAILED' || blocked === 'URL_INVALID' ? blocked : 'URL_NOT_ALLOWED';
    return new AppError('CREDENTIAL_REJECTED', (err as Error).message, {
      details: { kind: 'validation', mattermost_code: code, hint: failureHint('validation', code) },
    });
  }
  return new AppError('CREDENTIAL_REJECTED', 'The connection could not be verified.', { details: { kind: 'unknown', hint: failureHint('unknown') } });
}

/** Verifies a secret with Mattermost (webhook: test post or dry run; token: /users/me and the channel, if any). */
export async function verifyConnection(
  deps: CredentialDeps,
  secret: TCredentialSecret,
  input: ConnectInput,
  channel: string | null,
): Promise<Record<string, string | null>> {
  try {
    if (secret.kind === 'webhook') {
      assertWebhookUrlShape(secret.webhook_url);
      if (input.kind === 'webhook' && input.verify === 'dry_run') {
        await assertSafeOutboundUrl(secret.webhook_url, { allowedHosts: deps.allowedHosts });
        return { verified_by: 'dry_run' };
      }
      await deps.mattermost.verifyWebhook({ kind: 'webhook', webhookUrl: secret.webhook_url }, { channel });
      return { verified_by: 'test_post' };
    }
    const user = await deps.mattermost.verifyToken(secret.base_url, secret.token);
    if (secret.team && channel) {
      // A team member can look up a public channel without being in it, but only members may
      // post: check membership, so a token that cannot post is refused here, not at 07:30.
      const channelId = await deps.mattermost.resolveChannelId(secret.base_url, secret.token, secret.team, channel);
      await deps.mattermost.verifyChannelMember(secret.base_url, secret.token, channelId);
      return { verified_by: 'users_me+channel_member', username: user.username };
    }
    return { verified_by: 'users_me', username: user.username };
  } catch (err) {
    throw rejected(err);
  }
}

export async function connectCredential(
  deps: CredentialDeps,
  input: {
    tenantId: string;
    installationId: string;
    connect: ConnectInput;
    /** The channel to verify with: the one the package's config names (null: none chosen yet). */
    channel: string | null;
    actor?: ChangeActor;
  },
): Promise<IntegrationCredential> {
  const { tenantId, installationId, connect } = input;
  const actor: ChangeActor = input.actor ?? { kind: 'system', source: 'api' };
  const secret: TCredentialSecret =
    connect.kind === 'webhook'
      ? { kind: 'webhook', webhook_url: connect.webhook_url.trim() }
      : { kind: 'pat', base_url: connect.base_url.trim().replace(/\/+$/, ''), token: connect.token.trim(), team: connect.team ?? null };

  const installation = await withTenant(deps.db, tenantId, (tx) => tx.installation.findUnique({ where: { id: installationId } }));
  if (!installation || installation.status === 'uninstalled') throw new AppError('INSTALLATION_NOT_FOUND', 'No such installation in this tenant.');
  const channel = input.channel;
  // Unverified, the typed secret is known only while verifying it (its echo in Mattermost's or
  // the guard's error is scrubbed); it joins the request's scope only once Mattermost accepted it.
  const verification = await runWithSecretScope(() => verifyConnection(deps, secret, connect, channel), secretValues(secret));
  rememberSecrets(secretValues(secret));

  return withTenant(deps.db, tenantId, async (tx) => {
    let credential: IntegrationCredential | undefined;
    await changeInstallation(tx, { tenantId, installationId, actor, change: 'credential.connected', details: { kind: secret.kind } }, async () => {
      credential = await saveCredential(tx);
    });
    return credential!;
  });

  async function saveCredential(tx: Tx): Promise<IntegrationCredential> {
    const current = await tx.installation.findUniqueOrThrow({ where: { id: installationId } });
    if (current.status === 'uninstalled') throw new AppError('INSTALLATION_NOT_FOUND', 'No such installation in this tenant.');
    const credentialId = current.credentialId ?? randomUUID();
    const sealed = encryptSecret(deps.keyring, JSON.stringify(secret), { tenantId, credentialId });
    const facts = credentialFacts(secret, { keyring: deps.keyring, keyId: sealed.keyId, tenantId }, verification);
    const data = {
      provider: 'mattermost',
      kind: secret.kind,
      ciphertext: bytes(sealed.ciphertext),
      nonce: bytes(sealed.nonce),
      authTag: bytes(sealed.authTag),
      keyId: sealed.keyId,
      host: facts.host,
      fingerprint: facts.fingerprint,
      metadata: facts.metadata as Prisma.InputJsonObject,
      status: 'connected' as const,
      lastVerifiedAt: new Date(),
      lastError: null,
      refusalCount: 0,
      firstRefusedAt: null,
      lastRefusalCode: null,
      disconnectedAt: null,
      disconnectedByUserId: null,
      disconnectReason: null,
    };
    const existing = current.credentialId ? await tx.integrationCredential.findUnique({ where: { id: credentialId } }) : null;
    const credential = existing
      ? await tx.integrationCredential.update({ where: { id: credentialId }, data })
      : await tx.integrationCredential.create({ data: { id: credentialId, tenantId, ...data } });
    // The stored config as it is, plus the id: reading it through the live schema would add fields
    // an older package version does not have (its schema is strict).
    const stored = current.config && typeof current.config === 'object' && !Array.isArray(current.config) ? (current.config as Record<string, unknown>) : {};
    const nextConfig = { ...stored, mattermost_credential_id: credentialId };
    await tx.installation.update({
      where: { id: installationId },
      data: {
        credentialId,
        config: nextConfig,
        ...(current.lastErrorKind === 'auth' ? { lastError: null, lastErrorKind: null } : {}),
      },
    });
    await emitSignal(tx, {
      tenantId,
      type: SIGNAL_TYPES.credentialConnected,
      source: 'fleetprompt.api',
      subject: `installation:${installationId}`,
      correlationId: `credential:${credentialId}`,
      payload: {
        credential_id: credentialId,
        installation_id: installationId,
        kind: secret.kind,
        host: facts.host,
        fingerprint: facts.fingerprint,
        reconnect: Boolean(existing),
        verified_by: verification.verified_by ?? null,
      },
    });
    return credential;
  }
}
