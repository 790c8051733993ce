// Aggregates a tenant's signals over a window in SQL — grouped counts, the latest failures and
// the top error kinds — never by loading every row; runs inside the tenant's RLS transaction.
//
// Counts, cost and error kinds come from the hourly rollups (signal_hourly_rollups, kept by
// triggers on signals in the same transaction as every insert and delete) for whole UTC hours,
// corrected by the signals themselves at either edge (rollup-window.ts): added where an edge's
// partial hour is inside the window, taken away where a rollup hour reaches outside it. A 24 h
// window reads ~24 rollup rows per type plus at most one hour of signals (half an hour when it
// ends now), whatever the tenant's size. The functions app_signal_error_kind/app_signal_cost are the
// triggers' own, so both parts classify a signal identically.
//
// The latest failures are read from the signals through the (tenant_id, type, occurred_at) index
// one type at a time (a union of one range per type), so their work is bounded by this tenant's
// rows. Each type is named in the statement, so the planner estimates its rows from that type's
// own statistics. Written as "type in (...)" it prefers the cross-tenant (occurred_at) retention
// index (signals arrive in time order, so it looks sequential) and walks every tenant's signals
// of the window: 0.3-0.5 s at 10M signals. Passed through unnest($n) it assumes ~1,700 rows per
// type, and when one tenant is a third of the table it chose that index too: 51-160 ms
// (bench/digest-aggregation.ts).
import { sqlRows, withGenericPlans, type SqlClient } from '../../lib/db/raw-sql';
import { SIGNAL_TYPES } from '../../lib/signals/catalogue';
import type { DigestStats } from './digest-stats';
import { splitRollupWindow } from './rollup-window';

/** The largest cost total a digest reports (a sum beyond it is shown as this). */
export const MAX_COST_TOTAL = 1e12;

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
/** The 20 latest failures of each type in the tenant's window ($1 tenant, $2/$3 the window). The
 * types are this file's constants, never input; the check keeps them safe to name in SQL. */
const LATEST_OF_EACH_FAILURE_TYPE = FAILED_TYPES.map((type) => {
  if (!/^[a-z_.]+$/.test(type)) throw new Error(`Not a signal type: ${type}`);
  return `(select id, type, subject, occurred_at, payload from signals
            where tenant_id = $1::uuid and type = '${type}' and occurred_at >= $2 and occurred_at < $3
            order by occurred_at desc, id desc limit 20)`;
}).join(' union all ');

// Parameters of the two rollup queries: $1 tenant, $2 window start, $3 rollup start, $4 rollup
// end, $5 window end, $6 the types of interest. The raw edges lie between each window edge and
// its rollup edge; a signal there counts +1 inside the window [$2, $5) and -1 outside it.
const ROLLUP_HOURS = `select type, error_kind, n, cost_n, cost_sum from signal_hourly_rollups
          where tenant_id = $1::uuid and hour >= $3 and hour < $4`;
const RAW_EDGES = `select type, app_signal_error_kind(type, payload) as error_kind, sign as n,
                sign * (c is not null)::int as cost_n, sign * coalesce(c, 0) as cost_sum
           from signals, lateral (select app_signal_cost(payload) as c,
                                         case when occurred_at >= $2 and occurred_at < $5 then 1 else -1 end::bigint as sign) edge
          where tenant_id = $1::uuid
            and ((occurred_at >= least($2::timestamptz, $3) and occurred_at < greatest($2::timestamptz, $3))
              or (occurred_at >= least($4::timestamptz, $5) and occurred_at < greatest($4::timestamptz, $5)))`;

export async function collectDigestStats(
  tx: SqlClient,
  input: { tenantId: string; tenantName: string; timezone: string; windowStart: Date; windowEnd: Date; includeWorkflowRuns?: boolean },
): Promise<DigestStats> {
  const { tenantId, windowStart, windowEnd } = input;
  const w = splitRollupWindow(windowStart, windowEnd);
  const edges = [tenantId, w.windowStart, w.rollupStart, w.rollupEnd, w.windowEnd];
  // The three statements are named, with generic plans: their plans are the same for any tenant
  // and window (each read starts from a (tenant_id, …) index), and planning them every time cost
  // about as much as running them (bench/digest-aggregation.ts: ~4.8 ms of planning for ~4 ms of
  // execution at the 1M tenant).
  const { byType, failures, errorGroups } = await withGenericPlans(tx, async () => {
    // Counts per type, and (the grouping set "()") the cost over every agent execution type, summed
    // as numeric before the one conversion to float8, exactly as a scan of the signals would. The
    // numeric sum cannot overflow; it is clamped into [0, MAX_COST_TOTAL] before the conversion, so
    // signals stored before ingest bounded cost_usd (lib/signals/payload-numbers.ts) cannot either.
    const byType = await sqlRows<{ total: boolean; type: string | null; n: number; cost_n: number | null; cost_sum: number | null }>(
      tx,
      `select grouping(type) = 1 as total, type, sum(n)::float8 as n,
              sum(cost_n) filter (where type = any($6::text[]))::float8 as cost_n,
              least(greatest(sum(cost_sum) filter (where type = any($6::text[])), 0), ${MAX_COST_TOTAL})::float8 as cost_sum
         from (${ROLLUP_HOURS} union all ${RAW_EDGES}) x
        where ${CONSUMED}
        group by grouping sets ((type), ())`,
      [...edges, AGENT_EXECUTION_TYPES],
      'digest_counts',
    );
    const failures = await sqlRows<{ type: string; subject: string | null; occurred_at: Date; error_kind: string | null; message: string | null }>(
      tx,
      `select s.type, s.subject, s.occurred_at,
              coalesce(s.payload->>'error_kind', s.payload->>'error_type') as error_kind,
              left(coalesce(s.payload->>'error', s.payload->>'message'), 300) as message
         from (${LATEST_OF_EACH_FAILURE_TYPE}) s
        order by s.occurred_at desc, s.id desc limit 20`,
      [tenantId, windowStart, windowEnd],
      'digest_latest_failures',
    );
    // The top error kinds, and failure counts by error kind and source (the type's first segment),
    // from one scan of the rollups and edges (the CTE is materialized: read once, grouped twice).
    const errorGroups = await sqlRows<{ by_source: boolean; error_kind: string; source: string; n: number }>(
      tx,
      `with x as materialized (select type, error_kind, n from (${ROLLUP_HOURS} union all ${RAW_EDGES}) r where type = any($6::text[]))
       (select false as by_source, error_kind, '' as source, sum(n)::float8 as n from x group by 2 having sum(n) > 0 order by 4 desc, 2 limit 5)
       union all
       (select true, error_kind, split_part(type, '.', 1), sum(n)::float8 from x group by 2, 3 having sum(n) > 0 order by 4 desc, 2, 3 limit 20)`,
      [...edges, FAILED_TYPES],
      'digest_error_groups',
    );
    return { byType, failures, errorGroups };
  });
  const counts = byType.filter((row) => !row.total) as { type: string; n: number }[];
  const topErrors = errorGroups.filter((g) => !g.by_source);
  const errorSources = errorGroups.filter((g) => g.by_source);
  const totalRow = byType.find((row) => row.total);
  const cost = totalRow && (totalRow.cost_n ?? 0) > 0 ? { total: totalRow.cost_sum, n: totalRow.cost_n! } : null;

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
    cost: cost ? { totalUsd: Math.round((cost.total ?? 0) * 10000) / 10000, executionsWithCost: cost.n } : null,
    totalSignals: total,
  };
}
