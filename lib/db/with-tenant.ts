// Runs `fn` in one transaction whose row-level-security context is `tenantId`.
// Every tenant-scoped read and write goes through here; a query that forgets
// `where tenantId` still sees only this tenant's rows.
import type { Db } from './client';
import type { Prisma } from './generated/client';

export type Tx = Prisma.TransactionClient;

export async function withTenant<T>(db: Db, tenantId: string, fn: (tx: Tx) => Promise<T>, options: { timeoutMs?: number } = {}): Promise<T> {
  return db.$transaction(
    async (tx) => {
      await tx.$executeRaw`select set_config('app.tenant_id', ${tenantId}, true)`;
      return fn(tx);
    },
    { timeout: options.timeoutMs ?? 15_000, maxWait: 10_000 },
  );
}
