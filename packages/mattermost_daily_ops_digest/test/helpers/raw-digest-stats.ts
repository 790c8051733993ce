// The digest aggregation as it was before the hourly rollups: every count, the cost and the error
// kinds read straight from the window's signals. The reference the rollup-based
// packages/mattermost_daily_ops_digest/collect-digest-stats.ts must agree with (test/integration/signals/signal-rollups.test.ts)
// and the baseline of bench/digest-aggregation.ts.
import type { Tx } from '../../../../lib/db/with-tenant';
import { SIGNAL_TYPES } from '../../../../lib/signals/catalogue';
import type { DigestStats } from '../../digest-stats';

const CONSUMED = `(type like 'package.%' or type like 'directive.%' or type like 'agent.execution.%' or type like 'workflow.run.%')`;
const FAILED_TYPES = [
  'package.install.failed',
  'package.uninstall.failed',
  'package.upgrade.failed',
  'directive.failed',
  'agent.execution.failed',
  'workflow.run.failed',
];
/** Only catalogue types are ever written (emitSignals and the ingest schema), so this is every agent.execution.* type. */
const AGENT_EXECUTION_TYPES = Object.values(SIGNAL_TYPES).filter((t) => t.startsWith('agent.execution.'));
/** The tenant's window signals of the types in $4, one index range per type ("offset 0" keeps the
 * lateral from being flattened into a join, which brings the cross-tenant plan back). */
const OF_TYPES = `unnest($4::text[]) as t(type) cross join lateral (
         select id, type, subject, occurred_at, payload from signals
          where tenant_id = $1::uuid and type = t.type and occurred_at >= $2 and occurred_at < $3`;

export async function collectDigestStatsFromSignals(
  tx: Tx,
  input: { tenantId: string; tenantName: string; timezone: string; windowStart: Date; windowEnd: Date; includeWorkflowRuns?: boolean },
): Promise<DigestStats> {
  const { tenantId, windowStart, windowEnd } = input;
  const counts = await tx.$queryRawUnsafe<{ type: string; n: number }[]>(
    `select type, count(*)::int as n from signals
      where tenant_id = $1::uuid and occurred_at >= $2 and occurred_at < $3 and ${CONSUMED}
      group by type`,
    tenantId,
    windowStart,
    windowEnd,
  );
  const failures = await tx.$queryRawUnsafe<{ type: string; subject: string | null; occurred_at: Date; error_kind: string | null; message: string | null }[]>(
    `select s.type, s.subject, s.occurred_at,
            coalesce(s.payload->>'error_kind', s.payload->>'error_type') as error_kind,
            left(coalesce(s.payload->>'error', s.payload->>'message'), 300) as message
       from ${OF_TYPES} order by occurred_at desc, id desc limit 20) s
      order by s.occurred_at desc, s.id desc limit 20`,
    tenantId,
    windowStart,
    windowEnd,
    FAILED_TYPES,
  );
  const topErrors = await tx.$queryRawUnsafe<{ error_kind: string; n: number }[]>(
    `select coalesce(s.payload->>'error_kind', s.payload->>'error_type', 'unknown') as error_kind, count(*)::int as n
       from ${OF_TYPES} offset 0) s
      group by 1 order by 2 desc, 1 limit 5`,
    tenantId,
    windowStart,
    windowEnd,
    FAILED_TYPES,
  );
  const errorSources = await tx.$queryRawUnsafe<{ error_kind: string; source: string; n: number }[]>(
    `select coalesce(s.payload->>'error_kind', s.payload->>'error_type', 'unknown') as error_kind, split_part(s.type, '.', 1) as source, count(*)::int as n
       from ${OF_TYPES} offset 0) s
      group by 1, 2 order by 3 desc, 1, 2 limit 20`,
    tenantId,
    windowStart,
    windowEnd,
    FAILED_TYPES,
  );
  const cost = await tx.$queryRawUnsafe<{ total: number | null; n: number }[]>(
    `select sum((s.payload->>'cost_usd')::numeric)::float8 as total, count(*)::int as n
       from ${OF_TYPES} offset 0) s
      where jsonb_typeof(s.payload->'cost_usd') = 'number'`,
    tenantId,
    windowStart,
    windowEnd,
    AGENT_EXECUTION_TYPES,
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
    failureTotal: FAILED_TYPES.reduce((sum, type) => sum + c(type), 0),
    topErrors: topErrors.map((e) => ({ errorKind: e.error_kind, count: e.n })),
    errorSources: errorSources.map((e) => ({ errorKind: e.error_kind, source: e.source, count: e.n })),
    cost: cost[0] && cost[0].n > 0 ? { totalUsd: Math.round((cost[0].total ?? 0) * 10000) / 10000, executionsWithCost: cost[0].n } : null,
    totalSignals: total,
  };
}
