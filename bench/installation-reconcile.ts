// installation-reconcile: the worker's reconcile round (lib/installations/reconcile-pending.ts) asks
// every INSTALLATION_RECONCILE_INTERVAL_MS (5 s) which installations' desired state is not applied
// yet. Measures that question at INSTALLATIONS installations (default 100k, one per tenant): with
// all of them applied, then with BEHIND_PERCENT of them behind (default 1 %). Per state: the call
// as the worker makes it (Prisma, application role) and EXPLAIN (ANALYZE, BUFFERS) of the
// function's query (the plan, rows and pages it reads), beside the same query planned without
// the partial index (the scan it replaced), in the same run on the same rows.
//   npm run bench:installation-reconcile [-- --installations=100000 --behind-percent=1 --iterations=200]
import { DIGEST_PACKAGE_SLUG } from '../packages/mattermost_daily_ops_digest/definition';
import { openBenchStack, type BenchStack } from './lib/bench-stack';
import { distribution, elapsedMs, fmt, intSetting, now, progress, report, runBench } from './lib/measure';

// The body of app_unapplied_installations (prisma/migrations), explained as its owner runs it.
const UNAPPLIED_QUERY = `SELECT id, tenant_id FROM installations WHERE observed_version < desired_version ORDER BY updated_at LIMIT 100`;

async function measureState(stack: BenchStack, iterations: number) {
  const times: number[] = [];
  let rows = 0;
  for (let i = 0; i < iterations + 5; i++) {
    const t = now();
    const pending = await stack.db.db.$queryRaw<{ id: string; tenant_id: string }[]>`select id, tenant_id from app_unapplied_installations(${100})`;
    const ms = elapsedMs(t);
    if (i >= 5) times.push(ms); // the first few warm the pool and the plan cache
    rows = pending.length;
  }
  const plan = (await stack.admin.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${UNAPPLIED_QUERY}`)).rows.map((r) => r['QUERY PLAN']).join('\n');
  // Baseline in the same run, on the same rows: the plan without the partial index (a scan of every installation).
  await stack.admin.query('begin');
  await stack.admin.query('set local enable_indexscan = off');
  await stack.admin.query('set local enable_bitmapscan = off');
  const scan = (await stack.admin.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${UNAPPLIED_QUERY}`)).rows.map((r) => r['QUERY PLAN']).join('\n');
  await stack.admin.query('rollback');
  const executionMs = (p: string) => Number(/Execution Time: ([\d.]+) ms/.exec(p)?.[1] ?? NaN);
  const sharedHit = (p: string) => Number(/Buffers: shared hit=(\d+)/.exec(p)?.[1] ?? NaN);
  return {
    call_ms: distribution(times),
    rows_returned: rows,
    sql_execution_ms: executionMs(plan),
    shared_buffers_hit: sharedHit(plan),
    plan,
    without_index: { sql_execution_ms: executionMs(scan), shared_buffers_hit: sharedHit(scan) },
  };
}

async function main() {
  const installations = intSetting('installations', 100_000, 10_000);
  const behindPercent = intSetting('behind_percent', 1, 1);
  const iterations = intSetting('iterations', 200, 50);
  const stack = await openBenchStack({ temporal: false, worker: 'none' });
  try {
    progress(`loading ${installations.toLocaleString('en')} tenants with one applied installation each`);
    const t0 = Date.now();
    await stack.admin.query(`insert into tenants (id, slug, name) select gen_random_uuid(), 'rec-' || i, 'Reconcile ' || i from generate_series(1, $1) i`, [
      installations,
    ]);
    await stack.admin.query(
      `insert into installations (id, tenant_id, package_slug, package_version, status, config, desired_version, observed_version, installed_at, updated_at)
       select gen_random_uuid(), t.id, $1, '1.0.0', 'installed', '{}'::jsonb, 3, 3, now(), now() - (random() * interval '30 days')
         from tenants t where t.slug like 'rec-%'`,
      [DIGEST_PACKAGE_SLUG],
    );
    await stack.admin.query('vacuum analyze installations');
    progress(`loaded in ${((Date.now() - t0) / 1000).toFixed(0)} s`);

    const applied = await measureState(stack, iterations);
    progress(`all applied: ${fmt(applied.call_ms)}; SQL ${applied.sql_execution_ms} ms, ${applied.shared_buffers_hit} pages`);

    // A desired-state change that is not applied yet bumps desired_version (lib/installations/change-installation.ts).
    const behind = Math.round((installations * behindPercent) / 100);
    await stack.admin.query(
      `update installations set desired_version = desired_version + 1, updated_at = now()
        where id in (select id from installations order by id limit $1)`,
      [behind],
    );
    await stack.admin.query('analyze installations');
    const someBehind = await measureState(stack, iterations);
    progress(`${behind} behind: ${fmt(someBehind.call_ms)}; SQL ${someBehind.sql_execution_ms} ms, ${someBehind.shared_buffers_hit} pages`);

    const size = (
      await stack.admin.query<{ table: string; indexes: string }>(
        `select pg_size_pretty(pg_table_size('installations')) as table, pg_size_pretty(pg_indexes_size('installations')) as indexes`,
      )
    ).rows[0];
    report(
      'installation-reconcile',
      {
        installations,
        behind,
        iterations,
        table_size: size.table,
        indexes_size: size.indexes,
        all_applied: applied,
        some_behind: someBehind,
      },
      [
        `${installations.toLocaleString('en')} installations (table ${size.table}, indexes ${size.indexes}); the reconcile round's look-up (limit 100):`,
        `  all applied: call ${fmt(applied.call_ms)}; SQL ${applied.sql_execution_ms} ms reading ${applied.shared_buffers_hit} pages (without the index: ${applied.without_index.sql_execution_ms} ms, ${applied.without_index.shared_buffers_hit} pages)`,
        `  ${behind} behind (${behindPercent} %): call ${fmt(someBehind.call_ms)}; SQL ${someBehind.sql_execution_ms} ms reading ${someBehind.shared_buffers_hit} pages, ${someBehind.rows_returned} rows (without the index: ${someBehind.without_index.sql_execution_ms} ms, ${someBehind.without_index.shared_buffers_hit} pages)`,
        `plan, all applied:\n${applied.plan.replace(/^/gm, '    ')}`,
        `plan, ${behind} behind:\n${someBehind.plan.replace(/^/gm, '    ')}`,
      ],
    );
  } finally {
    await stack.close();
  }
}

runBench(main);
