// Last step of a digest run: the execution's terminal status, the installation's health
// (last success / last error) and, on failure, mattermost.message.failed with safe metadata only.
import { withTenant } from '../../../lib/db/with-tenant';
import { appendExecutionLog } from '../../../lib/executions/execution-log';
import { SIGNAL_TYPES } from '../../../lib/signals/catalogue';
import { emitSignal } from '../../../lib/signals/emit-signal';
import type { ActivityDeps } from '../../../activities/deps';
import type { FinishDigestRunInput } from './digest-run-types';

export function createFinishDigestRun(deps: ActivityDeps) {
  return async function finishDigestRun(input: FinishDigestRunInput): Promise<void> {
    await withTenant(deps.db, input.tenantId, async (tx) => {
      const execution = await tx.execution.findUniqueOrThrow({ where: { id: input.executionId } });
      if (execution.status === 'succeeded' || execution.status === 'failed' || execution.status === 'skipped') return;
      const summary = {
        ...((execution.summary as Record<string, unknown> | null) ?? {}),
        ...(input.summary ?? {}),
        ...(input.message ? { error: input.message } : {}),
      };
      await tx.execution.update({
        where: { id: execution.id },
        data: { status: input.status, errorKind: input.errorKind ?? null, finishedAt: new Date(), summary: summary },
      });
      const ctx = { tenantId: input.tenantId, executionId: execution.id, correlationId: execution.correlationId };
      await appendExecutionLog(tx, {
        ...ctx,
        level: input.status === 'failed' ? 'error' : 'info',
        message: `Digest run ${input.status}`,
        data: { error_kind: input.errorKind ?? null },
      });
      if (input.status !== 'failed') return;
      await tx.installation.update({
        where: { id: execution.installationId },
        data: { lastError: input.message ?? 'The digest run failed.', lastErrorKind: input.errorKind ?? 'unknown' },
      });
      await emitSignal(tx, {
        tenantId: input.tenantId,
        type: SIGNAL_TYPES.messageFailed,
        source: 'fleetprompt.digest',
        subject: `installation:${execution.installationId}`,
        correlationId: execution.correlationId,
        causationId: execution.id,
        dedupeKey: `${execution.id}:message.failed`,
        payload: {
          execution_id: execution.id,
          installation_id: execution.installationId,
          error_kind: input.errorKind ?? 'unknown',
          error: input.message ?? null,
          trigger: execution.trigger,
        },
      });
    });
  };
}
