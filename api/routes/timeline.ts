// "What happened?" for one correlation id (an install directive, a digest run and its retries, a
// credential connection, or a reporting system's own run): its directive(s), executions with
// their logs, and signals, merged into one list in time order, with links into the Temporal Web UI.
import { Router } from 'express';
import { withTenant } from '../../lib/db/with-tenant';
import { failureCodes } from '../../lib/executions/failure-codes';
import { retryBlocks } from '../../lib/runs/retry-blocks';
import type { ComposedAppDeps } from '../app-deps';
import { correlationSearchUrl, temporalSearchUrl, visibilityLiteral } from '../../lib/temporal/temporal-links';
import { tenantOf } from '../middleware/auth';
import { parseInput } from '../middleware/parse';
import { setRequestCorrelationId } from '../middleware/request-context';
import { presentDirective, presentExecution, presentExecutionLog, presentSignal } from '../presenters';
import { ZTimelineParam } from './signals.schemas';

/** Most rows of each kind one timeline reads. */
export const TIMELINE_LIMIT = 500;

type EventKind = 'directive' | 'execution' | 'log' | 'signal';
const KIND_ORDER: Record<EventKind, number> = { directive: 0, execution: 1, log: 2, signal: 3 };

export interface TimelineEvent {
  at: Date;
  kind: EventKind;
  title: string;
  status: string | null;
  level: string | null;
  ref_id: string;
  execution_id: string | null;
  data: unknown;
  temporal_url: string | null;
}

