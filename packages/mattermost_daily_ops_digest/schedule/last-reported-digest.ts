// What the digest rules need to know from history: where the previous scheduled digest's window
// ended. "Reported" means posted, or sent with an outcome nobody could know (a webhook that gave
// no answer): moving the boundary past an unknown one risks a gap the user was told to check,
// never reporting an event twice.
import { sqlRow, type SqlClient } from '../../../lib/db/raw-sql';

export async function lastReportedScheduledEnd(tx: SqlClient, installationId: string): Promise<Date | null> {
  const last = await sqlRow<{ windowEnd: Date }>(
    tx,
    `select window_end as "windowEnd" from executions
      where installation_id = $1::uuid and digest_date is not null and (status = 'succeeded' or (status = 'failed' and error_kind = 'unknown'))
      order by window_end desc limit 1`,
    [installationId],
  );
  return last?.windowEnd ?? null;
}
