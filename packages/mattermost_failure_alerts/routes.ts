// The failure alerts' own endpoints, mounted by the core under /installations/:id for this
// package's installations only: the Mattermost connection, the config, and health (last alert,
// last error, what waits).
import { Router, type Response } from 'express';
import type { ComposedAppDeps } from '../../api/app-deps';
import { requestActor, requireRole, tenantOf } from '../../api/middleware/auth';
import { parseInput } from '../../api/middleware/parse';
import { credentialView } from '../../api/credential-view';
import { presentInstallation } from '../../api/presenters';
import { ZConnectCredentialBody } from '../../api/routes/connection.schemas';
import { ZIdParam } from '../../api/routes/installations.schemas';
import { connectCredential } from '../../lib/credentials/connect-credential';
import { failureHint } from '../../lib/credentials/failure-hints';
import { disconnectInstallationMattermost } from '../../lib/integrations/disconnect-tenant-mattermost';
import type { Execution, Prisma } from '../../lib/db/generated/client';
import { withTenant } from '../../lib/db/with-tenant';
import { AppError } from '../../lib/errors/app-error';
import { ALERT_EXECUTION_KIND, FAILURE_ALERT_WORKFLOW_TYPE, FAILURES_ARRIVED_SIGNAL, failureAlertWorkflowId } from './alert-types';
import { alertOutlook, type AlertOutlook } from './activities/alert-outlook';
import { countWaitingFailures, dbNow } from './activities/alert-window';
import { DEFAULT_FAILURE_ALERT_OPTIONS, type FailureAlertOptions } from './activities/options';
import { FAILURE_ALERTS_CONFIG_1_0_0, storedAlertsConfig } from './config';

const ZAlertsConfigBody = FAILURE_ALERTS_CONFIG_1_0_0.omit({ mattermost_credential_id: true }).partial().strict();

