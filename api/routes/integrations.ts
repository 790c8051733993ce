// The tenant's integrations: connect Mattermost once (verified, encrypted), see its status, who
// connected or disconnected it and when, which installations are bound to it (each with its own
// channel), list the channels a token can post to (the channel picker), disconnect it.
import { Router } from 'express';
import { withTenant } from '../../lib/db/with-tenant';
import { AppError } from '../../lib/errors/app-error';
import { connectTenantMattermost, MATTERMOST_PROVIDER, needsMattermost } from '../../lib/integrations/connect-tenant-mattermost';
import { disconnectMattermost } from '../../lib/integrations/disconnect-tenant-mattermost';
import { listMattermostChannels } from '../../lib/integrations/list-mattermost-channels';
import type { ComposedAppDeps } from '../app-deps';
import { requestActor, requireRole, tenantOf } from '../middleware/auth';
import { parseInput } from '../middleware/parse';
import { credentialView } from '../credential-view';
import { ZConnectCredentialBody } from './connection.schemas';
import { ZChannelsQuery } from './integrations.schemas';

export function integrationsRouter(deps: ComposedAppDeps): Router {
  const router = Router({ mergeParams: true });
  const admin = requireRole('owner', 'admin');

  // The package says where in its config its channel is (the contract's mattermostChannel).
  const channelOf = (slug: string, config: unknown): string | null => {
    const record = config && typeof config === 'object' && !Array.isArray(config) ? (config as Record<string, unknown>) : {};
    return deps.packages.find(slug)?.mattermostChannel?.(record) ?? null;
  };

  const state = async (tenantId: string) => {
    const { credential, installations } = await withTenant(deps.db, tenantId, async (tx) => {
      const link = await tx.tenantIntegration.findUnique({ where: { tenantId_provider: { tenantId, provider: MATTERMOST_PROVIDER } } });
      return {
        credential: link ? await tx.integrationCredential.findUnique({ where: { id: link.credentialId } }) : null,
        installations: await tx.installation.findMany({ where: { status: { not: 'uninstalled' } }, orderBy: { createdAt: 'asc' } }),
      };
    });
    const bindings = installations
      .filter((i) => needsMattermost(deps.packages, i.packageSlug, i.packageVersion))
      .map((i) => ({
        installation_id: i.id,
        package_slug: i.packageSlug,
        package_name: deps.packages.find(i.packageSlug)?.identity.name ?? i.packageSlug,
        status: i.status,
        channel: channelOf(i.packageSlug, i.config),
        bound_to: i.credentialId === null ? ('none' as const) : i.credentialId === credential?.id ? ('tenant' as const) : ('own' as const),
      }));
    const connection = await credentialView(deps, tenantId, credential);
    return { connection, bindings };
  };

  // Bring each changed installation's Temporal state in line now (the reconciler retries what fails).
  const apply = async (tenantId: string, ids: string[]) => {
    for (const installationId of ids) await deps.schedules.reconcile({ tenantId, installationId }).catch(() => null);
  };

  router.get('/mattermost', async (_req, res) => {
    res.json(await state(tenantOf(res).id));
  });

  router.put('/mattermost', admin, async (req, res) => {
    const body = parseInput(ZConnectCredentialBody, req.body ?? {}, 'connection');
    const tenant = tenantOf(res);
    const result = await connectTenantMattermost(deps, { tenantId: tenant.id, connect: body, ...requestActor(res) });
    await apply(tenant.id, result.affected);
    res.json({ ...(await state(tenant.id)), bound_now: result.bound, reconnect: result.reconnect });
  });

  // The picker: public channels the token's user can post to in the connection's team.
  router.get('/mattermost/channels', admin, async (req, res) => {
    const query = parseInput(ZChannelsQuery, req.query, 'query');
    const tenant = tenantOf(res);
    const credentialId = await withTenant(deps.db, tenant.id, async (tx) => {
      if (query.installation_id) {
        const installation = await tx.installation.findUnique({ where: { id: query.installation_id } });
        if (!installation || installation.status === 'uninstalled') throw new AppError('INSTALLATION_NOT_FOUND', 'No such installation in this tenant.');
        return installation.credentialId;
      }
      const link = await tx.tenantIntegration.findUnique({ where: { tenantId_provider: { tenantId: tenant.id, provider: MATTERMOST_PROVIDER } } });
      return link?.credentialId ?? null;
    });
    res.json(await listMattermostChannels(deps, { tenantId: tenant.id, credentialId }));
  });

  router.delete('/mattermost', admin, async (_req, res) => {
    const tenant = tenantOf(res);
    const link = await withTenant(deps.db, tenant.id, (tx) =>
      tx.tenantIntegration.findUnique({ where: { tenantId_provider: { tenantId: tenant.id, provider: MATTERMOST_PROVIDER } } }),
    );
    if (!link) throw new AppError('CREDENTIAL_NOT_FOUND', 'Mattermost is not connected for this organisation.');
    const { affected } = await withTenant(deps.db, tenant.id, (tx) =>
      disconnectMattermost(tx, { tenantId: tenant.id, credentialId: link.credentialId, packages: deps.packages, ...requestActor(res) }),
    );
    await apply(tenant.id, affected);
    res.status(204).end();
  });

  return router;
}
