// Installing, upgrading and uninstalling packages (directives), reading installations, and Run now
// for the packages that offer it (PackageModule.runs).
import { Router } from 'express';
import { withTenant } from '../../lib/db/with-tenant';
import { requestInstall } from '../../lib/directives/request-install';
import { requestUninstall } from '../../lib/directives/request-uninstall';
import { requestUpgrade } from '../../lib/directives/request-upgrade';
import { AppError } from '../../lib/errors/app-error';
import { requestManualRun } from '../../lib/runs/request-run';
import type { ComposedAppDeps } from '../app-deps';
import { principalOf, requireRole, tenantOf } from '../middleware/auth';
import { parseInput } from '../middleware/parse';
import { presentDirective, presentExecution, presentInstallation, presentQuota } from '../presenters';
import { PACKAGE_MODULES } from '../../packages/registry';
import { packageInstallationRoutes } from './package-routes';
import { ZEmptyBody, ZIdParam, ZInstallBody, ZUpgradeBody } from './installations.schemas';

export function installationsRouter(deps: ComposedAppDeps): Router {
  const router = Router({ mergeParams: true });
  const links = { temporalUiUrl: deps.temporalUiUrl, namespace: deps.namespace };

  router.post('/', requireRole('owner', 'admin'), async (req, res) => {
    const body = parseInput(ZInstallBody, req.body ?? {}, 'install request');
    const tenant = tenantOf(res);
    const principal = principalOf(res);
    // No version named: the newest this platform ships (the registry's order is semver, not insertion).
    const version = body.version ?? deps.packages.latestVersion(body.package_slug).version;
    const result = await requestInstall(deps, {
      tenant,
      actor: { userId: principal.userId, role: principal.role },
      packageSlug: body.package_slug,
      version,
      config: body.config,
    });
    res
      .status(202)
      .location(`/api/tenants/${tenant.slug}/installations/${result.installation.id}`)
      .json({ created: result.created, installation: presentInstallation(result.installation), directive: presentDirective(result.directive, links) });
  });

  router.get('/', async (_req, res) => {
    const tenant = tenantOf(res);
    const items = await withTenant(deps.db, tenant.id, (tx) => tx.installation.findMany({ orderBy: { createdAt: 'desc' } }));
    res.json({ items: items.map(presentInstallation) });
  });

  router.get('/:id', async (req, res) => {
    const id = parseInput(ZIdParam, req.params.id, 'installation id');
    const tenant = tenantOf(res);
    const installation = await withTenant(deps.db, tenant.id, (tx) => tx.installation.findUnique({ where: { id } }));
    if (!installation) throw new AppError('INSTALLATION_NOT_FOUND', 'No such installation in this tenant.');
    res.json(presentInstallation(installation));
  });

  router.delete('/:id', requireRole('owner', 'admin'), async (req, res) => {
    const id = parseInput(ZIdParam, req.params.id, 'installation id');
    const tenant = tenantOf(res);
    const principal = principalOf(res);
    const result = await requestUninstall(deps, { tenant, actor: { userId: principal.userId, role: principal.role }, installationId: id });
    res
      .status(202)
      .json({ created: result.created, installation: presentInstallation(result.installation), directive: presentDirective(result.directive, links) });
  });

  router.post('/:id/upgrade', requireRole('owner', 'admin'), async (req, res) => {
    const id = parseInput(ZIdParam, req.params.id, 'installation id');
    const body = parseInput(ZUpgradeBody, req.body ?? {}, 'upgrade request');
    const tenant = tenantOf(res);
    const principal = principalOf(res);
    const result = await requestUpgrade(deps, {
      tenant,
      actor: { userId: principal.userId, role: principal.role },
      installationId: id,
      toVersion: body.version,
    });
    res
      .status(202)
      .location(`/api/tenants/${tenant.slug}/directives/${result.directive.id}`)
      .json({ created: result.created, installation: presentInstallation(result.installation), directive: presentDirective(result.directive, links) });
  });

  router.post('/:id/runs', requireRole('owner', 'admin'), async (req, res) => {
    // requestManualRun reads the installation in its own transaction (404 when it is not this
    // tenant's, 409 RUNS_NOT_SUPPORTED when its package has no runs hook): one transaction per
    // Run now, not two, so bursts do not starve the pool.
    const id = parseInput(ZIdParam, req.params.id, 'installation id');
    parseInput(ZEmptyBody, req.body ?? {}, 'run request');
    const tenant = tenantOf(res);
    const { execution, quota } = await requestManualRun(deps, { tenantId: tenant.id, installationId: id });
    res
      .status(202)
      .location(`/api/tenants/${tenant.slug}/executions/${execution.id}`)
      .json({ execution: presentExecution(execution, links), run_quota: presentQuota(quota) });
  });

  // Each package's own routes (connection, config, health…), for its installations only.
  router.use(packageInstallationRoutes(deps, deps.packageModules ?? PACKAGE_MODULES));

  return router;
}
