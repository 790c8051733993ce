// signal-purge: the retention purge at scale. Loads OLD signals (default 1M, 31–61 days old) and
// RECENT ones (default 100k, the last 30 days) across 100 tenants, then deletes everything older
// than 30 days exactly as the retention activity does — app_purge_signals through the
// application role, in batches (default 5 000) with the workflow's pause between them — while a
// writer keeps inserting signals (emitSignals through RLS) and a reader keeps running the digest
// aggregation. Reports signals deleted per second, the batch durations (each batch is one short
// transaction: the longest any row lock is held), and the concurrent insert and read latencies
// (what the purge made others wait).
//   npm run bench:signal-purge [-- --old=1000000 --recent=100000 --batch=5000 --pause-ms=50]
import { purgeSignalBatch } from '../activities/retention/purge-signals';
import { withTenant } from '../lib/db/with-tenant';
import { collectDigestStats } from '../packages/mattermost_daily_ops_digest/collect-digest-stats';
import { SIGNAL_TYPES } from '../lib/signals/catalogue';
import { emitSignal } from '../lib/signals/emit-signal';
import { DEFAULT_PURGE_BATCH, DEFAULT_PURGE_PAUSE_MS } from '../workflows/signal-retention';
import { createBenchTenant, openBenchStack } from './lib/bench-stack';
import { distribution, elapsedMs, fmt, intSetting, now, progress, report, runBench, sleep } from './lib/measure';
import { loadSignals, tuneForBulkLoad } from './lib/signal-load';

const DAY = 86_400_000;

