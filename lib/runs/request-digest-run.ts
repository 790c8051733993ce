// "Run now" and "Retry run": record the execution (rate-limited per tenant), then start its
// workflow. If Temporal cannot be reached the execution is closed as failed, visibly.
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/client';
import type { Execution } from '../db/generated/client';
import { withTenant } from '../db/with-tenant';
import { AppError } from '../errors/app-error';
import type { Logger } from '../log/logger';
import { DIGEST_EXECUTION_KIND } from '../executions/execution-kind';
import { manualRunIdentity } from '../schedule/manual-run-identity';
import { retryDigestRunId, WORKFLOW_TYPES } from '../temporal/contract';
import { supersedingDigests } from './retry-superseded';
import { takeRunQuota, type RunQuota } from './run-now-limit';
import type { RunStarter } from './run-starter';

export interface RunDeps {
  db: Db;
  runStarter: RunStarter;
  logger: Logger;
  runNowLimitPerHour: number;
}

async function startOrClose(deps: RunDeps, execution: Execution, input: { trigger: 'manual' | 'retry'; acceptUnknownOutcome?: true }): Promise<void> {
  try {
    await deps.runStarter.start({
      workflowType: WORKFLOW_TYPES.digestRun,
      workflowId: execution.workflowId!,
      correlationId: execution.correlationId,
      tenantId: execution.tenantId,
      installationId: execution.installationId,
      executionId: execution.id,
      // The digest's DigestRunInput (packages/mattermost_daily_ops_digest/workflows/contract.ts).
      args: [
        {
          tenantId: execution.tenantId,
          installationId: execution.installationId,
          trigger: input.trigger,
          executionId: execution.id,
          ...(input.acceptUnknownOutcome ? { acceptUnknownOutcome: true } : {}),
        },
      ],
      memo: { executionId: execution.id, trigger: input.trigger },
      staticSummary: `${input.trigger} digest run`,
    });
  } catch (err) {
    deps.logger.warn(
      {
        tenantId: execution.tenantId,
        executionId: execution.id,
        correlationId: execution.correlationId,
        err: err instanceof Error ? err.message : String(err),
      },
      'could not start digest run',
    );
    // Only a run nothing has begun: if the workflow already began it, the start did reach the
    // server (its answer was lost) and the run is live, so the request succeeded after all.
    const closed = await withTenant(deps.db, execution.tenantId, (tx) =>
      tx.execution.updateMany({
        where: { id: execution.id, status: 'pending' },
        data: {
          status: 'failed',
          errorKind: 'network',
          finishedAt: new Date(),
          summary: { error: 'The workflow service was unreachable; nothing was posted. Try again shortly.' },
        },
      }),
    );
    if (closed.count === 0) return;
    throw new AppError(
      'DEPENDENCY_UNAVAILABLE',
      'The run could not be started because the workflow service is unreachable. Nothing was posted; try again shortly.',
    );
  }
}

export async function requestManualRun(deps: RunDeps, input: { tenantId: string; installationId: string }): Promise<{ execution: Execution; quota: RunQuota }> {
  const { execution, quota } = await withTenant(deps.db, input.tenantId, async (tx) => {
    const installation = await tx.installation.findUnique({ where: { id: input.installationId } });
    if (!installation) throw new AppError('INSTALLATION_NOT_FOUND', 'No such installation in this tenant.');
    if (installation.status !== 'installed') throw new AppError('INVALID_STATE', `The installation is ${installation.status}; it must be installed to run.`);
    if (!installation.credentialId) throw new AppError('NOT_CONFIGURED', 'Connect Mattermost before running the digest.');
    const taken = await takeRunQuota(tx, input.tenantId, deps.runNowLimitPerHour);
    const id = randomUUID();
    const identity = manualRunIdentity({ tenantId: input.tenantId, executionId: id, now: new Date() });
    const created = await tx.execution.create({
      data: {
        id,
        tenantId: input.tenantId,
        installationId: installation.id,
        kind: DIGEST_EXECUTION_KIND,
        trigger: 'manual',
        correlationId: identity.correlationId,
        dedupeKey: identity.dedupeKey,
        workflowId: identity.correlationId,
        windowStart: identity.windowStart,
        windowEnd: identity.windowEnd,
      },
    });
    return { execution: created, quota: taken };
  });
  await startOrClose(deps, execution, { trigger: 'manual' });
  return { execution, quota };
}

/**
 * Re-runs a failed execution under the same dedupe key: if the original did reach Mattermost,
 * nothing is posted twice. An outcome the original could not know is re-posted only here,
 * because the user asked.
 */
export async function requestRetry(deps: RunDeps, input: { tenantId: string; executionId: string }): Promise<{ execution: Execution; quota: RunQuota }> {
  const { execution, quota } = await withTenant(deps.db, input.tenantId, async (tx) => {
    const original = await tx.execution.findUnique({ where: { id: input.executionId } });
    if (!original) throw new AppError('EXECUTION_NOT_FOUND', 'No such execution in this tenant.');
    if (original.status !== 'failed') throw new AppError('INVALID_STATE', `Only a failed run can be retried; this one is ${original.status}.`);
    // Retry re-runs a digest; another package's execution (a failure alert) is retried by its own workflow.
    if (original.kind !== DIGEST_EXECUTION_KIND)
      throw new AppError('INVALID_STATE', `Only a digest run can be retried here; this execution is a ${original.kind}, which its package retries itself.`);
    const installation = await tx.installation.findUnique({ where: { id: original.installationId } });
    if (!installation || installation.status !== 'installed') throw new AppError('INVALID_STATE', 'The installation is not installed any more.');
    const covering = (await supersedingDigests(tx, [original])).get(original.id);
    if (covering)
      throw new AppError(
        'RETRY_SUPERSEDED',
        `The scheduled digest for ${covering.digest_date} already reported this run's period; a Retry would report those events twice. Nothing was started and no manual run was used.`,
        { details: { superseded_by: covering } },
      );
    const taken = await takeRunQuota(tx, input.tenantId, deps.runNowLimitPerHour);
    const id = randomUUID();
    const created = await tx.execution.create({
      data: {
        id,
        tenantId: input.tenantId,
        installationId: original.installationId,
        kind: original.kind,
        trigger: 'retry',
        correlationId: original.correlationId,
        dedupeKey: original.dedupeKey ?? manualRunIdentity({ tenantId: input.tenantId, executionId: id, now: new Date() }).dedupeKey,
        workflowId: retryDigestRunId(input.tenantId, id),
        windowStart: original.windowStart,
        windowEnd: original.windowEnd,
        digestDate: original.digestDate,
        retryOfExecutionId: original.id,
        summary: { retry_of: original.id },
      },
    });
    return { execution: created, quota: taken };
  });
  await startOrClose(deps, execution, { trigger: 'retry', acceptUnknownOutcome: true });
  return { execution, quota };
}
