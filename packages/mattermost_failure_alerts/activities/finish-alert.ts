// Last step of an alert: the execution's terminal status, the installation's health, and the
// alert's own signal (posted / failed, safe metadata only).
import type { ActivityDeps } from '../../../activities/deps';
import type { Prisma } from '../../../lib/db/generated/client';
import { withTenant } from '../../../lib/db/with-tenant';
import { appendExecutionLog } from '../../../lib/executions/execution-log';
import { SIGNAL_TYPES } from '../../../lib/signals/catalogue';
import { emitSignal } from '../../../lib/signals/emit-signal';
import type { FinishAlertInput } from '../alert-types';

export function createFinishFailureAlert(deps: ActivityDeps) {
  return async function finishFailureAlert(input: FinishAlertInput): Promise<void> {
    await withTenant(deps.db, input.tenantId, async (tx) => {
      const execution = await tx.execution.findUniqueOrThrow({ where: { id: input.executionId } });
      if (execution.status === 'succeeded' || execution.status === 'failed' || execution.status === 'skipped') return;
      const summary: Record<string, unknown> = {
        ...((execution.summary as Record<string, unknown> | null) ?? {}),
        ...(input.message ? { error: input.message } : {}),
      };
      await tx.execution.update({
        where: { id: execution.id },
        data: { status: input.status, errorKind: input.errorKind ?? null, finishedAt: new Date(), summary: summary as Prisma.InputJsonObject },
      });
      const ctx = { tenantId: input.tenantId, executionId: execution.id, correlationId: execution.correlationId };
      await appendExecutionLog(tx, {
        ...ctx,
        level: input.status === 'failed' ? 'error' : 'info',
        message: `Alert ${input.status}`,
        data: { error_kind: input.errorKind ?? null },
      });
      if (input.status === 'failed')
        await tx.installation.update({
          where: { id: execution.installationId },
          data: { lastError: input.message ?? 'The alert could not be posted.', lastErrorKind: input.errorKind ?? 'unknown' },
        });
      await emitSignal(tx, {
        tenantId: input.tenantId,
        type: input.status === 'succeeded' ? SIGNAL_TYPES.alertPosted : SIGNAL_TYPES.alertFailed,
        source: 'fleetprompt.failure-alerts',
        subject: `installation:${execution.installationId}`,
        correlationId: execution.correlationId,
        causationId: execution.id,
        dedupeKey: `${execution.id}:alert.${input.status}`,
        payload: {
          execution_id: execution.id,
          installation_id: execution.installationId,
          failures: Number(summary.total ?? 0),
          window_start: execution.windowStart.toISOString(),
          window_end: execution.windowEnd.toISOString(),
          ...(input.status === 'failed' ? { error_kind: input.errorKind ?? 'unknown', error: input.message ?? null } : {}),
        },
      });
    });
  };
}
