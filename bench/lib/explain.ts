// Profiles the digest aggregation: runs collectDigestStats against a stand-in transaction that
// sends each of its queries as EXPLAIN (ANALYZE, BUFFERS), then as itself, through the
// application role inside the tenant's RLS context, so the plans are exactly those the worker gets.
import { Client } from 'pg';
import type { Tx } from '../../lib/db/with-tenant';
import { collectDigestStats } from '../../packages/mattermost_daily_ops_digest/collect-digest-stats';

export interface QueryPlan {
  query: string;
  executionMs: number;
  plan: string;
}

export async function explainDigestAggregation(appDbUrl: string, input: { tenantId: string; windowStart: Date; windowEnd: Date }): Promise<QueryPlan[]> {
  const client = new Client({ connectionString: appDbUrl });
  await client.connect();
  const plans: QueryPlan[] = [];
  try {
    await client.query('begin');
    await client.query(`select set_config('app.tenant_id', $1, true)`, [input.tenantId]);
    const tx = {
      $queryRawUnsafe: async (sql: string, ...params: unknown[]) => {
        const res = await client.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${sql}`, params);
        const plan = res.rows.map((r) => r['QUERY PLAN']).join('\n');
        plans.push({ query: sql.replace(/\s+/g, ' ').trim().slice(0, 90), executionMs: Number(/Execution Time: ([\d.]+) ms/.exec(plan)?.[1] ?? NaN), plan });
        // The statement's own rows too: the aggregation goes on with what the worker would read.
        return (await client.query(sql, params)).rows;
      },
    } as unknown as Tx;
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
