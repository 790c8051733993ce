// The Mattermost error code behind each failed run (CHANNEL_NOT_FOUND, INVALID_WEBHOOK, …), read
// from the run's own execution log, where post-digest records it. Lets runs and health show the
// same code-specific advice the connect form gives, without a second copy of the failure.
import type { Tx } from '../db/with-tenant';

/**
 * A run that failed for an unclassified reason (error kind "unknown") and never claimed a post in
 * the outbound ledger: its digest never reached Mattermost (e.g. generating it failed), so "the
 * outcome is unknown, Mattermost may have posted" would be false. Every post is claimed in the
 * ledger before the request is sent, so no claim means no post.
 */
export const NOTHING_POSTED = 'NOTHING_POSTED';

/** executionId → the code of its latest logged failure (only executions that logged one), else NOTHING_POSTED when that is known. */
export async function failureCodes(tx: Tx, tenantId: string, executionIds: string[]): Promise<Map<string, string>> {
  if (!executionIds.length) return new Map();
  const rows = await tx.$queryRawUnsafe<{ execution_id: string; code: string }[]>(
    `select distinct on (execution_id) execution_id::text, data->>'code' as code
       from execution_logs
      where tenant_id = $1::uuid and execution_id = any($2::uuid[]) and level in ('warn', 'error') and jsonb_typeof(data->'code') = 'string'
      order by execution_id, at desc`,
    tenantId,
    executionIds,
  );
  const codes = new Map(rows.map((r) => [r.execution_id, r.code]));
  const unposted = await tx.$queryRawUnsafe<{ id: string }[]>(
    `select e.id::text from executions e
      where e.tenant_id = $1::uuid and e.id = any($2::uuid[]) and e.status = 'failed' and e.error_kind = 'unknown'
        and not exists (select 1 from outbound_messages m where m.tenant_id = e.tenant_id and m.execution_id = e.id)`,
    tenantId,
    executionIds.filter((id) => !codes.has(id)),
  );
  for (const { id } of unposted) codes.set(id, NOTHING_POSTED);
  return codes;
}

/** The code of the installation's latest failed run, if it logged one. */
export async function lastFailureCode(tx: Tx, tenantId: string, installationId: string): Promise<string | null> {
  const latest = await tx.execution.findFirst({
    where: { installationId, status: 'failed' },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    select: { id: true },
  });
  if (!latest) return null;
  return (await failureCodes(tx, tenantId, [latest.id])).get(latest.id) ?? null;
}
