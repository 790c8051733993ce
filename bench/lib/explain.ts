// Profiles the digest aggregation: runs collectDigestStats against a stand-in pg client that
// sends each of its reads of the signals as EXPLAIN (ANALYZE, BUFFERS), then as itself, through
// the application role inside the tenant's RLS context, so the plans are exactly those the worker
// gets: a named statement is prepared and explained as EXECUTE, under the plan_cache_mode the
// aggregation sets (its generic plan), and the plan's planning time is what each execution pays.
import { Client, type PoolClient, type QueryConfig } from 'pg';
import { collectDigestStats } from '../../packages/mattermost_daily_ops_digest/collect-digest-stats';

export interface QueryPlan {
  query: string;
  executionMs: number;
  planningMs: number;
  plan: string;
}

export async function explainDigestAggregation(appDbUrl: string, input: { tenantId: string; windowStart: Date; windowEnd: Date }): Promise<QueryPlan[]> {
  const client = new Client({ connectionString: appDbUrl });
  await client.connect();
  const plans: QueryPlan[] = [];
  // EXECUTE takes its arguments as SQL, not as bound parameters.
  const literal = (v: unknown): string =>
    v instanceof Date ? client.escapeLiteral(v.toISOString()) : Array.isArray(v) ? `array[${v.map(literal).join(', ')}]` : client.escapeLiteral(String(v));
  const prepared = new Set<string>();
  try {
    await client.query('begin');
    await client.query(`select set_config('app.tenant_id', $1, true)`, [input.tenantId]);
    const explain = async (statement: string, run: () => Promise<{ rows: unknown[] }>, params: unknown[] = []) => {
      const res = await client.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${statement}`, params);
      const plan = res.rows.map((r) => r['QUERY PLAN']).join('\n');
      const ms = (label: string) => Number(new RegExp(`${label} Time: ([\\d.]+) ms`).exec(plan)?.[1] ?? NaN);
      plans.push({ query: statement.replace(/\s+/g, ' ').trim().slice(0, 90), executionMs: ms('Execution'), planningMs: ms('Planning'), plan });
      // The statement's own rows too: the aggregation goes on with what the worker would read.
      return run();
    };
    const tx = {
      query: async (config: string | QueryConfig, values?: unknown[]) => {
        const { text, name, values: params = values ?? [] } = typeof config === 'string' ? { text: config, name: undefined, values } : config;
        if (!text.includes('signal')) return client.query(text, params);
        if (!name) return explain(text, () => client.query(text, params), params);
        if (!prepared.has(name)) {
          await client.query(`prepare ${name} as ${text}`);
          prepared.add(name);
        }
        const execute = `execute ${name}(${params.map(literal).join(', ')})`;
        // A first execution, so the plan explained is the cached one the worker reuses.
        await client.query(execute);
        return explain(execute, () => client.query(execute));
      },
    } as unknown as PoolClient;
    await collectDigestStats(tx, {
      tenantId: input.tenantId,
      tenantName: 'bench',
      timezone: 'UTC',
      windowStart: input.windowStart,
      windowEnd: input.windowEnd,
    });
    await client.query('commit');
  } finally {
    await client.end();
  }
  return plans;
}
