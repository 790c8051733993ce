// The tenant's own LLM connection for the digest summary (a tenant-level integration, like the
// Mattermost connection): read it masked, connect or replace it (verified first), disconnect it.
// Mounted under /tenants/:tenant/integrations/llm.
import { Router } from 'express';
import { revokeCredential } from '../../lib/credentials/revoke-credential';
import { withTenant } from '../../lib/db/with-tenant';
import { AppError } from '../../lib/errors/app-error';
import { connectTenantLlm } from '../../lib/llm/connect-tenant-llm';
import { findTenantLlmCredential } from '../../lib/llm/tenant-llm-credential';
import type { AppDeps } from '../app-deps';
import { requireRole, tenantOf } from '../middleware/auth';
import { parseInput } from '../middleware/parse';
import { presentCredential } from '../presenters';
import { ZEmptyBody } from './installations.schemas';
import { ZConnectLlmBody } from './llm-integration.schemas';

export function llmIntegrationRouter(deps: AppDeps): Router {
  const router = Router({ mergeParams: true });
  const admin = requireRole('owner', 'admin');

  router.get('/', async (_req, res) => {
    const tenant = tenantOf(res);
    const credential = await withTenant(deps.db, tenant.id, (tx) => findTenantLlmCredential(tx));
    res.json({ credential: credential ? presentCredential(credential) : null });
  });

  router.put('/', admin, async (req, res) => {
    const body = parseInput(ZConnectLlmBody, req.body ?? {}, 'LLM connection');
    const tenant = tenantOf(res);
    const credential = await connectTenantLlm({ db: deps.db, keyring: deps.keyring, allowedHosts: deps.allowedHosts }, { tenantId: tenant.id, connect: body });
    res.json({ credential: presentCredential(credential) });
  });

  router.delete('/', admin, async (req, res) => {
    parseInput(ZEmptyBody, req.body ?? {}, 'disconnect request');
    const tenant = tenantOf(res);
    await withTenant(deps.db, tenant.id, async (tx) => {
      const credential = await findTenantLlmCredential(tx);
      if (!credential) throw new AppError('CREDENTIAL_NOT_FOUND', 'No LLM key is connected for this tenant.');
      // Destroys the secret material; digests fall back to the platform provider, if any.
      await revokeCredential(tx, { tenantId: tenant.id, credentialId: credential.id, reason: 'user_revoked' });
    });
    res.status(204).end();
  });

  return router;
}
