// Last step of a digest run: the execution's terminal status, the installation's health
// (last success / last error) and, on failure, mattermost.message.failed with safe metadata only.
// Raw SQL on the worker's pg pool (digest-run-rows.ts; issue 12), one transaction as before.
import { sqlExecute, withTenantSql } from '../../../lib/db/raw-sql';
import { appendExecutionLog } from '../../../lib/executions/execution-log';
import { SIGNAL_TYPES } from '../../../lib/signals/catalogue';
import { emitSignal } from '../../../lib/signals/emit-signal';
import type { ActivityDeps } from '../../../activities/deps';
import type { FinishDigestRunInput } from './digest-run-types';
import { findExecution } from './digest-run-rows';

export function createFinishDigestRun(deps: ActivityDeps) {
  return async function finishDigestRun(input: FinishDigestRunInput): Promise<void> {
    await withTenantSql(deps.db, input.tenantId, async (tx) => {
      const execution = await findExecution(tx, input.executionId);
      if (!execution) throw new Error(`The execution ${input.executionId} no longer exists.`);
      if (execution.status === 'succeeded' || execution.status === 'failed' || execution.status === 'skipped') return;
      const summary = {
        ...((execution.summary as Record<string, unknown> | null) ?? {}),
        ...(input.summary ?? {}),
        ...(input.message ? { error: input.message } : {}),
      };
      await sqlExecute(
        tx,
        `update executions set status = $2::"ExecutionStatus", error_kind = $3, finished_at = $4::timestamptz, summary = $5::jsonb where id = $1::uuid`,
        [execution.id, input.status, input.errorKind ?? null, new Date(), JSON.stringify(summary)],
      );
      const ctx = { tenantId: input.tenantId, executionId: execution.id, correlationId: execution.correlationId };
      await appendExecutionLog(tx, {
        ...ctx,
        level: input.status === 'failed' ? 'error' : 'info',
        message: `Digest run ${input.status}`,
        data: { error_kind: input.errorKind ?? null },
      });
      if (input.status !== 'failed') return;
      // updated_at as Prisma's @updatedAt set it.
      await sqlExecute(tx, `update installations set last_error = $2, last_error_kind = $3, updated_at = $4::timestamptz where id = $1::uuid`, [
        execution.installationId,
        input.message ?? 'The digest run failed.',
        input.errorKind ?? 'unknown',
        new Date(),
      ]);
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
