// The digest installation's own endpoints: Mattermost connection, configuration, schedule,
// Run now and its hourly quota. Mounted under /installations/:id.
import { Router, type Response } from 'express';
import type { Prisma } from '../../lib/db/generated/client';
import { withTenant } from '../../lib/db/with-tenant';
import { connectCredential } from '../../lib/credentials/connect-credential';
import { failureHint } from '../../lib/credentials/failure-hints';
import { revokeCredential } from '../../lib/credentials/revoke-credential';
import { AppError } from '../../lib/errors/app-error';
import { requestManualRun } from '../../lib/runs/request-digest-run';
import { readRunQuota } from '../../lib/runs/run-now-limit';
import { lastFailureCode } from '../../lib/executions/failure-codes';
import type { ComposedAppDeps } from '../app';
import { requireRole, tenantOf } from '../middleware/auth';
import { parseInput } from '../middleware/parse';
import { presentCredential, presentExecution, presentInstallation, presentQuota, presentSchedule } from '../presenters';
import { ZConfigBody, ZConnectCredentialBody } from './installation-digest.schemas';
import { ZEmptyBody, ZIdParam } from './installations.schemas';

export function installationDigestRouter(deps: ComposedAppDeps): Router {
  const router = Router({ mergeParams: true });
  const admin = requireRole('owner', 'admin');

  const load = async (res: Response, id: string) => {
    const tenant = tenantOf(res);
    const installation = await withTenant(deps.db, tenant.id, (tx) => tx.installation.findUnique({ where: { id } }));
    if (!installation) throw new AppError('INSTALLATION_NOT_FOUND', 'No such installation in this tenant.');
    return { tenant, installation };
  };
  const idOf = (params: Record<string, unknown>) => parseInput(ZIdParam, params.id, 'installation id');
  const syncSchedule = (tenantId: string, installationId: string) => deps.schedules.sync({ tenantId, installationId });

  router.get('/credential', async (req, res) => {
    const { tenant, installation } = await load(res, idOf(req.params));
    const credential = installation.credentialId ? await withTenant(deps.db, tenant.id, (tx) => tx.integrationCredential.findUnique({ where: { id: installation.credentialId! } })) : null;
    res.json({ credential: credential ? presentCredential(credential) : null });
  });

  router.put('/credential', admin, async (req, res) => {
    const body = parseInput(ZConnectCredentialBody, req.body ?? {}, 'connection');
    const { tenant, installation } = await load(res, idOf(req.params));
    const credential = await connectCredential(deps, { tenantId: tenant.id, installationId: installation.id, connect: body });
    const schedule = await syncSchedule(tenant.id, installation.id);
    res.json({ credential: presentCredential(credential), schedule: presentSchedule(schedule) });
  });

  router.delete('/credential', admin, async (req, res) => {
    const { tenant, installation } = await load(res, idOf(req.params));
    if (!installation.credentialId) throw new AppError('CREDENTIAL_NOT_FOUND', 'Mattermost is not connected for this installation.');
    await withTenant(deps.db, tenant.id, (tx) => revokeCredential(tx, { tenantId: tenant.id, credentialId: installation.credentialId!, reason: 'user_revoked' }));
    await syncSchedule(tenant.id, installation.id);
    res.status(204).end();
  });

  router.put('/config', admin, async (req, res) => {
    const patch = parseInput(ZConfigBody, req.body ?? {}, 'config');
    const { tenant, installation } = await load(res, idOf(req.params));
    if (installation.status !== 'installed') throw new AppError('INVALID_STATE', `The installation is ${installation.status}; configure it once it is installed.`);
    // Validated by the installation's own version of the package's schema.
    const { packageSlug, packageVersion } = installation;
    const merged = deps.packages.parseConfig(packageSlug, packageVersion, { ...deps.packages.storedConfig(packageSlug, packageVersion, installation.config), ...patch });
    const updated = await withTenant(deps.db, tenant.id, (tx) => tx.installation.update({ where: { id: installation.id }, data: { config: merged as Prisma.InputJsonObject } }));
    const schedule = await syncSchedule(tenant.id, installation.id);
    res.json({ installation: presentInstallation(updated), schedule: presentSchedule(schedule) });
  });

  router.get('/schedule', async (req, res) => {
    const { installation } = await load(res, idOf(req.params));
    res.json({ schedule: presentSchedule(await deps.schedules.describe(installation.id)) });
  });

  router.get('/health', async (req, res) => {
    const { tenant, installation } = await load(res, idOf(req.params));
    const [quota, schedule, lastCode] = await Promise.all([
      withTenant(deps.db, tenant.id, (tx) => readRunQuota(tx, tenant.id, deps.runNowLimitPerHour)),
      deps.schedules.describe(installation.id).catch(() => null),
      // The code behind the last error (a run's final failure), for the code-specific hint.
      installation.lastErrorKind ? withTenant(deps.db, tenant.id, (tx) => lastFailureCode(tx, tenant.id, installation.id)) : Promise.resolve(null),
    ]);
    res.json({
      status: installation.status,
      last_successful_post_at: installation.lastSuccessfulPostAt,
      last_error: installation.lastError,
      last_error_kind: installation.lastErrorKind,
      last_error_code: lastCode,
      hint: failureHint(installation.lastErrorKind, lastCode, { ended: true }),
      next_runs: presentSchedule(schedule)?.next_runs ?? [],
      schedule_paused: schedule?.paused ?? null,
      run_quota: presentQuota(quota),
    });
  });

  router.post('/runs', admin, async (req, res) => {
    // requestManualRun reads the installation in its own transaction (404 when it is not this
    // tenant's): one transaction per Run now, not two, so bursts do not starve the pool.
    const installationId = idOf(req.params);
    parseInput(ZEmptyBody, req.body ?? {}, 'run request');
    const tenant = tenantOf(res);
    const { execution, quota } = await requestManualRun(deps, { tenantId: tenant.id, installationId });
    res.status(202).location(`/api/tenants/${tenant.slug}/executions/${execution.id}`).json({ execution: presentExecution(execution, deps), run_quota: presentQuota(quota) });
  });

  return router;
}
