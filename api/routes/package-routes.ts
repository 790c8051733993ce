// Mounts each package's own installation routes (PackageModule.routes) under /installations/:id,
// each behind a guard that lets only that package's installations through — so two packages may
// both offer e.g. PUT /config, and the core names none of them.
import { Router } from 'express';
import { withTenant } from '../../lib/db/with-tenant';
import type { PackageModule } from '../../packages/module';
import type { ComposedAppDeps } from '../app-deps';
import { tenantOf } from '../middleware/auth';
import { parseInput } from '../middleware/parse';
import { ZIdParam } from './installations.schemas';

export function packageInstallationRoutes(deps: ComposedAppDeps, modules: readonly PackageModule[]): Router {
  const router = Router({ mergeParams: true });
  for (const module of modules) {
    if (!module.routes) continue;
    const slug = module.definition.identity.slug;
    const scoped = Router({ mergeParams: true });
    scoped.use(async (req, res, next) => {
      const id = parseInput(ZIdParam, req.params.id, 'installation id');
      const tenant = tenantOf(res);
      const found = await withTenant(deps.db, tenant.id, (tx) => tx.installation.findUnique({ where: { id }, select: { packageSlug: true } }));
      // Not found: let the routes answer as they would (role check first, then their own 404).
      next(!found || found.packageSlug === slug ? undefined : 'router');
    });
    scoped.use(module.routes(deps));
    router.use('/:id', scoped);
  }
  return router;
}
