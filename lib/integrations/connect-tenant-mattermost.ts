// A tenant connects Mattermost once: the secret is verified (as for any connection), encrypted
// into one integration_credentials row that tenant_integrations names the tenant's connection,
// and every live installation that needs Mattermost but has no working connection binds to it
// (each keeps its own channel in its config). Reconnecting updates that same row, so every
// installation bound to it follows. One Mattermost workspace per tenant. This is the one place
// a Mattermost secret is sealed and stored (the installation's Connect is an alias of it).
import { randomUUID } from 'node:crypto';
import { encryptSecret } from '../crypto/secret-box';
import type { IntegrationCredential, Prisma } from '../db/generated/client';
import { withTenant, type Tx } from '../db/with-tenant';
import { bytes, secretOf, verifyConnection, type ConnectInput, type CredentialDeps } from '../credentials/verify-connection';
import { credentialFacts, secretValues, type TCredentialSecret } from '../credentials/credential-secret';
import { changeInstallation, type ChangeActor } from '../installations/change-installation';
import type { PackageCatalog } from '../packages/catalog';
import { rememberSecrets, runWithSecretScope } from '../secrets/secret-scope';
import { SIGNAL_TYPES } from '../signals/catalogue';
import { emitSignal } from '../signals/emit-signal';

export const MATTERMOST_PROVIDER = 'mattermost';

export function needsMattermost(packages: PackageCatalog, slug: string, version: string): boolean {
  try {
    return packages.version(slug, version).requiredIntegrations.some((i) => i.provider === MATTERMOST_PROVIDER);
  } catch {
    return false;
  }
}

export interface ConnectTenantInput {
  tenantId: string;
  connect: ConnectInput;
  actor: ChangeActor;
  /** The API token that sent the request (a bearer token has no user). */
  tokenId?: string | null;
  /** Also check that the token's user may post in this channel (a Connect from an installation). */
  verifyChannel?: string | null;
  /** Connected from this installation's page: it binds to the connection even if it had its own. */
  viaInstallationId?: string;
}

export interface ConnectTenantResult {
  credential: IntegrationCredential;
  /** Installations that were not bound to the tenant's connection and now are. */
  bound: string[];
  /** Every installation whose connection this changed (newly bound, or already bound): apply their state. */
  affected: string[];
  reconnect: boolean;
}

/** Seals the secret into the credential row (new or the same id again) with who connected it and when. */
async function storeCredential(
  tx: Tx,
  deps: CredentialDeps,
  input: {
    tenantId: string;
    credentialId: string;
    secret: TCredentialSecret;
    verification: Record<string, string | null>;
    userId: string | null;
    tokenId: string | null;
  },
): Promise<{ credential: IntegrationCredential; reconnect: boolean }> {
  const { tenantId, credentialId, secret } = input;
  const sealed = encryptSecret(deps.keyring, JSON.stringify(secret), { tenantId, credentialId });
  const facts = credentialFacts(secret, { keyring: deps.keyring, keyId: sealed.keyId, tenantId }, input.verification);
  const now = new Date();
  const data = {
    provider: MATTERMOST_PROVIDER,
    kind: secret.kind,
    ciphertext: bytes(sealed.ciphertext),
    nonce: bytes(sealed.nonce),
    authTag: bytes(sealed.authTag),
    keyId: sealed.keyId,
    host: facts.host,
    fingerprint: facts.fingerprint,
    metadata: facts.metadata as Prisma.InputJsonObject,
    status: 'connected' as const,
    lastVerifiedAt: now,
    lastError: null,
    // A fresh, verified secret: earlier refusals and a disconnect no longer describe it.
    refusalCount: 0,
    firstRefusedAt: null,
    lastRefusalCode: null,
    disconnectedAt: null,
    disconnectedByUserId: null,
    disconnectedByTokenId: null,
    disconnectReason: null,
    connectedAt: now,
    connectedByUserId: input.userId,
    connectedByTokenId: input.tokenId,
  };
  const existing = await tx.integrationCredential.findUnique({ where: { id: credentialId } });
  const credential = existing
    ? await tx.integrationCredential.update({ where: { id: credentialId }, data })
    : await tx.integrationCredential.create({ data: { id: credentialId, tenantId, ...data } });
  return { credential, reconnect: Boolean(existing) };
}

/**
 * Binds installations to the connection: those already bound (their connection just changed),
 * those that need Mattermost and have no working one, and `forced` (connected from its page).
 * Each binding is a recorded change of the installation's desired state.
 */
