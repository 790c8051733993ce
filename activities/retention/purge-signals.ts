// Retention: deletes signals older than the cutoff in bounded batches. Each batch is one call of
// app_purge_signals (one short statement, migration 20261125190000_signal_retention): it locks
// only the rows it deletes and skips rows another transaction holds, so ingest and reads never
// wait on the purge for longer than one batch. Heartbeats after every batch; a small pause
// between batches leaves room for other work (and replication) to keep up. Then the packages'
// own data of the same cutoff (PackageModule.retention), each until nothing older is left.
import { Context } from '@temporalio/activity';
import { signalPurgeBatchDuration, signalRetentionDeletedTotal } from '../../lib/metrics/telemetry';
import { PACKAGE_MODULES } from '../../packages/registry';
import type { ActivityDeps } from '../deps';

export interface PurgeSignalsInput {
  /** ISO instant: signals that occurred before it are deleted. */
  before: string;
  batchSize: number;
  /** Batches per activity call (the workflow calls again until done). */
  maxBatches: number;
  pauseMs: number;
}

export interface PurgeSignalsResult {
  deleted: number;
  batches: number;
  /** True when a batch found fewer rows than it may delete: nothing older than `before` is left. */
  done: boolean;
  maxBatchMs: number;
}

export async function purgeSignalBatch(db: ActivityDeps['db'], before: Date, batchSize: number): Promise<number> {
  const rows = await db.$queryRaw<{ n: number }[]>`select app_purge_signals(${before}::timestamptz, ${batchSize}::integer) as n`;
  return Number(rows[0]?.n ?? 0);
}

export function createPurgeSignals(deps: ActivityDeps) {
  const packagePurges = (deps.packages ?? PACKAGE_MODULES).flatMap((m) => m.retention ?? []);
  return async function purgeSignals(input: PurgeSignalsInput): Promise<PurgeSignalsResult> {
    const ctx = Context.current();
    const before = new Date(input.before);
    const result: PurgeSignalsResult = { deleted: 0, batches: 0, done: false, maxBatchMs: 0 };
    while (result.batches < input.maxBatches) {
      const started = process.hrtime.bigint();
      const n = await purgeSignalBatch(deps.db, before, input.batchSize);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      signalPurgeBatchDuration.observe(seconds);
      signalRetentionDeletedTotal.inc(n);
      result.deleted += n;
      result.batches += 1;
      result.maxBatchMs = Math.max(result.maxBatchMs, Math.round(seconds * 1000));
      ctx.heartbeat({ deleted: result.deleted, batches: result.batches });
      if (n < input.batchSize) {
        result.done = true;
        break;
      }
      await ctx.sleep(input.pauseMs); // throws if the workflow cancelled the purge
    }
    // Once the signals are done, the packages' data of the same cutoff (far fewer rows: e.g. one message per run).
    const packageData: Record<string, number> = {};
    if (result.done) {
      for (const purge of packagePurges) {
        packageData[purge.name] = 0;
        for (let n = input.batchSize; n === input.batchSize;) {
          n = await purge.purgeBatch(deps.db, before, input.batchSize);
          packageData[purge.name] += n;
          ctx.heartbeat({ deleted: result.deleted, batches: result.batches, packageData: { ...packageData } });
        }
      }
    }
    deps.logger.info({ before: input.before, ...result, packageData }, 'signal retention purge');
    return result;
  };
}
