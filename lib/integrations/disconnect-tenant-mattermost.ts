// Disconnecting the tenant's Mattermost connection: the secret is destroyed (revokeCredential),
// the row says who did it (a user, or the API token that sent the request) and when, and every
// installation bound to it records the change to its desired state, so its schedule is removed
// when that state is applied (a schedule exists only with a usable connection).
import type { Tx } from '../db/with-tenant';
import { revokeCredential } from '../credentials/revoke-credential';
import { changeInstallation, type ChangeActor } from '../installations/change-installation';
import type { PackageLookup } from '../installations/schedule-wanted';

export async function disconnectMattermost(
  tx: Tx,
  input: { tenantId: string; credentialId: string; actor: ChangeActor; tokenId?: string | null; packages: PackageLookup },
): Promise<{ revoked: boolean; affected: string[] }> {
  const { tenantId, credentialId, actor } = input;
  const revoked = await revokeCredential(tx, {
    tenantId,
    credentialId,
    reason: 'user_disconnected',
    userId: actor.kind === 'user' ? actor.userId : null,
    tokenId: input.tokenId ?? null,
  });
  if (!revoked) return { revoked, affected: [] }; // already disconnected: nothing changes again
  const bound = await tx.installation.findMany({ where: { credentialId, status: { not: 'uninstalled' } }, select: { id: true } });
  for (const { id } of bound) {
    await changeInstallation(tx, {
      tenantId,
      installationId: id,
      actor,
      packages: input.packages,
      change: 'credential.disconnected',
      details: { reason: 'user_disconnected', scope: 'tenant' },
    });
  }
  return { revoked, affected: bound.map((b) => b.id) };
}

/**
 * Disconnect from an installation's page (DELETE /installations/:id/credential, kept for API
 * compatibility): when the installation uses the organisation's connection, that connection is
 * disconnected (for every package bound to it); a connection of its own from before tenant
 * connections is revoked alone. Returns the installations whose state changed, or null when the
 * installation has no connection.
 */
export async function disconnectInstallationMattermost(
  tx: Tx,
  input: { tenantId: string; installationId: string; actor: ChangeActor; tokenId?: string | null; packages: PackageLookup },
): Promise<string[] | null> {
  const { tenantId, installationId, actor } = input;
  const installation = await tx.installation.findUnique({ where: { id: installationId } });
  if (!installation?.credentialId) return null;
  const credentialId = installation.credentialId;
  const shared = await tx.tenantIntegration.findFirst({ where: { credentialId } });
  if (shared) return (await disconnectMattermost(tx, { tenantId, credentialId, actor, tokenId: input.tokenId, packages: input.packages })).affected;
  const change = { tenantId, installationId, actor, packages: input.packages, change: 'credential.disconnected', details: { reason: 'user_disconnected' } };
  await changeInstallation(tx, change, async () => {
    await revokeCredential(tx, {
      tenantId,
      credentialId,
      reason: 'user_disconnected',
      userId: actor.kind === 'user' ? actor.userId : null,
      tokenId: input.tokenId ?? null,
    });
  });
  return [installationId];
}
