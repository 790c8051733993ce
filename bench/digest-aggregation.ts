// digest-aggregation: the 24 h digest aggregation (packages/mattermost_daily_ops_digest/collect-digest-stats.ts, through
// the application role and RLS, as the worker runs it) for a tenant with SMALL signals and one
// with LARGE signals, both spread over 30 days and interleaved with OTHERS signals of 99 other
// tenants — by default 100k and 1M among 9M (10.1M rows). p50/p95 at each size and how the
// time grows with the tenant's total. BENCH_EXPLAIN=1 prints each query's plan;
// BENCH_HOLD_SECONDS=n keeps the loaded database up that long afterwards (for psql). The baseline,
// measured in the same run on the same data: the raw scan the hourly rollups replaced
// (test/helpers/raw-digest-stats.ts). The wall time is the worker's path (withTenantSql: the pg
// pool, one transaction of set_config + the three queries); through_prisma_ms, the same queries in
// a Prisma interactive transaction, timed alongside.
//   npm run bench:digest-aggregation [-- --small=100000 --large=1000000 --others=9000000 --iterations=50]
import os from 'node:os';
import { withTenantSql } from '../lib/db/raw-sql';
import { withTenant } from '../lib/db/with-tenant';
import { collectDigestStats } from '../packages/mattermost_daily_ops_digest/collect-digest-stats';
import { collectDigestStatsFromSignals } from '../packages/mattermost_daily_ops_digest/test/helpers/raw-digest-stats';
import { createBenchTenant, openBenchStack } from './lib/bench-stack';
import { explainDigestAggregation } from './lib/explain';
import { distribution, elapsedMs, fmt, intSetting, now, progress, report, runBench, setting } from './lib/measure';
import { countSignals, loadSignals, tuneForBulkLoad } from './lib/signal-load';

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** Slot table so that row g % W lands on each tenant in exact proportion, the others evenly. */
function slotTable(small: { id: string; n: number }, large: { id: string; n: number }, others: string[], othersTotal: number): string[] {
  const unit = [small.n, large.n, othersTotal].filter((n) => n > 0).reduce(gcd);
  let k = 1;
  while (((othersTotal / unit) * k) % others.length !== 0 && k < others.length) k++;
  const slots = [
    ...Array<string>((small.n / unit) * k).fill(small.id),
    ...Array<string>((large.n / unit) * k).fill(large.id),
    ...Array.from({ length: (othersTotal / unit) * k }, (_, i) => others[i % others.length]),
  ];
  // Deterministic shuffle: the two measured tenants' rows are spread, not in runs.
  let seed = 42;
  for (let i = slots.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const j = seed % (i + 1);
    [slots[i], slots[j]] = [slots[j], slots[i]];
  }
  return slots;
}

