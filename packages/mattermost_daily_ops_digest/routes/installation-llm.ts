// The digest installation's LLM summary status: provider availability (or why not), model, and
// this month's spend against the budget. Mounted under /installations/:id.
import { Router } from 'express';
import { withTenant } from '../../../lib/db/with-tenant';
import { AppError } from '../../../lib/errors/app-error';
import { readLlmStatus } from '../summary/llm-status';
import type { AppDeps } from '../../../api/app-deps';
import { tenantOf } from '../../../api/middleware/auth';
import { parseInput } from '../../../api/middleware/parse';
import { ZIdParam } from '../../../api/routes/installations.schemas';

export function installationLlmRouter(deps: AppDeps): Router {
  const router = Router({ mergeParams: true });
  router.get('/:id/llm', async (req, res) => {
    const id = parseInput(ZIdParam, req.params.id, 'installation id');
    const tenant = tenantOf(res);
    const llm = await withTenant(deps.db, tenant.id, async (tx) => {
      const installation = await tx.installation.findUnique({ where: { id } });
      if (!installation) throw new AppError('INSTALLATION_NOT_FOUND', 'No such installation in this tenant.');
      return readLlmStatus(tx, {
        tenantId: tenant.id,
        packageVersion: installation.packageVersion,
        installationConfig: installation.config,
        platform: deps.llm,
      });
    });
    res.json({ llm });
  });
  return router;
}