export function timelineRouter(deps: Pick<ComposedAppDeps, 'db' | 'temporalUiUrl' | 'namespace' | 'runHooks'>): Router {
  const router = Router({ mergeParams: true });
  const links = { temporalUiUrl: deps.temporalUiUrl, namespace: deps.namespace };

  // Every workflow of this tenant in the Temporal Web UI (the TenantId search attribute).
  router.get('/', (_req, res) => {
    const tenant = tenantOf(res);
    const query = `TenantId = ${visibilityLiteral(tenant.id)}`;
    res.json({ query, temporal_search_url: deps.temporalUiUrl ? temporalSearchUrl(deps.temporalUiUrl, deps.namespace, query) : null });
  });

  router.get('/:correlationId', async (req, res) => {
    const correlationId = parseInput(ZTimelineParam, req.params.correlationId, 'correlation id');
    const tenant = tenantOf(res);
    setRequestCorrelationId(res, correlationId);
    const found = await withTenant(deps.db, tenant.id, async (tx) => {
      const take = TIMELINE_LIMIT + 1;
      const [directives, executions, signals] = await Promise.all([
        tx.directive.findMany({ where: { correlationId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take }),
        tx.execution.findMany({ where: { correlationId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take }),
        tx.signal.findMany({ where: { correlationId }, orderBy: [{ occurredAt: 'asc' }, { createdAt: 'asc' }], take }),
      ]);
      const logs = executions.length
        ? await tx.executionLog.findMany({ where: { executionId: { in: executions.map((e) => e.id) } }, orderBy: [{ at: 'asc' }, { id: 'asc' }], take })
        : [];
      const codes = await failureCodes(
        tx,
        tenant.id,
        executions.filter((e) => e.status === 'failed').map((e) => e.id),
      );
      return { directives, executions, signals, logs, codes, blocks: await retryBlocks(tx, deps.runHooks, executions) };
    });
    const truncated = [found.directives, found.executions, found.signals, found.logs].some((rows) => rows.length > TIMELINE_LIMIT);
    const directives = found.directives.slice(0, TIMELINE_LIMIT).map((d) => presentDirective(d, links));
    const executions = found.executions.slice(0, TIMELINE_LIMIT).map((e) => ({
      ...presentExecution(e, links, found.codes.get(e.id), found.blocks.get(e.id)?.supersededBy),
      logs: found.logs.filter((l) => l.executionId === e.id).map(presentExecutionLog),
    }));
    const signals = found.signals.slice(0, TIMELINE_LIMIT).map(presentSignal);

    const events: TimelineEvent[] = [
      ...directives.map((d) => ({
        at: d.created_at,
        kind: 'directive' as const,
        title: `Directive ${d.type} recorded`,
        // Each event carries its own status (at that moment), not the directive's current one.
        status: 'requested',
        level: null,
        ref_id: d.id,
        execution_id: null,
        data: { error: d.error, error_kind: d.error_kind, actor_role: d.actor_role },
        temporal_url: d.temporal_url,
      })),
      // Directive and run lifecycle: started and ended, each at its own time.
      ...directives.flatMap((d) =>
        [
          ...(d.started_at ? [{ at: d.started_at, title: `Directive ${d.type} started`, status: 'running', level: null }] : []),
          ...(d.completed_at
            ? [{ at: d.completed_at, title: `Directive ${d.type} ${d.status}`, status: d.status, level: d.status === 'failed' ? 'error' : null }]
            : []),
        ].map((x) => ({
          ...x,
          kind: 'directive' as const,
          ref_id: d.id,
          execution_id: null,
          data: { workflow_id: d.workflow_id, run_id: d.run_id },
          temporal_url: d.temporal_url,
        })),
      ),
      ...executions.flatMap((e) =>
        [
          ...(e.started_at ? [{ at: e.started_at, title: 'Run started', status: 'running', level: null }] : []),
          ...(e.finished_at ? [{ at: e.finished_at, title: `Run ${e.status}`, status: e.status, level: e.status === 'failed' ? 'error' : null }] : []),
        ].map((x) => ({
          ...x,
          kind: 'execution' as const,
          ref_id: e.id,
          execution_id: e.id,
          data: { workflow_id: e.workflow_id, run_id: e.run_id },
          temporal_url: e.temporal_url,
        })),
      ),
      ...executions.map((e) => ({
        at: e.created_at,
        kind: 'execution' as const,
        title: `${e.trigger === 'retry' ? 'Retry' : e.trigger === 'manual' ? 'Manual' : 'Scheduled'} run requested`,
        status: 'pending',
        level: null,
        ref_id: e.id,
        execution_id: e.id,
        data: { error_kind: e.error_kind, hint: e.hint },
        temporal_url: e.temporal_url,
      })),
      ...found.logs.slice(0, TIMELINE_LIMIT).map((l) => ({
        at: l.at,
        kind: 'log' as const,
        title: l.message,
        status: null,
        level: l.level,
        ref_id: l.id,
        execution_id: l.executionId,
        data: l.data,
        temporal_url: null,
      })),
      ...signals.map((s) => ({
        at: s.occurred_at,
        kind: 'signal' as const,
        title: s.type,
        status: null,
        level: s.type.endsWith('.failed') ? 'error' : null,
        ref_id: s.id,
        execution_id: null,
        data: { source: s.source, subject: s.subject, payload: s.payload },
        temporal_url: null,
      })),
    ];
    events.sort((a, b) => a.at.getTime() - b.at.getTime() || KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);

    // The Temporal workflows behind this story (a directive's, each run's) and a Web UI search for
    // every workflow carrying the CorrelationId search attribute.
    const workflows = [
      ...directives.map((d) => ({ kind: 'directive' as const, ref_id: d.id, workflow_id: d.workflow_id, run_id: d.run_id, temporal_url: d.temporal_url })),
      ...executions
        .filter((e) => e.workflow_id)
        .map((e) => ({ kind: 'execution' as const, ref_id: e.id, workflow_id: e.workflow_id as string, run_id: e.run_id, temporal_url: e.temporal_url })),
    ];
    const temporal_search_url = deps.temporalUiUrl ? correlationSearchUrl(deps.temporalUiUrl, deps.namespace, correlationId) : null;
    res.json({ correlation_id: correlationId, truncated, events, directives, executions, signals, workflows, temporal_search_url });
  });

  return router;
}