export function failureAlertsRouter(deps: ComposedAppDeps, options: FailureAlertOptions = DEFAULT_FAILURE_ALERT_OPTIONS): Router {
  const router = Router({ mergeParams: true });
  const admin = requireRole('owner', 'admin');
  const load = async (res: Response, params: Record<string, unknown>) => {
    const id = parseInput(ZIdParam, params.id, 'installation id');
    const tenant = tenantOf(res);
    const installation = await withTenant(deps.db, tenant.id, (tx) => tx.installation.findUnique({ where: { id } }));
    if (!installation) throw new AppError('INSTALLATION_NOT_FOUND', 'No such installation in this tenant.');
    return { tenant, installation };
  };

  /** Signal-with-start: the workflow plans again from the database (failures that waited go out). */
  const wake = async (tenantId: string, installationId: string, why: string) => {
    const input = { tenantId, installationId };
    await deps.packageSignaller
      ?.signalWithStart({
        workflowType: FAILURE_ALERT_WORKFLOW_TYPE,
        workflowId: failureAlertWorkflowId(input),
        signalName: FAILURES_ARRIVED_SIGNAL,
        input,
        notice: { count: 0, latestAt: new Date().toISOString() },
      })
      .catch((err) =>
        deps.logger.warn({ tenantId, installationId, err: err instanceof Error ? err.message : String(err) }, `could not wake the alert workflow after ${why}`),
      );
  };

  router.get('/credential', async (req, res) => {
    const { tenant, installation } = await load(res, req.params);
    const credential = installation.credentialId
      ? await withTenant(deps.db, tenant.id, (tx) => tx.integrationCredential.findUnique({ where: { id: installation.credentialId! } }))
      : null;
    res.json({ credential: await credentialView(deps, tenant.id, credential) });
  });

  router.put('/credential', admin, async (req, res) => {
    const body = parseInput(ZConnectCredentialBody, req.body ?? {}, 'connection');
    const { tenant, installation } = await load(res, req.params);
    const config = storedAlertsConfig(installation.config);
    const { credential, affected } = await connectCredential(deps, {
      tenantId: tenant.id,
      installationId: installation.id,
      connect: body,
      channel: config.channel,
      ...requestActor(res),
    });
    // Failures that waited for a connection go into the first alert now.
    await wake(tenant.id, installation.id, 'a connection');
    // Other packages bound to the same connection (the digest's schedule) have their state applied too.
    for (const id of affected) await deps.schedules.reconcile({ tenantId: tenant.id, installationId: id }).catch(() => null);
    res.json({ credential: await credentialView(deps, tenant.id, credential), schedule: null });
  });

  // As the digest's: the organisation's connection is disconnected for every package bound to it
  // (who did it is recorded, and each bound installation's desired state changes, so a digest's
  // schedule goes too); a connection of the installation's own from before is revoked alone.
  router.delete('/credential', admin, async (req, res) => {
    const { tenant, installation } = await load(res, req.params);
    const { actor, tokenId } = requestActor(res);
    const affected = await withTenant(deps.db, tenant.id, (tx) =>
      disconnectInstallationMattermost(tx, { tenantId: tenant.id, installationId: installation.id, actor, tokenId, packages: deps.packages }),
    );
    if (!affected) throw new AppError('CREDENTIAL_NOT_FOUND', 'Mattermost is not connected for this installation.');
    for (const id of affected) await deps.schedules.reconcile({ tenantId: tenant.id, installationId: id }).catch(() => null);
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
    await wake(tenant.id, installation.id, 'a config change');
    res.json({ installation: presentInstallation(updated), schedule: null });
  });

  router.get('/health', async (req, res) => {
    const { tenant, installation } = await load(res, req.params);
    const { lastAlert, outlook, waiting } = await withTenant(deps.db, tenant.id, async (tx) => {
      const lastAlert = await tx.execution.findFirst({
        where: { installationId: installation.id, kind: ALERT_EXECUTION_KIND },
        orderBy: { createdAt: 'desc' },
      });
      // What the workflow will do next, by the rules it follows.
      const outlook = await alertOutlook(tx, installation.id, options);
      const waiting =
        outlook.kind === 'due' || outlook.kind === 'wait'
          ? await countWaitingFailures(tx, storedAlertsConfig(installation.config), outlook.cursor, await dbNow(tx))
          : 0;
      return { lastAlert, outlook, waiting };
    });
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
      outlook: presentOutlook(outlook, waiting),
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

  router.get('/alerts', async (req, res) => {
    const { tenant, installation } = await load(res, req.params);
    const alerts = await withTenant(deps.db, tenant.id, (tx) =>
      tx.execution.findMany({ where: { installationId: installation.id, kind: ALERT_EXECUTION_KIND }, orderBy: { createdAt: 'desc' }, take: 20 }),
    );
    res.json({ items: alerts.map(presentAlert) });
  });

  return router;
}

/** The installation page's status line, from the outlook: what the workflow will do next. */
function presentOutlook(outlook: AlertOutlook, waiting: number) {
  switch (outlook.kind) {
    case 'gone':
      return { state: 'off', reason: outlook.reason, waiting: 0, first_failure_at: null, due_at: null };
    case 'idle':
      return { state: 'watching', reason: null, waiting: 0, first_failure_at: null, due_at: null };
    case 'posting':
      return { state: 'posting', reason: null, waiting: 0, first_failure_at: null, due_at: null, execution_id: outlook.executionId };
    case 'due':
      return { state: 'due', reason: null, waiting, first_failure_at: outlook.firstAt, due_at: null };
    case 'wait':
      return { state: 'waiting', reason: outlook.reason, waiting, first_failure_at: outlook.firstAt, due_at: outlook.dueAt };
  }
}

/** One alert: its window, what it said, how many failures, how many were only counted, and how it ended. */
function presentAlert(e: Execution) {
  const summary = (e.summary ?? {}) as {
    total?: number;
    listed?: number;
    suppressed?: number;
    held_by?: string | null;
    channel?: string | null;
    message?: string;
    error?: string;
  };
  return {
    execution_id: e.id,
    correlation_id: e.correlationId,
    status: e.status,
    error_kind: e.errorKind,
    error: summary.error ?? null,
    window_start: e.windowStart,
    window_end: e.windowEnd,
    started_at: e.startedAt,
    finished_at: e.finishedAt,
    failures: summary.total ?? 0,
    listed: summary.listed ?? null,
    suppressed: summary.suppressed ?? null,
    held_by: summary.held_by ?? null,
    channel: summary.channel ?? null,
    message: summary.message ?? null,
  };
}
