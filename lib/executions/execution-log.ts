// Execution logs: the step-by-step story of one run, joined to signals by correlation id.
// `data` must be safe (counts, kinds, ids) — never message content or secrets.
// One raw insert (lib/db/raw-sql.ts) on a Prisma transaction or a pg client: a run appends four
// or more, and on the digest's hot path Prisma's create cost more CPU than the insert.
import { sqlExecute, type SqlClient } from '../db/raw-sql';
import { redactSecretsDeep } from '../log/redact';

export type LogLevel = 'info' | 'warn' | 'error';

export async function appendExecutionLog(
  tx: SqlClient,
  entry: { tenantId: string; executionId: string; correlationId: string; level: LogLevel; message: string; data?: Record<string, unknown> },
): Promise<void> {
  // The id as Prisma's @default(uuid()) made it; `at` from this process's clock, as Prisma's create set it.
  await sqlExecute(
    tx,
    `insert into execution_logs (id, tenant_id, execution_id, correlation_id, at, level, message, data)
     values (gen_random_uuid(), $1::uuid, $2::uuid, $3, $4::timestamptz, $5, $6, $7::jsonb)`,
    [entry.tenantId, entry.executionId, entry.correlationId, new Date(), entry.level, entry.message, JSON.stringify(redactSecretsDeep(entry.data ?? {}))],
  );
}
