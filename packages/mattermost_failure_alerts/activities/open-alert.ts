// Cuts the alert window: [cursor, now − commit grace]. The execution row it creates is the
// window's identity (its dedupe key names both ends), so a retry — of this activity, of the
// posting, of the whole workflow after a worker crash — finds the same window and the posting
// ledger posts it at most once. Serialised per installation by an advisory lock.
import { withTenant } from '../../../lib/db/with-tenant';
import { appendExecutionLog } from '../../../lib/executions/execution-log';
import { SIGNAL_TYPES } from '../../../lib/signals/catalogue';
import { emitSignal } from '../../../lib/signals/emit-signal';
import type { ActivityDeps } from '../../../activities/deps';
import { ALERT_EXECUTION_KIND, failureAlertWorkflowId, type AlertRef, type HeldBy, type OpenedAlert } from '../alert-types';
import { storedAlertsConfig } from '../config';
import { alertCursor, countWaitingFailures, dbNow, openAlertExecution } from './alert-window';
import type { FailureAlertOptions } from './options';

export function createOpenFailureAlert(deps: ActivityDeps, options: FailureAlertOptions) {
  return async function openFailureAlert(input: AlertRef & { heldBy?: HeldBy | null }): Promise<OpenedAlert | null> {
    return withTenant(deps.db, input.tenantId, async (tx) => {
      await tx.$executeRaw`select pg_advisory_xact_lock(hashtextextended(${`failure-alert:${input.installationId}`}, 0))`;
      const existing = await openAlertExecution(tx, input.installationId);
      if (existing)
        return { executionId: existing.id, correlationId: existing.correlationId, total: Number((existing.summary as { total?: number } | null)?.total ?? 0) };

      const installation = await tx.installation.findUniqueOrThrow({ where: { id: input.installationId } });
      const config = storedAlertsConfig(installation.config);
      const start = await alertCursor(tx, installation);
      const end = new Date((await dbNow(tx)).getTime() - options.commitGraceMs);
      if (end <= start) return null;
      const total = await countWaitingFailures(tx, config, start, end);
      if (total === 0) return null;

      const correlationId = `alert:${installation.id}:${start.toISOString()}`;
      const execution = await tx.execution.create({
        data: {
          tenantId: input.tenantId,
          installationId: installation.id,
          kind: ALERT_EXECUTION_KIND,
          // Not a user action: the alert is driven by the failures themselves.
          trigger: 'scheduled',
          correlationId,
          dedupeKey: `alert:${installation.id}:${start.toISOString()}:${end.toISOString()}`,
          windowStart: start,
          windowEnd: end,
          status: 'running',
          startedAt: new Date(),
          summary: {
            total,
            held_by: input.heldBy ?? null,
            alert_workflow_id: failureAlertWorkflowId(input),
            channel: config.channel,
          },
        },
      });
      const ctx = { tenantId: input.tenantId, executionId: execution.id, correlationId };
      await appendExecutionLog(tx, {
        ...ctx,
        level: 'info',
        message: `Alert window closed with ${total} failure${total === 1 ? '' : 's'}`,
        data: { window_start: start.toISOString(), window_end: end.toISOString(), held_by: input.heldBy ?? null },
      });
      await emitSignal(tx, {
        tenantId: input.tenantId,
        type: SIGNAL_TYPES.alertRequested,
        source: 'fleetprompt.failure-alerts',
        subject: `installation:${installation.id}`,
        correlationId,
        causationId: execution.id,
        dedupeKey: `${execution.id}:alert.requested`,
        payload: {
          execution_id: execution.id,
          installation_id: installation.id,
          failures: total,
          window_start: start.toISOString(),
          window_end: end.toISOString(),
          held_by: input.heldBy ?? null,
        },
      });
      return { executionId: execution.id, correlationId, total };
    });
  };
}
