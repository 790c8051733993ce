// withTenant for a plain pg client: one transaction on a pooled connection whose row-level-security
// context is `tenantId`, for hot paths that bypass Prisma (lib/db/client.ts poolOf). Same
// guarantees as withTenant: the setting is transaction-local, so the connection goes back to the
// pool without it, and any error rolls everything back.
import type { Pool, PoolClient } from 'pg';

export async function withTenantPg<T>(pool: Pool, tenantId: string, fn: (client: PoolClient) => Promise<T>, options: { timeoutMs?: number } = {}): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('begin');
    // As withTenant's timeout: a statement stuck behind a lock fails instead of holding the connection.
    await client.query(`select set_config('app.tenant_id', $1, true), set_config('statement_timeout', $2, true)`, [
      tenantId,
      String(options.timeoutMs ?? 15_000),
    ]);
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
