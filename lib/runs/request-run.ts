// "Run now" and "Retry run", for any package that opts in (PackageModule.runs, lib/runs/run-hook.ts):
// record the execution (rate-limited per tenant), then start the workflow the package names. If
// Temporal cannot be reached the execution is closed as failed, visibly.
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/client';
import type { Execution } from '../db/generated/client';
import { withTenant } from '../db/with-tenant';
import { AppError } from '../errors/app-error';
import type { Logger } from '../log/logger';
import type { RunHook, RunHooks, RunWorkflow } from './run-hook';
import { takeRunQuota, type RunQuota } from './run-now-limit';
import type { RunStarter } from './run-starter';

export interface RunDeps {
  db: Db;
  runStarter: RunStarter;
  logger: Logger;
  runNowLimitPerHour: number;
  runHooks: RunHooks;
}

function hookOf(deps: RunDeps, packageSlug: string): RunHook {
  const hook = deps.runHooks.forPackage(packageSlug);
  if (!hook)
    throw new AppError(
      'RUNS_NOT_SUPPORTED',
      `The ${packageSlug} package has no manual runs: Run now and Retry are not available for its installations (it runs by itself).`,
    );
  return hook;
}

async function startOrClose(deps: RunDeps, execution: Execution, run: RunWorkflow): Promise<void> {
  try {
    await deps.runStarter.start({
      ...run,
      workflowId: execution.workflowId!,
      correlationId: execution.correlationId,
      tenantId: execution.tenantId,
      installationId: execution.installationId,
      executionId: execution.id,
    });
  } catch (err) {
    deps.logger.warn(
      {
        tenantId: execution.tenantId,
        executionId: execution.id,
        correlationId: execution.correlationId,
        workflowType: run.workflowType,
        err: err instanceof Error ? err.message : String(err),
      },
      'could not start run',
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
  const { execution, quota, run } = await withTenant(deps.db, input.tenantId, async (tx) => {
    const installation = await tx.installation.findUnique({ where: { id: input.installationId } });
    if (!installation) throw new AppError('INSTALLATION_NOT_FOUND', 'No such installation in this tenant.');
    const hook = hookOf(deps, installation.packageSlug);
    if (installation.status !== 'installed') throw new AppError('INVALID_STATE', `The installation is ${installation.status}; it must be installed to run.`);
    hook.assertRunnable?.(installation);
    const taken = await takeRunQuota(tx, input.tenantId, deps.runNowLimitPerHour);
    const id = randomUUID();
    const identity = hook.manualRunIdentity({ tenantId: input.tenantId, executionId: id, now: new Date() });
    const created = await tx.execution.create({
      data: {
        id,
        tenantId: input.tenantId,
        installationId: installation.id,
        kind: hook.executionKind,
        trigger: 'manual',
        correlationId: identity.correlationId,
        dedupeKey: identity.dedupeKey,
        workflowId: identity.workflowId,
        windowStart: identity.windowStart,
        windowEnd: identity.windowEnd,
      },
    });
    // Asked inside the transaction: a package that cannot say what to start leaves no execution.
    return { execution: created, quota: taken, run: hook.runWorkflow(created, { trigger: 'manual', acceptUnknownOutcome: false }) };
  });
  await startOrClose(deps, execution, run);
  return { execution, quota };
}

/**
 * Re-runs a failed execution under the same dedupe key: if the original did reach Mattermost,
 * nothing is posted twice. An outcome the original could not know is re-posted only here,
 * because the user asked.
 */
export async function requestRetry(deps: RunDeps, input: { tenantId: string; executionId: string }): Promise<{ execution: Execution; quota: RunQuota }> {
  const { execution, quota, run } = await withTenant(deps.db, input.tenantId, async (tx) => {
    const original = await tx.execution.findUnique({ where: { id: input.executionId } });
    if (!original) throw new AppError('EXECUTION_NOT_FOUND', 'No such execution in this tenant.');
    if (original.status !== 'failed') throw new AppError('INVALID_STATE', `Only a failed run can be retried; this one is ${original.status}.`);
    const installation = await tx.installation.findUnique({ where: { id: original.installationId } });
    if (!installation) throw new AppError('INVALID_STATE', 'The installation is not installed any more.');
    const hook = hookOf(deps, installation.packageSlug);
    // Retry re-runs what the package records; another kind of execution is retried by its own workflow.
    if (original.kind !== hook.executionKind)
      throw new AppError(
        'INVALID_STATE',
        `Only a ${hook.executionKind} run can be retried here; this execution is a ${original.kind}, which its package retries itself.`,
      );
    if (installation.status !== 'installed') throw new AppError('INVALID_STATE', 'The installation is not installed any more.');
    const block = (await hook.retryBlockedBy?.(tx, [original]))?.get(original.id);
    if (block) throw new AppError('RETRY_SUPERSEDED', block.message, { details: { superseded_by: block.supersededBy } });
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
        dedupeKey: original.dedupeKey ?? hook.manualRunIdentity({ tenantId: input.tenantId, executionId: id, now: new Date() }).dedupeKey,
        workflowId: hook.retryWorkflowId({ tenantId: input.tenantId, executionId: id }),
        windowStart: original.windowStart,
        windowEnd: original.windowEnd,
        digestDate: original.digestDate,
        retryOfExecutionId: original.id,
        summary: { retry_of: original.id },
      },
    });
    return { execution: created, quota: taken, run: hook.runWorkflow(created, { trigger: 'retry', acceptUnknownOutcome: true }) };
  });
  await startOrClose(deps, execution, run);
  return { execution, quota };
}
