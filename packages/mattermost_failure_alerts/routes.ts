// The failure alerts' own endpoints, mounted by the core under /installations/:id for this
// package's installations only: the Mattermost connection, the config, and health (last alert,
// last error, what waits).
import { Router, type Response } from 'express';
import type { ComposedAppDeps } from '../../api/app';
import { requireRole, tenantOf } from '../../api/middleware/auth';
import { parseInput } from '../../api/middleware/parse';
import { presentCredential, presentInstallation } from '../../api/presenters';
import { ZConnectCredentialBody } from '../../api/routes/connection.schemas';
import { ZIdParam } from '../../api/routes/installations.schemas';
import { connectCredential } from '../../lib/credentials/connect-credential';
import { failureHint } from '../../lib/credentials/failure-hints';
import { revokeCredential } from '../../lib/credentials/revoke-credential';
import type { Prisma } from '../../lib/db/generated/client';
import { withTenant } from '../../lib/db/with-tenant';
import { AppError } from '../../lib/errors/app-error';
import { ALERT_EXECUTION_KIND, FAILURE_ALERT_WORKFLOW_TYPE, FAILURES_ARRIVED_SIGNAL, failureAlertWorkflowId } from './alert-types';
import { FAILURE_ALERTS_CONFIG_1_0_0, storedAlertsConfig } from './config';

const ZAlertsConfigBody = FAILURE_ALERTS_CONFIG_1_0_0.omit({ mattermost_credential_id: true }).partial().strict();

export function failureAlertsRouter(deps: ComposedAppDeps): Router {
  const router = Router({ mergeParams: true });
  const admin = requireRole('owner', 'admin');
  const load = async (res: Response, params: Record<string, unknown>) => {
    const id = parseInput(ZIdParam, params.id, 'installation id');
    const tenant = tenantOf(res);
    const installation = await withTenant(deps.db, tenant.id, (tx) => tx.installation.findUnique({ where: { id } }));
    if (!installation) throw new AppError('INSTALLATION_NOT_FOUND', 'No such installation in this tenant.');
    return { tenant, installation };
  };

  router.get('/credential', async (req, res) => {
    const { tenant, installation } = await load(res, req.params);
    const credential = installation.credentialId
      ? await withTenant(deps.db, tenant.id, (tx) => tx.integrationCredential.findUnique({ where: { id: installation.credentialId! } }))
      : null;
    res.json({ credential: credential ? presentCredential(credential) : null });
  });

  router.put('/credential', admin, async (req, res) => {
    const body = parseInput(ZConnectCredentialBody, req.body ?? {}, 'connection');
    const { tenant, installation } = await load(res, req.params);
    const config = storedAlertsConfig(installation.config);
    const credential = await connectCredential(deps, { tenantId: tenant.id, installationId: installation.id, connect: body, channel: config.channel });
    res.json({ credential: presentCredential(credential), schedule: null });
  });

  router.delete('/credential', admin, async (req, res) => {
    const { tenant, installation } = await load(res, req.params);
    if (!installation.credentialId) throw new AppError('CREDENTIAL_NOT_FOUND', 'Mattermost is not connected for this installation.');
    await withTenant(deps.db, tenant.id, (tx) =>
      revokeCredential(tx, { tenantId: tenant.id, credentialId: installation.credentialId!, reason: 'user_revoked' }),
    );
    res.status(204).end();
  });

  router.put('/config', admin, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    // Only the fields sent (the schema's defaults would otherwise fill in the rest).
    const patch = Object.fromEntries(Object.entries(parseInput(ZAlertsConfigBody, body, 'config')).filter(([key]) => key in body));
    const { tenant, installation } = await load(res, req.params);
    if (installation.status !== 'installed')
      throw new AppError('INVALID_STATE', `The installation is ${installation.status}; configure it once it is installed.`);
    const merged = deps.packages.parseConfig(installation.packageSlug, installation.packageVersion, { ...storedAlertsConfig(installation.config), ...patch });
    const updated = await withTenant(deps.db, tenant.id, (tx) =>
      tx.installation.update({ where: { id: installation.id }, data: { config: merged as Prisma.InputJsonObject } }),
    );
    // Wake the installation's workflow so a held alert is planned again with the new settings.
    const input = { tenantId: tenant.id, installationId: installation.id };
    await deps.packageSignaller
      ?.signalWithStart({
        workflowType: FAILURE_ALERT_WORKFLOW_TYPE,
        workflowId: failureAlertWorkflowId(input),
        signalName: FAILURES_ARRIVED_SIGNAL,
        input,
        notice: { count: 0, latestAt: new Date().toISOString() },
      })
      .catch((err) =>
        deps.logger.warn(
          { tenantId: tenant.id, installationId: installation.id, err: err instanceof Error ? err.message : String(err) },
          'could not wake the alert workflow after a config change',
        ),
      );
    res.json({ installation: presentInstallation(updated), schedule: null });
  });

  router.get('/health', async (req, res) => {
    const { tenant, installation } = await load(res, req.params);
    const lastAlert = await withTenant(deps.db, tenant.id, (tx) =>
      tx.execution.findFirst({ where: { installationId: installation.id, kind: ALERT_EXECUTION_KIND }, orderBy: { createdAt: 'desc' } }),
    );
    res.json({
      status: installation.status,
      last_successful_post_at: installation.lastSuccessfulPostAt,
      last_error: installation.lastError,
      last_error_kind: installation.lastErrorKind,
      hint: failureHint(installation.lastErrorKind),
      last_error_code: null,
      next_runs: [],
      schedule_paused: null,
      run_quota: null,
      last_alert: lastAlert
        ? {
            execution_id: lastAlert.id,
            status: lastAlert.status,
            window_start: lastAlert.windowStart,
            window_end: lastAlert.windowEnd,
            finished_at: lastAlert.finishedAt,
          }
        : null,
    });
  });

  return router;
}