async function bindInstallations(
  tx: Tx,
  input: { tenantId: string; packages: PackageCatalog; credentialId: string; forced?: string; actor: ChangeActor; kind: string },
): Promise<{ bound: string[]; affected: string[] }> {
  const { credentialId } = input;
  const installations = await tx.installation.findMany({ where: { status: { not: 'uninstalled' } }, orderBy: { createdAt: 'asc' } });
  const bound: string[] = [];
  const affected: string[] = [];
  for (const inst of installations) {
    const forced = inst.id === input.forced;
    if (!forced && !needsMattermost(input.packages, inst.packageSlug, inst.packageVersion)) continue;
    const already = inst.credentialId === credentialId;
    if (!already && !forced && inst.credentialId) {
      const own = await tx.integrationCredential.findUnique({ where: { id: inst.credentialId }, select: { status: true } });
      if (own && own.status !== 'revoked') continue; // a working connection of its own: kept
    }
    const stored = inst.config && typeof inst.config === 'object' && !Array.isArray(inst.config) ? (inst.config as Record<string, unknown>) : {};
    const config = forced || 'mattermost_credential_id' in stored || inst.credentialId ? { ...stored, mattermost_credential_id: credentialId } : stored;
    await changeInstallation(
      tx,
      {
        tenantId: input.tenantId,
        installationId: inst.id,
        actor: input.actor,
        packages: input.packages,
        change: 'credential.connected',
        details: { kind: input.kind, scope: 'tenant' },
      },
      async () => {
        await tx.installation.update({
          where: { id: inst.id },
          // The stored config as it is, plus the id: reading it through the live schema would add
          // fields an older package version does not have (its schema is strict).
          data: { credentialId, config: config as Prisma.InputJsonObject, ...(inst.lastErrorKind === 'auth' ? { lastError: null, lastErrorKind: null } : {}) },
        });
      },
    );
    if (!already) bound.push(inst.id);
    affected.push(inst.id);
  }
  return { bound, affected };
}

export async function connectTenantMattermost(deps: CredentialDeps & { packages: PackageCatalog }, input: ConnectTenantInput): Promise<ConnectTenantResult> {
  const { tenantId, connect, actor } = input;
  const secret = secretOf(connect);
  // Unverified, the typed secret is known only while verifying it (its echo in Mattermost's or
  // the guard's error is scrubbed); it joins the request's scope only once Mattermost accepted it.
  const verification = await runWithSecretScope(() => verifyConnection(deps, secret, connect, input.verifyChannel ?? null), secretValues(secret));
  rememberSecrets(secretValues(secret));

  return withTenant(deps.db, tenantId, async (tx) => {
    await tx.$executeRaw`select pg_advisory_xact_lock(hashtextextended(${`tenant-integration:${tenantId}:${MATTERMOST_PROVIDER}`}, 0))`;
    const link = await tx.tenantIntegration.findUnique({ where: { tenantId_provider: { tenantId, provider: MATTERMOST_PROVIDER } } });
    // The tenant's row; before there was one, the row of the installation connecting (its id stays).
    const via = input.viaInstallationId ? await tx.installation.findUnique({ where: { id: input.viaInstallationId }, select: { credentialId: true } }) : null;
    const credentialId = link?.credentialId ?? via?.credentialId ?? randomUUID();
    const { credential, reconnect } = await storeCredential(tx, deps, {
      tenantId,
      credentialId,
      secret,
      verification,
      userId: actor.kind === 'user' ? actor.userId : null,
      tokenId: input.tokenId ?? null,
    });
    if (!link) await tx.tenantIntegration.create({ data: { tenantId, provider: MATTERMOST_PROVIDER, credentialId } });
    const { bound, affected } = await bindInstallations(tx, {
      tenantId,
      packages: deps.packages,
      credentialId,
      forced: input.viaInstallationId,
      actor,
      kind: secret.kind,
    });
    const via_ = input.viaInstallationId;
    await emitSignal(tx, {
      tenantId,
      type: SIGNAL_TYPES.credentialConnected,
      source: 'fleetprompt.api',
      subject: via_ ? `installation:${via_}` : `tenant:${tenantId}`,
      correlationId: `credential:${credentialId}`,
      payload: {
        credential_id: credentialId,
        scope: 'tenant',
        ...(via_ ? { installation_id: via_ } : {}),
        kind: secret.kind,
        host: credential.host,
        fingerprint: credential.fingerprint,
        reconnect,
        verified_by: verification.verified_by ?? null,
        bound_installations: bound.length,
      },
    });
    return { credential, bound, affected, reconnect };
  });
}
