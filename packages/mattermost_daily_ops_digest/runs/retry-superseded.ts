// A failed scheduled digest whose period a later scheduled digest already reported: that digest's
// window started where the last *reported* one ended (the digest's schedule/last-reported-digest.ts), so it
// took in this run's events. A Retry would report them twice, so it is refused, and the run list
// says why before anyone clicks.
import type { Execution } from '../../../lib/db/generated/client';
import type { Tx } from '../../../lib/db/with-tenant';

export interface SupersedingDigest {
  execution_id: string;
  digest_date: string;
}

type FailedRun = Pick<Execution, 'id' | 'installationId' | 'status' | 'digestDate' | 'dedupeKey' | 'windowStart' | 'windowEnd'>;

/** failed execution id → the reported scheduled digest that covered its window (only those that have one). */
export async function supersedingDigests(tx: Tx, runs: FailedRun[]): Promise<Map<string, SupersedingDigest>> {
  const failed = runs.filter((r) => r.status === 'failed' && r.digestDate);
  if (!failed.length) return new Map();
  const reported = await tx.execution.findMany({
    where: {
      installationId: { in: [...new Set(failed.map((r) => r.installationId))] },
      digestDate: { not: null },
      windowEnd: { gt: new Date(Math.min(...failed.map((r) => r.windowStart.getTime()))) },
      OR: [{ status: 'succeeded' }, { status: 'failed', errorKind: 'unknown' }],
    },
    orderBy: { windowEnd: 'asc' },
    select: { id: true, installationId: true, dedupeKey: true, digestDate: true, windowStart: true, windowEnd: true },
  });
  const found = new Map<string, SupersedingDigest>();
  for (const run of failed) {
    // The same dedupe key is this digest itself (a retry of it): the ledger already keeps that to one post.
    const cover = reported.find(
      (r) => r.installationId === run.installationId && r.dedupeKey !== run.dedupeKey && r.windowStart < run.windowEnd && r.windowEnd > run.windowStart,
    );
    if (cover) found.set(run.id, { execution_id: cover.id, digest_date: cover.digestDate! });
  }
  return found;
}