async function main() {
  const oldRows = intSetting('old', 1_000_000, 100_000);
  const recentRows = intSetting('recent', 100_000, 10_000);
  const batch = intSetting('batch', DEFAULT_PURGE_BATCH, DEFAULT_PURGE_BATCH);
  const pauseMs = intSetting('pause_ms', DEFAULT_PURGE_PAUSE_MS, DEFAULT_PURGE_PAUSE_MS);
  const retentionDays = 30;

  const stack = await openBenchStack({ temporal: false, worker: 'none' });
  try {
    const measured = await createBenchTenant(stack, 'purge');
    const others = (
      await stack.admin.query<{ id: string }>(
        `insert into tenants (id, slug, name) select gen_random_uuid(), 'purge-other-' || i, 'Other ' || i from generate_series(1, 99) i returning id`,
      )
    ).rows.map((r) => r.id);
    const slots = [measured.id, ...others];
    const nowAt = new Date();
    await tuneForBulkLoad(stack.admin);
    progress(
      `loading ${oldRows.toLocaleString('en')} old signals (31–61 days) and ${recentRows.toLocaleString('en')} recent ones over ${slots.length} tenants`,
    );
    const rebuildIndexes = oldRows + recentRows >= 500_000;
    const loadOld = await loadSignals(stack.admin, { slots, total: oldRows, days: 30, end: new Date(nowAt.getTime() - 31 * DAY), rebuildIndexes });
    const loadRecent = await loadSignals(stack.admin, { slots, total: recentRows, days: 30, end: new Date(nowAt.getTime() - 60_000), rebuildIndexes });
    progress(`loaded in ${(loadOld.insertS + loadRecent.insertS).toFixed(0)} s (+ indexes ${(loadOld.indexS + loadRecent.indexS).toFixed(0)} s)`);
    const sizeBefore = (
      await stack.admin.query<{ t: string; i: string }>(`select pg_size_pretty(pg_table_size('signals')) t, pg_size_pretty(pg_indexes_size('signals')) i`)
    ).rows[0];

    const db = stack.db.db;
    const before = new Date(Date.now() - retentionDays * DAY);

    // Concurrent load while the purge runs: one writer, one reader, as fast as they go.
    let purging = true;
    const insertMs: number[] = [];
    const readMs: number[] = [];
    const writer = (async () => {
      let n = 0;
      while (purging) {
        const t = now();
        await withTenant(db, measured.id, (tx) =>
          emitSignal(tx, { tenantId: measured.id, type: SIGNAL_TYPES.agentExecutionCompleted, source: 'bench.purge', payload: { n: n++ } }),
        );
        insertMs.push(elapsedMs(t));
      }
    })();
    const reader = (async () => {
      while (purging) {
        const t = now();
        await withTenant(db, measured.id, (tx) =>
          collectDigestStats(tx, {
            tenantId: measured.id,
            tenantName: 'bench',
            timezone: 'UTC',
            windowStart: new Date(Date.now() - DAY),
            windowEnd: new Date(),
          }),
        );
        readMs.push(elapsedMs(t));
        await sleep(5);
      }
    })();
    await sleep(3_000); // baseline before the purge starts
    const baselineInsert = distribution(insertMs.splice(0));
    const baselineRead = distribution(readMs.splice(0));

    // Lock waits seen by Postgres itself: every 10 ms, is any other session waiting on a lock?
    let samples = 0;
    let lockWaitSamples = 0;
    const sampler = (async () => {
      while (purging) {
        const r = await stack.admin.query<{ n: number }>(
          `select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and pid <> pg_backend_pid()`,
        );
        samples++;
        if (r.rows[0].n > 0) lockWaitSamples++;
        await sleep(10);
      }
    })();

    progress(`purging signals older than ${retentionDays} days in batches of ${batch} (pause ${pauseMs} ms)`);
    const batchMs: number[] = [];
    let deleted = 0;
    const t0 = now();
    for (;;) {
      const t = now();
      const n = await purgeSignalBatch(db, before, batch);
      batchMs.push(elapsedMs(t));
      deleted += n;
      if (batchMs.length % 50 === 0) progress(`  ${deleted.toLocaleString('en')} deleted in ${batchMs.length} batches`);
      if (n < batch) break;
      if (pauseMs > 0) await sleep(pauseMs);
    }
    const wallS = elapsedMs(t0) / 1000;
    purging = false;
    await Promise.all([writer, reader, sampler]);
    const busyS = batchMs.reduce((s, v) => s + v, 0) / 1000;

    const left = (
      await stack.admin.query<{ old: string; recent: string }>(
        `select count(*) filter (where occurred_at < $1) old, count(*) filter (where occurred_at >= $1) recent from signals`,
        [before],
      )
    ).rows[0];
    const sizeAfter = (
      await stack.admin.query<{ t: string; i: string }>(`select pg_size_pretty(pg_table_size('signals')) t, pg_size_pretty(pg_indexes_size('signals')) i`)
    ).rows[0];
    const batches = distribution(batchMs);
    const inserts = distribution(insertMs);
    const reads = distribution(readMs);
    const perSecond = Math.round(deleted / wallS);
    const perBusySecond = Math.round(deleted / busyS);
    report(
      'signal-purge',
      {
        rows_before: oldRows + recentRows,
        old_rows: oldRows,
        recent_rows: recentRows,
        tenants: slots.length,
        batch_size: batch,
        pause_ms: pauseMs,
        deleted,
        batches: batchMs.length,
        purge_wall_s: Math.round(wallS * 10) / 10,
        deleted_per_second: perSecond,
        deleted_per_busy_second: perBusySecond,
        batch_ms: batches,
        longest_lock_ms: batches.max,
        concurrent_insert_ms: { baseline: baselineInsert, during_purge: inserts },
        concurrent_digest_read_ms: { baseline: baselineRead, during_purge: reads },
        lock_wait_samples: { samples, with_a_session_waiting_on_a_lock: lockWaitSamples },
        left_old: Number(left.old),
        left_recent: Number(left.recent),
        table_size: { before: sizeBefore.t, after: sizeAfter.t },
        index_size: { before: sizeBefore.i, after: sizeAfter.i },
      },
      [
        `${deleted.toLocaleString('en')} of ${(oldRows + recentRows).toLocaleString('en')} signals deleted in ${wallS.toFixed(1)} s: ${perSecond.toLocaleString('en')}/s wall-clock with ${pauseMs} ms pauses, ${perBusySecond.toLocaleString('en')}/s while deleting`,
        `batches of ${batch}: ${fmt(batches)} — the longest any row lock was held`,
        `concurrent inserts: baseline ${fmt(baselineInsert)}; during the purge ${fmt(inserts)}`,
        `concurrent digest aggregation: baseline ${fmt(baselineRead)}; during the purge ${fmt(reads)}`,
        `pg_stat_activity sampled every 10 ms: ${lockWaitSamples} of ${samples} samples had a session waiting on a lock`,
        `left: ${Number(left.old)} old, ${Number(left.recent).toLocaleString('en')} recent (incl. ${inserts.n} inserted during the purge)`,
        `table ${sizeBefore.t} → ${sizeAfter.t} (space is reused after autovacuum; not returned to the OS)`,
      ],
    );
  } finally {
    await stack.close();
  }
}

runBench(main);
