// A tenant connects Mattermost once: the secret is verified (as for any connection), encrypted
// into one integration_credentials row that tenant_integrations names the tenant's connection,
// and every live installation that needs Mattermost but has no working connection binds to it
// (each keeps its own channel in its config). Reconnecting updates that same row, so every
// installation bound to it follows. One Mattermost workspace per tenant.
import { randomUUID } from 'node:crypto';
import { encryptSecret } from '../crypto/secret-box';
import type { IntegrationCredential, Prisma } from '../db/generated/client';
import { withTenant, type Tx } from '../db/with-tenant';
import { bytes, verifyConnection, type ConnectInput, type CredentialDeps } from '../credentials/connect-credential';
import { credentialFacts, secretValues, type TCredentialSecret } from '../credentials/credential-secret';
import type { PackageCatalog } from '../packages/catalog';
import { rememberSecrets, runWithSecretScope } from '../secrets/secret-scope';
import { SIGNAL_TYPES } from '../signals/catalogue';
import { emitSignal } from '../signals/emit-signal';

export const MATTERMOST_PROVIDER = 'mattermost';

function needsMattermost(packages: PackageCatalog, slug: string, version: string): boolean {
  try {
    return packages.version(slug, version).requiredIntegrations.some((i) => i.provider === MATTERMOST_PROVIDER);
  } catch {
    return false;
  }
}

/** Binds the tenant's live installations that need Mattermost and have no working connection. */
export async function bindUnconnectedInstallations(tx: Tx, packages: PackageCatalog, credentialId: string): Promise<string[]> {
  const installations = await tx.installation.findMany({ where: { status: { not: 'uninstalled' } } });
  const bound: string[] = [];
  for (const inst of installations) {
    if (inst.credentialId === credentialId || !needsMattermost(packages, inst.packageSlug, inst.packageVersion)) continue;
    const current = inst.credentialId ? await tx.integrationCredential.findUnique({ where: { id: inst.credentialId }, select: { status: true } }) : null;
    if (current && current.status !== 'revoked') continue; // a working connection of its own: kept
    const stored = inst.config && typeof inst.config === 'object' && !Array.isArray(inst.config) ? (inst.config as Record<string, unknown>) : {};
    await tx.installation.update({
      where: { id: inst.id },
      data: {
        credentialId,
        config: {
          ...stored,
          ...('mattermost_credential_id' in stored || inst.credentialId ? { mattermost_credential_id: credentialId } : {}),
        },
      },
    });
    bound.push(inst.id);
  }
  return bound;
}

export async function connectTenantMattermost(
  deps: CredentialDeps & { packages: PackageCatalog },
  input: { tenantId: string; connect: ConnectInput },
): Promise<{ credential: IntegrationCredential; bound: string[]; reconnect: boolean }> {
  const { tenantId, connect } = input;
  const secret: TCredentialSecret =
    connect.kind === 'webhook'
      ? { kind: 'webhook', webhook_url: connect.webhook_url.trim() }
      : { kind: 'pat', base_url: connect.base_url.trim().replace(/\/+$/, ''), token: connect.token.trim(), team: connect.team ?? null };
  const verification = await runWithSecretScope(() => verifyConnection(deps, secret, connect, null), secretValues(secret));
  rememberSecrets(secretValues(secret));

  return withTenant(deps.db, tenantId, async (tx) => {
    await tx.$executeRaw`select pg_advisory_xact_lock(hashtextextended(${`tenant-integration:${tenantId}:${MATTERMOST_PROVIDER}`}, 0))`;
    const existing = await tx.tenantIntegration.findUnique({ where: { tenantId_provider: { tenantId, provider: MATTERMOST_PROVIDER } } });
    const credentialId = existing?.credentialId ?? randomUUID();
    const sealed = encryptSecret(deps.keyring, JSON.stringify(secret), { tenantId, credentialId });
    const facts = credentialFacts(secret, { keyring: deps.keyring, keyId: sealed.keyId, tenantId }, verification);
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
      lastVerifiedAt: new Date(),
      lastError: null,
    };
    const row = existing ? await tx.integrationCredential.findUnique({ where: { id: credentialId } }) : null;
    const credential = row
      ? await tx.integrationCredential.update({ where: { id: credentialId }, data })
      : await tx.integrationCredential.create({ data: { id: credentialId, tenantId, ...data } });
    if (!existing) await tx.tenantIntegration.create({ data: { tenantId, provider: MATTERMOST_PROVIDER, credentialId } });
    const bound = await bindUnconnectedInstallations(tx, deps.packages, credentialId);
    await emitSignal(tx, {
      tenantId,
      type: SIGNAL_TYPES.credentialConnected,
      source: 'fleetprompt.api',
      subject: `tenant:${tenantId}`,
      correlationId: `credential:${credentialId}`,
      payload: {
        credential_id: credentialId,
        scope: 'tenant',
        kind: secret.kind,
        host: facts.host,
        fingerprint: facts.fingerprint,
        reconnect: Boolean(row),
        verified_by: verification.verified_by ?? null,
        bound_installations: bound.length,
      },
    });
    return { credential, bound, reconnect: Boolean(row) };
  });
}
