// Raw SQL for the hot paths that bypass Prisma's query layer (issue 12: in the digest's fan-out
// profile Prisma's client runtime was ~40 % of the worker's main thread, more than the SQL it
// sends): one statement text with positional parameters, rows back, on either a plain pg client
// (withTenantPg) or a Prisma transaction. Columns come back as named in the SQL (alias snake_case
// columns to camelCase) and typed as pg types them: cast bigint and numeric to float8 or int.
import type { PoolClient } from 'pg';
import { poolOf, type Db } from './client';
import { withTenant, type Tx } from './with-tenant';
import { withTenantPg } from './with-tenant-pg';

export type SqlClient = Tx | PoolClient;

export function isPrismaTx(client: SqlClient): client is Tx {
  return typeof (client as Tx).$queryRawUnsafe === 'function';
}

/**
 * The rows of one statement. A `prepared` name makes it a named prepared statement on a pg
 * connection: parsed once per connection, and planned once when Postgres finds its generic plan
 * as cheap as the custom ones (after five executions). Give one only to a statement whose text
 * never changes, on a hot path where planning is a visible share of the time.
 */
export async function sqlRows<T>(client: SqlClient, text: string, params: unknown[] = [], prepared?: string): Promise<T[]> {
  if (isPrismaTx(client)) return client.$queryRawUnsafe<T[]>(text, ...params);
  return (await client.query(prepared ? { name: prepared, text, values: params } : { text, values: params })).rows as T[];
}

/** The first row of one statement, or null. */
export async function sqlRow<T>(client: SqlClient, text: string, params: unknown[] = []): Promise<T | null> {
  return (await sqlRows<T>(client, text, params))[0] ?? null;
}

/**
 * Runs `fn` with Postgres's generic plans for the named (`prepared`) statements it runs on a pg
 * connection: each is then planned once per connection instead of at every execution. Only for
 * statements whose best plan does not depend on their parameters' values (every access path
 * starts from the same index, whatever the tenant or window). plan_cache_mode also applies to
 * unnamed statements, so it is set for `fn` alone, transaction-locally, and put back after it; if
 * `fn` throws, the caller's rollback ends the setting with the transaction.
 */
export async function withGenericPlans<T>(client: SqlClient, fn: () => Promise<T>): Promise<T> {
  if (isPrismaTx(client)) return fn();
  const before = await sqlRow<{ mode: string }>(
    client,
    `select current_setting('plan_cache_mode') as mode, set_config('plan_cache_mode', 'force_generic_plan', true)`,
  );
  const result = await fn();
  await client.query(`select set_config('plan_cache_mode', $1, true)`, [before!.mode]);
  return result;
}

/** Runs one statement; returns how many rows it wrote. */
export async function sqlExecute(client: SqlClient, text: string, params: unknown[] = []): Promise<number> {
  if (isPrismaTx(client)) return client.$executeRawUnsafe(text, ...params);
  return (await client.query(text, params)).rowCount ?? 0;
}

/**
 * withTenant for raw SQL: straight through the client's pg pool when it has one (createDb, every
 * process of the app), else in a Prisma transaction (a client made some other way). Same row-level
 * security context and the same all-or-nothing transaction either way.
 */
export async function withTenantSql<T>(db: Db, tenantId: string, fn: (client: SqlClient) => Promise<T>, options: { timeoutMs?: number } = {}): Promise<T> {
  const pool = poolOf(db);
  return pool ? withTenantPg(pool, tenantId, fn, options) : withTenant(db, tenantId, fn, options);
}
