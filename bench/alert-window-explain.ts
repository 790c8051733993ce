// EXPLAIN ANALYZE of the failure alerts' window queries (packages/mattermost_failure_alerts/
// activities/alert-window.ts) on a realistically sized signals table, as the app role under
// row-level security — the plan the worker gets. A throw-away embedded Postgres, migrated to HEAD:
//   npx tsx bench/alert-window-explain.ts            (BENCH_SIGNALS=1000000 by default)
// The busy tenant has 10% of the rows over 30 days, 2% of them failures; the alert cursor is an
// hour back, as it is for an installation that posted an hour ago.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { enableAppLogin } from '../lib/db/app-login-role';
import { migrate } from '../lib/db/migrator';
import { freePort, startEmbeddedPostgres } from '../scripts/dev-stack/postgres';

const TOTAL = Number(process.env.BENCH_SIGNALS ?? 1_000_000);
const TENANTS = 500;
const FAILURE_TYPES = ['agent.execution.failed', 'workflow.run.failed', 'package.install.failed', 'directive.failed'];

// What Prisma sends for waitingFailures (first read: no upper bound) and countWaitingFailures.
const QUERIES: Record<string, string> = {
  waitingFailures: `select * from signals where type = any($1) and created_at > $2 order by created_at asc, occurred_at asc, id asc limit 2000`,
  countWaitingFailures: `select count(*) from signals where type = any($1) and created_at > $2 and created_at <= $3`,
};

async function main(): Promise<void> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'fleetprompt-explain-'));
  const pg = await startEmbeddedPostgres({ dataDir: path.join(root, 'data'), port: await freePort() });
  try {
    await migrate(pg.url);
    const appUrl = await enableAppLogin(pg.url, 'explain-password');
    const owner = new Client({ connectionString: pg.url });
    await owner.connect();
    const t0 = Date.now();
    await owner.query(`insert into tenants (id, slug, name) select gen_random_uuid(), 'explain-' || g, 'Explain ' || g from generate_series(1, $1) g`, [
      TENANTS,
    ]);
    const { rows: tenants } = await owner.query<{ id: string }>(`select id from tenants order by slug`);
    const busy = tenants[0].id;
    // Row i: the busy tenant for 10% of rows, else one of the others; 2% failures (spread over the
    // four types), the rest completions; created_at spread evenly over 30 days, occurred_at a few
    // seconds before it.
    await owner.query(
      `insert into signals (id, tenant_id, type, occurred_at, source, created_at, payload)
       select gen_random_uuid(),
              case when g % 10 = 0 then $2::uuid else ($3::uuid[])[1 + g % $5] end,
              case when g % 50 = 0 then ($4::text[])[1 + (g / 50) % 4] else 'agent.execution.completed' end,
              now() - (g::float / $1) * interval '30 days' - interval '3 seconds',
              'ingest:bot-' || (g % 40),
              now() - (g::float / $1) * interval '30 days',
              '{}'::jsonb
       from generate_series(1, $1) g`,
      [TOTAL, busy, tenants.slice(1).map((t) => t.id), FAILURE_TYPES, TENANTS - 1],
    );
    await owner.query('analyze signals');
    const { rows: size } = await owner.query<{ n: string; busy: string; fails: string }>(
      `select count(*) n, count(*) filter (where tenant_id = $1) busy, count(*) filter (where tenant_id = $1 and type = any($2)) fails from signals`,
      [busy, FAILURE_TYPES],
    );
    const { rows: indexes } = await owner.query<{ indexname: string }>(`select indexname from pg_indexes where tablename = 'signals' order by 1`);
    console.log(`signals: ${size[0].n} rows (busy tenant ${size[0].busy}, of which failures ${size[0].fails}), loaded in ${Date.now() - t0} ms`);
    console.log(`indexes: ${indexes.map((i) => i.indexname).join(', ')}`);
    await owner.end();

    const app = new Client({ connectionString: appUrl });
    await app.connect();
    const cursor = new Date(Date.now() - 3_600_000);
    for (const [name, sql] of Object.entries(QUERIES)) {
      await app.query('begin');
      await app.query(`select set_config('app.tenant_id', $1, true)`, [busy]);
      const params = name === 'countWaitingFailures' ? [FAILURE_TYPES, cursor, new Date()] : [FAILURE_TYPES, cursor];
      await app.query(sql, params); // warm
      const { rows } = await app.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${sql}`, params);
      await app.query('commit');
      console.log(`\n${name}:\n${rows.map((r) => `  ${r['QUERY PLAN']}`).join('\n')}`);
    }
    await app.end();
  } finally {
    await pg.stop();
    await rm(root, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
