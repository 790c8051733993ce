// Runs (executions) of every package: list, one with its logs, and Retry (for packages that opt in: PackageModule.runs).
import { Router } from 'express';
import { withTenant } from '../../lib/db/with-tenant';
import { AppError } from '../../lib/errors/app-error';
import { failureCodes } from '../../lib/executions/failure-codes';
import { afterCursor, decodeCursor, encodeCursor } from '../../lib/pagination/cursor';
import { requestRetry } from '../../lib/runs/request-run';
import { retryBlocks } from '../../lib/runs/retry-blocks';
import type { ComposedAppDeps } from '../app-deps';
import { requireRole, tenantOf } from '../middleware/auth';
import { parseInput } from '../middleware/parse';
import { presentExecution, presentExecutionLog, presentQuota } from '../presenters';
import { ZExecutionListQuery } from './executions.schemas';
import { ZEmptyBody, ZIdParam } from './installations.schemas';

export function executionsRouter(deps: ComposedAppDeps): Router {
  const router = Router({ mergeParams: true });

  router.get('/', async (req, res) => {
    const q = parseInput(ZExecutionListQuery, req.query, 'query');
    const tenant = tenantOf(res);
    const { rows, codes, blocks } = await withTenant(deps.db, tenant.id, async (tx) => {
      const found = await tx.execution.findMany({
        where: {
          ...(q.installation_id ? { installationId: q.installation_id } : {}),
          ...(q.status ? { status: q.status } : {}),
          ...(q.trigger ? { trigger: q.trigger } : {}),
          ...(q.correlation_id ? { correlationId: q.correlation_id } : {}),
          ...afterCursor(q.cursor ? decodeCursor(q.cursor) : undefined),
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: q.limit + 1,
      });
      return {
        rows: found,
        codes: await failureCodes(
          tx,
          tenant.id,
          found.filter((e) => e.status === 'failed').map((e) => e.id),
        ),
        blocks: await retryBlocks(tx, deps.runHooks, found),
      };
    });
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    res.json({
      items: page.map((e) => presentExecution(e, deps, codes.get(e.id), blocks.get(e.id)?.supersededBy)),
      next_cursor: rows.length > q.limit && last ? encodeCursor(last) : null,
    });
  });

  router.get('/:id', async (req, res) => {
    const id = parseInput(ZIdParam, req.params.id, 'execution id');
    const tenant = tenantOf(res);
    const found = await withTenant(deps.db, tenant.id, async (tx) => {
      const execution = await tx.execution.findUnique({ where: { id } });
      if (!execution) return null;
      const logs = await tx.executionLog.findMany({ where: { executionId: id }, orderBy: { at: 'asc' } });
      const codes = await failureCodes(tx, tenant.id, execution.status === 'failed' ? [id] : []);
      return { execution, logs, code: codes.get(id), block: (await retryBlocks(tx, deps.runHooks, [execution])).get(id) };
    });
    if (!found) throw new AppError('EXECUTION_NOT_FOUND', 'No such execution in this tenant.');
    res.json({ ...presentExecution(found.execution, deps, found.code, found.block?.supersededBy), logs: found.logs.map(presentExecutionLog) });
  });

  router.post('/:id/retry', requireRole('owner', 'admin'), async (req, res) => {
    const id = parseInput(ZIdParam, req.params.id, 'execution id');
    parseInput(ZEmptyBody, req.body ?? {}, 'retry request');
    const tenant = tenantOf(res);
    const { execution, quota } = await requestRetry(deps, { tenantId: tenant.id, executionId: id });
    res
      .status(202)
      .location(`/api/tenants/${tenant.slug}/executions/${execution.id}`)
      .json({ execution: presentExecution(execution, deps), run_quota: presentQuota(quota) });
  });

  return router;
}