async function main() {
  const small = intSetting('small', 100_000, 10_000);
  const large = intSetting('large', 1_000_000, 100_000);
  const othersTotal = intSetting('others', 9_000_000, 900_000);
  const otherTenants = intSetting('other_tenants', 99, 99);
  const iterations = intSetting('iterations', 50, 20);
  const days = 30;

  const stack = await openBenchStack({ temporal: false, worker: 'none' });
  try {
    const tenantSmall = await createBenchTenant(stack, 'agg-small');
    const tenantLarge = await createBenchTenant(stack, 'agg-large');
    const others = (
      await stack.admin.query<{ id: string }>(
        `insert into tenants (id, slug, name) select gen_random_uuid(), 'other-' || i, 'Other ' || i from generate_series(1, $1) i returning id`,
        [otherTenants],
      )
    ).rows.map((r) => r.id);

    const total = small + large + othersTotal;
    const end = new Date();
    progress(
      `loading ${total.toLocaleString('en')} signals (${small.toLocaleString('en')} + ${large.toLocaleString('en')} + ${othersTotal.toLocaleString('en')} of ${otherTenants} others) over ${days} days`,
    );
    await tuneForBulkLoad(stack.admin);
    const load = await loadSignals(stack.admin, {
      slots: slotTable({ id: tenantSmall.id, n: small }, { id: tenantLarge.id, n: large }, others, othersTotal),
      total,
      days,
      end,
      rebuildIndexes: total >= 1_000_000,
    });
    progress(`loaded in ${load.insertS.toFixed(0)} s, indexes ${load.indexS.toFixed(0)} s, vacuum analyze ${load.analyzeS.toFixed(0)} s`);
    const size = (
      await stack.admin.query<{ table: string; indexes: string }>(
        `select pg_size_pretty(pg_table_size('signals')) as table, pg_size_pretty(pg_indexes_size('signals')) as indexes`,
      )
    ).rows[0];

    const windowEnd = end;
    const windowStart = new Date(end.getTime() - 86_400_000);
    const measure = async (tenant: { id: string }, n: number) => {
      const totalRows = await countSignals(stack.admin, tenant.id);
      const windowRows = await countSignals(stack.admin, tenant.id, windowStart, windowEnd);
      const input = { tenantId: tenant.id, tenantName: 'bench', timezone: 'UTC', windowStart, windowEnd };
      // As the worker runs it (since 0a987a1): straight through the pg pool. The same through a
      // Prisma interactive transaction, timed alongside: what Prisma's layer adds to the wall time.
      const run = () => withTenantSql(stack.db.db, tenant.id, (client) => collectDigestStats(client, input));
      const runPrisma = () => withTenant(stack.db.db, tenant.id, (tx) => collectDigestStats(tx, input));
      const runRaw = () => withTenant(stack.db.db, tenant.id, (tx) => collectDigestStatsFromSignals(tx, input));
      const t0 = now();
      const stats = await run();
      const firstMs = elapsedMs(t0);
      const rawStats = await runRaw();
      if (JSON.stringify(rawStats) !== JSON.stringify(stats))
        throw new Error(`bench: the rollup aggregation differs from the raw scan: ${JSON.stringify(stats)} vs ${JSON.stringify(rawStats)}`);
      for (let i = 0; i < 3; i++) await run();
      // Interleaved, so both see the same machine load.
      const times: number[] = [];
      const rawTimes: number[] = [];
      const prismaTimes: number[] = [];
      for (let i = 0; i < iterations; i++) {
        let t = now();
        await run();
        times.push(elapsedMs(t));
        t = now();
        await runPrisma();
        prismaTimes.push(elapsedMs(t));
        t = now();
        await runRaw();
        rawTimes.push(elapsedMs(t));
      }
      const plans = await explainDigestAggregation(stack.appDbUrl, { tenantId: tenant.id, windowStart, windowEnd });
      if (setting('explain') === '1') for (const p of plans) process.stderr.write(`\n-- ${p.query}\n${p.plan}\n`);
      return {
        tenant_signals: totalRows,
        planned: n,
        window_signals: windowRows,
        digest_total_signals: stats.totalSignals,
        first_ms: Math.round(firstMs * 10) / 10,
        ms: distribution(times),
        through_prisma_ms: distribution(prismaTimes),
        raw_scan_ms: distribution(rawTimes),
        sql_execution_ms: plans.map((p) => ({ query: p.query, ms: p.executionMs, planning_ms: p.planningMs })),
      };
    };
    // ROUNDS (default 1): the whole measurement repeated on the same loaded data (loading 10M rows
    // takes most of the run); the report then gives each round and the medians of their figures.
    const rounds = intSetting('rounds', 1, 1);
    const byRound: { small: Awaited<ReturnType<typeof measure>>; large: Awaited<ReturnType<typeof measure>> }[] = [];
    for (let r = 1; r <= rounds; r++) {
      progress(`round ${r}/${rounds}: measuring the small tenant`);
      const s1 = await measure(tenantSmall, small);
      progress(`round ${r}/${rounds}: measuring the large tenant`);
      const l1 = await measure(tenantLarge, large);
      byRound.push({ small: s1, large: l1 });
      progress(
        `round ${r}: small p50 ${s1.ms.p50} / p95 ${s1.ms.p95} ms, large p50 ${l1.ms.p50} / p95 ${l1.ms.p95} ms (raw scan large p95 ${l1.raw_scan_ms.p95} ms); load ${os.loadavg()[0].toFixed(1)}`,
      );
    }
    // The round whose large-tenant p95 is the median stands for the run.
    const medianRound = [...byRound].sort((a, b) => a.large.ms.p95 - b.large.ms.p95)[Math.floor((byRound.length - 1) / 2)];
    const atSmall = medianRound.small;
    const atLarge = medianRound.large;
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
    const roundsSummary = {
      n: rounds,
      large_p95_ms: byRound.map((r) => r.large.ms.p95),
      small_p95_ms: byRound.map((r) => r.small.ms.p95),
      p50_ratio: byRound.map((r) => Math.round((r.large.ms.p50 / r.small.ms.p50) * 100) / 100),
      raw_scan_large_p95_ms: byRound.map((r) => r.large.raw_scan_ms.p95),
      median_large_p95_ms: median(byRound.map((r) => r.large.ms.p95)),
      median_p50_ratio: median(byRound.map((r) => r.large.ms.p50 / r.small.ms.p50)),
    };

    const sizeRatio = atLarge.tenant_signals / atSmall.tenant_signals;
    const timeRatio = atLarge.ms.p50 / atSmall.ms.p50;
    const exponent = Math.log(timeRatio) / Math.log(sizeRatio);
    report(
      'digest-aggregation',
      {
        total_signals: total,
        other_tenants: otherTenants,
        table_size: size.table,
        index_size: size.indexes,
        load_s: { insert: Math.round(load.insertS), indexes: Math.round(load.indexS), vacuum_analyze: Math.round(load.analyzeS) },
        small: atSmall,
        large: atLarge,
        rounds: roundsSummary,
        size_ratio: Math.round(sizeRatio * 100) / 100,
        p50_ratio: Math.round(timeRatio * 100) / 100,
        growth_exponent: Math.round(exponent * 100) / 100,
        raw_scan: {
          p50_ratio: Math.round((atLarge.raw_scan_ms.p50 / atSmall.raw_scan_ms.p50) * 100) / 100,
          large_p95_over_rollups: Math.round((atLarge.raw_scan_ms.p95 / atLarge.ms.p95) * 10) / 10,
        },
        target: { p95_ms_at_large: 10, p50_ratio: 1.5, met: atLarge.ms.p95 <= 10 && timeRatio <= 1.5 },
      },
      [
        `${total.toLocaleString('en')} signals in the table (${size.table} + ${size.indexes} of indexes)`,
        `tenant with ${atSmall.tenant_signals.toLocaleString('en')} signals (${atSmall.window_signals.toLocaleString('en')} in the 24 h window): ${fmt(atSmall.ms)}`,
        `tenant with ${atLarge.tenant_signals.toLocaleString('en')} signals (${atLarge.window_signals.toLocaleString('en')} in the 24 h window): ${fmt(atLarge.ms)}`,
        `${sizeRatio.toFixed(1)}x the signals → ${timeRatio.toFixed(2)}x the p50 time (growth exponent ${exponent.toFixed(2)}; < 1 is sub-linear)`,
        `the same through a Prisma transaction (before 0a987a1): small ${fmt(atSmall.through_prisma_ms)}; large ${fmt(atLarge.through_prisma_ms)}`,
        `baseline in the same run, the raw scan: small ${fmt(atSmall.raw_scan_ms)}; large ${fmt(atLarge.raw_scan_ms)}`,
        `SQL at the large tenant, execution (planning): ${atLarge.sql_execution_ms.map((q) => `${q.ms} (${q.planning_ms}) ms`).join(', ')}`,
        `target p95 ≤ 10 ms at the large tenant and ≤ 1.5x from small to large: ${atLarge.ms.p95 <= 10 && timeRatio <= 1.5 ? 'met' : 'MISSED'}`,
      ],
    );
    const hold = intSetting('hold_seconds', 0, 0);
    if (hold > 0) {
      progress(
        `holding the stack for ${hold} s: psql '${stack.migrationUrl}' / app role '${stack.appDbUrl}'; tenants small=${tenantSmall.id} large=${tenantLarge.id}`,
      );
      await new Promise((r) => setTimeout(r, hold * 1000));
    }
  } finally {
    await stack.close();
  }
}

runBench(main);
