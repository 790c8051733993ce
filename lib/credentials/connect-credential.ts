// Connect or Reconnect Mattermost from an installation (PUT /installations/:id/credential, kept
// for API compatibility): an alias of the tenant's connection. Mattermost is connected once per
// tenant (lib/integrations/connect-tenant-mattermost.ts), verified with this installation's
// channel (its caller, the package, names it), and this installation binds to it — also when it
// had a connection of its own from before tenant connections. There is one place that seals and
// stores a secret: that one.
import type { IntegrationCredential } from '../db/generated/client';
import { withTenant } from '../db/with-tenant';
import { AppError } from '../errors/app-error';
import type { ChangeActor } from '../installations/change-installation';
import { connectTenantMattermost } from '../integrations/connect-tenant-mattermost';
import type { PackageCatalog } from '../packages/catalog';
import type { ConnectInput, CredentialDeps } from './verify-connection';

export type { ConnectInput, CredentialDeps } from './verify-connection';

export async function connectCredential(
  deps: CredentialDeps & { packages: PackageCatalog },
  input: {
    tenantId: string;
    installationId: string;
    connect: ConnectInput;
    /** The channel to verify with: the one the package's config names (null: none chosen yet). */
    channel: string | null;
    actor?: ChangeActor;
    tokenId?: string | null;
  },
): Promise<{ credential: IntegrationCredential; affected: string[] }> {
  const { tenantId, installationId } = input;
  const installation = await withTenant(deps.db, tenantId, (tx) => tx.installation.findUnique({ where: { id: installationId } }));
  if (!installation || installation.status === 'uninstalled') throw new AppError('INSTALLATION_NOT_FOUND', 'No such installation in this tenant.');
  const { credential, affected } = await connectTenantMattermost(deps, {
    tenantId,
    connect: input.connect,
    actor: input.actor ?? { kind: 'system', source: 'api' },
    tokenId: input.tokenId ?? null,
    verifyChannel: input.channel,
    viaInstallationId: installationId,
  });
  return { credential, affected };
}
