// Package-owned data that ages out with the signals (PackageModule.retention): the core's
// retention activity (activities/retention/purge-signals.ts) calls each purge with the signals'
// cutoff once the signals are done, so a package keeps its copies of signal content (a posted
// message, say) no longer than the signals themselves. Pure types: lib never imports a package.
import type { Db } from '../db/client';

export interface RetentionPurge {
  /** What it deletes, for the purge's heartbeats and log line (e.g. its table name). */
  name: string;
  /**
   * Deletes at most `batchSize` rows older than `before` in one short statement and says how many
   * it deleted; fewer than `batchSize` means nothing older is left. Runs on the platform's client
   * (no tenant scope: retention spans every tenant), so it goes through a SECURITY DEFINER function.
   */
  purgeBatch(db: Db, before: Date, batchSize: number): Promise<number>;
}
