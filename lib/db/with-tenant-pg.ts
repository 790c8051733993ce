// withTenant for a plain pg client: one transaction on a pooled connection whose row-level-security
// context is `tenantId`, for hot paths that bypass Prisma (lib/db/client.ts poolOf). Same
// guarantees as withTenant: the setting is transaction-local, so the connection goes back to the
// pool without it, and any error rolls everything back.
import type { Pool, PoolClient } from 'pg';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function withTenantPg<T>(pool: Pool, tenantId: string, fn: (client: PoolClient) => Promise<T>, options: { timeoutMs?: number } = {}): Promise<T> {
  // The two go into the statement's text (below), so both are checked to be what they claim.
  if (!UUID.test(tenantId)) throw new TypeError('withTenantPg: the tenant id must be a UUID');
  const timeoutMs = options.timeoutMs ?? 15_000;
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 0) throw new TypeError('withTenantPg: timeoutMs must be a whole number of milliseconds');
  const client = await pool.connect();
  let broken = false;
  try {
    // One round trip for both (the simple protocol runs the two statements in one message; bound
    // parameters would need a second). As withTenant's timeout: a statement stuck behind a lock
    // fails instead of holding the connection.
    await client.query(`begin; select set_config('app.tenant_id', '${tenantId}', true), set_config('statement_timeout', '${timeoutMs}', true)`);
    const result = await fn(client);
    await client.query('commit');
    return result;
  } catch (err) {
    await client.query('rollback').catch(() => {
      broken = true;
    });
    throw err;
  } finally {
    client.release(broken);
  }
}
