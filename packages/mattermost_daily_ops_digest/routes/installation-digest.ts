// The digest installation's own endpoints: Mattermost connection, configuration, schedule and
// health (with the Run now quota; Run now itself is the platform's, through the package's runs
// hook). Mounted under /installations/:id.
import { Router, type Response } from 'express';
import type { Prisma } from '../../../lib/db/generated/client';
import { withTenant } from '../../../lib/db/with-tenant';
import { connectCredential } from '../../../lib/credentials/connect-credential';
import { failureHint } from '../../../lib/credentials/failure-hints';
import { disconnectInstallationMattermost } from '../../../lib/integrations/disconnect-tenant-mattermost';
import type { IntegrationCredential } from '../../../lib/db/generated/client';
import { changeInstallation, type ChangeActor } from '../../../lib/installations/change-installation';
import { AppError } from '../../../lib/errors/app-error';
import { readRunQuota } from '../../../lib/runs/run-now-limit';
import { lastFailureCode } from '../../../lib/executions/failure-codes';
import type { ComposedAppDeps } from '../../../api/app-deps';
import { principalOf, requestActor, requireRole, tenantOf } from '../../../api/middleware/auth';
import { parseInput } from '../../../api/middleware/parse';
import { applyState, presentInstallation, presentQuota, presentSchedule } from '../../../api/presenters';
import { credentialView as presentConnection } from '../../../api/credential-view';
import { ZConnectCredentialBody } from '../../../api/routes/connection.schemas';
import { storedDigestConfig } from '../config';
import { ZConfigBody } from './installation-digest.schemas';
import { ZIdParam } from '../../../api/routes/installations.schemas';

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
  const actorOf = (res: Response): ChangeActor => {
    const principal = principalOf(res);
    return { kind: 'user', userId: principal.userId, role: principal.role };
  };

  // The change is stored first (with its version); then Temporal is brought in line right away
  // if it answers within a couple of seconds. If not, the answer still says what was saved and
  // that it is "being applied": the worker's reconciler loop applies it when Temporal is back.
  const applyNow = async (tenantId: string, installationId: string) => {
    try {
      await deps.schedules.reconcile({ tenantId, installationId });
      return await deps.schedules.describe({ tenantId, installationId });
    } catch (err) {
      deps.logger.warn(
        { tenantId, installationId, err: err instanceof Error ? err.message : String(err) },
        'installation state saved; Temporal not updated yet (the reconciler will)',
      );
      return null;
    }
  };
  const reload = (tenantId: string, installationId: string) =>
    withTenant(deps.db, tenantId, (tx) => tx.installation.findUniqueOrThrow({ where: { id: installationId } }));
  const credentialView = (tenantId: string, credential: IntegrationCredential | null) => presentConnection(deps, tenantId, credential);

  router.get('/credential', async (req, res) => {
    const { tenant, installation } = await load(res, idOf(req.params));
    const credential = installation.credentialId
      ? await withTenant(deps.db, tenant.id, (tx) => tx.integrationCredential.findUnique({ where: { id: installation.credentialId! } }))
      : null;
    res.json({ credential: await credentialView(tenant.id, credential) });
  });

  router.put('/credential', admin, async (req, res) => {
    const body = parseInput(ZConnectCredentialBody, req.body ?? {}, 'connection');
    const { tenant, installation } = await load(res, idOf(req.params));
    const { credential, affected } = await connectCredential(deps, {
      tenantId: tenant.id,
      installationId: installation.id,
      connect: body,
      channel: storedDigestConfig(installation.config).channel,
      ...requestActor(res),
    });
    const schedule = await applyNow(tenant.id, installation.id);
    // The other packages bound to the same connection: their state is applied too (the reconciler retries).
    for (const id of affected.filter((x) => x !== installation.id))
      await deps.schedules.reconcile({ tenantId: tenant.id, installationId: id }).catch(() => null);
    const updated = await reload(tenant.id, installation.id);
    res.json({ credential: await credentialView(tenant.id, credential), schedule: presentSchedule(schedule), apply_state: applyState(updated) });
  });

  // Disconnect: the secret is destroyed and the row says who disconnected it, and when. With the
  // organisation's connection that is a Disconnect of it, for every package bound to it.
  router.delete('/credential', admin, async (req, res) => {
    const { tenant, installation } = await load(res, idOf(req.params));
    const { actor, tokenId } = requestActor(res);
    const affected = await withTenant(deps.db, tenant.id, (tx) =>
      disconnectInstallationMattermost(tx, { tenantId: tenant.id, installationId: installation.id, actor, tokenId, packages: deps.packages }),
    );
    if (!affected) throw new AppError('CREDENTIAL_NOT_FOUND', 'Mattermost is not connected for this installation.');
    await applyNow(tenant.id, installation.id);
    for (const id of affected.filter((x) => x !== installation.id))
      await deps.schedules.reconcile({ tenantId: tenant.id, installationId: id }).catch(() => null);
    res.status(204).end();
  });

  router.put('/config', admin, async (req, res) => {
    const patch = parseInput(ZConfigBody, req.body ?? {}, 'config');
    const { tenant, installation } = await load(res, idOf(req.params));
    if (installation.status !== 'installed')
      throw new AppError('INVALID_STATE', `The installation is ${installation.status}; configure it once it is installed.`);
    // Validated by the installation's own version of the package's schema.
    const { packageSlug, packageVersion } = installation;
    const merged = deps.packages.parseConfig(packageSlug, packageVersion, {
      ...deps.packages.storedConfig(packageSlug, packageVersion, installation.config),
      ...patch,
    });
    await withTenant(deps.db, tenant.id, (tx) =>
      changeInstallation(
        tx,
        {
          tenantId: tenant.id,
          installationId: installation.id,
          actor: actorOf(res),
          packages: deps.packages,
          change: 'config.updated',
          details: { fields: Object.keys(patch) },
        },
        async () => {
          await tx.installation.update({ where: { id: installation.id }, data: { config: merged as Prisma.InputJsonObject } });
        },
      ),
    );
    const schedule = await applyNow(tenant.id, installation.id);
    const updated = await reload(tenant.id, installation.id);
    res.json({ installation: presentInstallation(updated), schedule: presentSchedule(schedule), apply_state: applyState(updated) });
  });

  router.get('/schedule', async (req, res) => {
    const { tenant, installation } = await load(res, idOf(req.params));
    res.json({
      schedule: presentSchedule(await deps.schedules.describe({ tenantId: tenant.id, installationId: installation.id })),
      apply_state: applyState(installation),
    });
  });

  router.get('/health', async (req, res) => {
    const { tenant, installation } = await load(res, idOf(req.params));
    const [quota, schedule, lastCode, credential] = await Promise.all([
      withTenant(deps.db, tenant.id, (tx) => readRunQuota(tx, tenant.id, deps.runNowLimitPerHour)),
      deps.schedules.describe({ tenantId: tenant.id, installationId: installation.id }).catch(() => undefined),
      // The code behind the last error (a run's final failure), for the code-specific hint.
      installation.lastErrorKind ? withTenant(deps.db, tenant.id, (tx) => lastFailureCode(tx, tenant.id, installation.id)) : Promise.resolve(null),
      installation.credentialId
        ? withTenant(deps.db, tenant.id, (tx) => tx.integrationCredential.findUnique({ where: { id: installation.credentialId! } }))
        : null,
    ]);
    const applied = applyState(installation) === 'applied';
    res.json({
      status: installation.status,
      // "being_applied": a change is saved but Temporal does not reflect it yet; next runs are
      // announced only from a schedule that matches the saved state.
      apply_state: applyState(installation),
      desired_version: installation.desiredVersion,
      observed_version: installation.observedVersion,
      last_successful_post_at: installation.lastSuccessfulPostAt,
      last_error: installation.lastError,
      last_error_kind: installation.lastErrorKind,
      last_error_code: lastCode,
      hint: failureHint(installation.lastErrorKind, lastCode, { ended: true }),
      next_runs: applied ? (presentSchedule(schedule ?? null)?.next_runs ?? []) : [],
      next_runs_known: applied && schedule !== undefined,
      schedule_exists: schedule === undefined ? null : schedule !== null,
      schedule_paused: schedule?.paused ?? null,
      connection: await credentialView(tenant.id, credential),
      run_quota: presentQuota(quota),
    });
  });

  return router;
}
