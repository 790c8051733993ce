// The tenant's integrations: connect Mattermost once (verified, encrypted), see its status and
// which installations are bound to it (each with its own channel), disconnect it.
import { Router } from 'express';
import { withTenant } from '../../lib/db/with-tenant';
import { AppError } from '../../lib/errors/app-error';
import { connectTenantMattermost, MATTERMOST_PROVIDER } from '../../lib/integrations/connect-tenant-mattermost';
import { revokeCredential } from '../../lib/credentials/revoke-credential';
import type { ComposedAppDeps } from '../app';
import { requireRole, tenantOf } from '../middleware/auth';
import { parseInput } from '../middleware/parse';
import { presentCredential } from '../presenters';
import { ZConnectCredentialBody } from './connection.schemas';

export function integrationsRouter(deps: ComposedAppDeps): Router {
  const router = Router({ mergeParams: true });
  const admin = requireRole('owner', 'admin');

  const state = (tenantId: string) =>
    withTenant(deps.db, tenantId, async (tx) => {
      const link = await tx.tenantIntegration.findUnique({ where: { tenantId_provider: { tenantId, provider: MATTERMOST_PROVIDER } } });
      const credential = link ? await tx.integrationCredential.findUnique({ where: { id: link.credentialId } }) : null;
      const installations = await tx.installation.findMany({ where: { status: { not: 'uninstalled' } }, orderBy: { createdAt: 'asc' } });
      const bindings = installations
        .filter((i) =>
          deps.packages
            .find(i.packageSlug)
            ?.versions.some((v) => v.version === i.packageVersion && v.requiredIntegrations.some((r) => r.provider === MATTERMOST_PROVIDER)),
        )
        .map((i) => ({
          installation_id: i.id,
          package_slug: i.packageSlug,
          channel: typeof (i.config as { channel?: unknown })?.channel === 'string' ? (i.config as { channel: string }).channel : null,
          bound_to: i.credentialId === null ? 'none' : i.credentialId === credential?.id ? 'tenant' : 'own',
        }));
      return { connection: credential ? presentCredential(credential) : null, bindings };
    });

  router.get('/mattermost', async (_req, res) => {
    res.json(await state(tenantOf(res).id));
  });

  router.put('/mattermost', admin, async (req, res) => {
    const body = parseInput(ZConnectCredentialBody, req.body ?? {}, 'connection');
    const tenant = tenantOf(res);
    const result = await connectTenantMattermost(deps, { tenantId: tenant.id, connect: body });
    // Bound installations may now run on a schedule (the digest): apply their state now (the reconciler retries).
    for (const id of result.bound) await deps.schedules.reconcile({ tenantId: tenant.id, installationId: id }).catch(() => null);
    res.json({ ...(await state(tenant.id)), bound_now: result.bound, reconnect: result.reconnect });
  });

  router.delete('/mattermost', admin, async (_req, res) => {
    const tenant = tenantOf(res);
    const link = await withTenant(deps.db, tenant.id, (tx) =>
      tx.tenantIntegration.findUnique({ where: { tenantId_provider: { tenantId: tenant.id, provider: MATTERMOST_PROVIDER } } }),
    );
    if (!link) throw new AppError('CREDENTIAL_NOT_FOUND', 'Mattermost is not connected for this organisation.');
    await withTenant(deps.db, tenant.id, (tx) => revokeCredential(tx, { tenantId: tenant.id, credentialId: link.credentialId, reason: 'user_revoked' }));
    res.status(204).end();
  });

  return router;
}
