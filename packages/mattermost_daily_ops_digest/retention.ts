// The digest's stored messages go with the signals of the same age (they are message content):
// its PackageModule.retention, called by the platform's retention purge with the signals' cutoff.
import type { RetentionPurge } from '../../lib/retention/retention-purge';
import type { Db } from '../../lib/db/client';

/** One batch through app_purge_digest_messages (migration 20261201091000_digest_messages). */
export async function purgeDigestMessageBatch(db: Db, before: Date, batchSize: number): Promise<number> {
  const rows = await db.$queryRaw<{ n: number }[]>`select app_purge_digest_messages(${before}::timestamptz, ${batchSize}::integer) as n`;
  return Number(rows[0]?.n ?? 0);
}

export const DIGEST_RETENTION: readonly RetentionPurge[] = [{ name: 'digest_messages', purgeBatch: purgeDigestMessageBatch }];
