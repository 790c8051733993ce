// What the digest rules need to know from history: where the previous scheduled digest's window
// ended. "Reported" means posted, or sent with an outcome nobody could know (a webhook that gave
// no answer): moving the boundary past an unknown one risks a gap the user was told to check,
// never reporting an event twice.
import type { Tx } from '../db/with-tenant';

export async function lastReportedScheduledEnd(tx: Tx, installationId: string): Promise<Date | null> {
  const last = await tx.execution.findFirst({
    where: {
      installationId,
      digestDate: { not: null },
      OR: [{ status: 'succeeded' }, { status: 'failed', errorKind: 'unknown' }],
    },
    orderBy: { windowEnd: 'desc' },
    select: { windowEnd: true },
  });
  return last?.windowEnd ?? null;
}
