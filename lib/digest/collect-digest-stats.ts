// Aggregates a tenant's signals over a window in SQL — grouped counts, the latest failures and
// the top error kinds — never by loading every row. Uses the (tenant_id, occurred_at) and
// (tenant_id, type, occurred_at) indexes; runs inside the tenant's RLS transaction.
import type { Tx } from '../db/with-tenant';
import type { DigestStats } from './digest-stats';

const CONSUMED = `(type like 'package.%' or type like 'directive.%' or type like 'agent.execution.%' or type like 'workflow.run.%')`;
const FAILED = `type in ('package.install.failed', 'package.uninstall.failed', 'package.upgrade.failed', 'directive.failed', 'agent.execution.failed', 'workflow.run.failed')`;

export async function collectDigestStats(
  tx: Tx,
  input: { tenantId: string; tenantName: string; timezone: string; windowStart: Date; windowEnd: Date; includeWorkflowRuns?: boolean },
): Promise<DigestStats> {
  const { tenantId, windowStart, windowEnd } = input;
  const counts = await tx.$queryRawUnsafe<{ type: string; n: number }[]>(
    `select type, count(*)::int as n from signals
      where tenant_id = $1::uuid and occurred_at >= $2 and occurred_at < $3 and ${CONSUMED}
      group by type`,
    tenantId, windowStart, windowEnd,
  );
  const failures = await tx.$queryRawUnsafe<{ type: string; subject: string | null; occurred_at: Date; error_kind: string | null; message: string | null }[]>(
    `select type, subject, occurred_at,
            coalesce(payload->>'error_kind', payload->>'error_type') as error_kind,
            left(coalesce(payload->>'error', payload->>'message'), 300) as message
       from signals
      where tenant_id = $1::uuid and occurred_at >= $2 and occurred_at < $3 and ${FAILED}
      order by occurred_at desc, id desc limit 20`,
    tenantId, windowStart, windowEnd,
  );
  const topErrors = await tx.$queryRawUnsafe<{ error_kind: string; n: number }[]>(
    `select coalesce(payload->>'error_kind', payload->>'error_type', 'unknown') as error_kind, count(*)::int as n
       from signals
      where tenant_id = $1::uuid and occurred_at >= $2 and occurred_at < $3 and ${FAILED}
      group by 1 order by 2 desc, 1 limit 5`,
    tenantId, windowStart, windowEnd,
  );
  const cost = await tx.$queryRawUnsafe<{ total: number | null; n: number }[]>(
    `select sum((payload->>'cost_usd')::numeric)::float8 as total, count(*)::int as n
       from signals
      where tenant_id = $1::uuid and occurred_at >= $2 and occurred_at < $3
        and type like 'agent.execution.%' and jsonb_typeof(payload->'cost_usd') = 'number'`,
    tenantId, windowStart, windowEnd,
  );

  const c = (type: string) => counts.find((row) => row.type === type)?.n ?? 0;
  const total = counts.reduce((sum, row) => sum + row.n, 0);
  return {
    tenantName: input.tenantName,
    windowStart,
    windowEnd,
    timezone: input.timezone,
    installs: {
      requested: c('package.install.requested'),
      completed: c('package.install.completed'),
      failed: c('package.install.failed'),
      upgrades: c('package.upgrade.completed'),
      uninstalls: c('package.uninstall.completed'),
    },
    directives: { requested: c('directive.requested'), completed: c('directive.completed'), failed: c('directive.failed') },
    executions: { completed: c('agent.execution.completed'), failed: c('agent.execution.failed') },
    ...(input.includeWorkflowRuns === false ? {} : { workflowRuns: { completed: c('workflow.run.completed'), failed: c('workflow.run.failed') } }),
    failures: failures.map((f) => ({ type: f.type, subject: f.subject, occurredAt: f.occurred_at, errorKind: f.error_kind, message: f.message })),
    topErrors: topErrors.map((e) => ({ errorKind: e.error_kind, count: e.n })),
    cost: cost[0] && cost[0].n > 0 ? { totalUsd: Math.round((cost[0].total ?? 0) * 10000) / 10000, executionsWithCost: cost[0].n } : null,
    totalSignals: total,
  };
}
