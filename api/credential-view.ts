// A credential as the API shows it, with the names behind connected_by / disconnected_by: users
// are global rows, API tokens the tenant's (read under its row-level security).
import type { Db } from '../lib/db/client';
import type { IntegrationCredential } from '../lib/db/generated/client';
import { withTenant } from '../lib/db/with-tenant';
import { presentCredential, type CredentialActors } from './presenters';

export async function credentialActors(deps: { db: Db }, tenantId: string, c: IntegrationCredential): Promise<CredentialActors> {
  const userIds = [c.connectedByUserId, c.disconnectedByUserId].filter((x): x is string => Boolean(x));
  const tokenIds = [c.connectedByTokenId, c.disconnectedByTokenId].filter((x): x is string => Boolean(x));
  const [users, tokens] = await Promise.all([
    userIds.length ? deps.db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true, email: true } }) : [],
    tokenIds.length ? withTenant(deps.db, tenantId, (tx) => tx.apiToken.findMany({ where: { id: { in: tokenIds } }, select: { id: true, name: true } })) : [],
  ]);
  return { users: new Map(users.map((u) => [u.id, u])), tokens: new Map(tokens.map((t) => [t.id, t])) };
}

export async function credentialView(deps: { db: Db }, tenantId: string, credential: IntegrationCredential | null) {
  return credential ? presentCredential(credential, null, await credentialActors(deps, tenantId, credential)) : null;
}
