// Execution logs: the step-by-step story of one run, joined to signals by correlation id.
// `data` must be safe (counts, kinds, ids) — never message content or secrets.
import type { Prisma } from '../db/generated/client';
import type { Tx } from '../db/with-tenant';
import { redactSecretsDeep } from '../log/redact';

export type LogLevel = 'info' | 'warn' | 'error';

export async function appendExecutionLog(
  tx: Tx,
  entry: { tenantId: string; executionId: string; correlationId: string; level: LogLevel; message: string; data?: Record<string, unknown> },
): Promise<void> {
  await tx.executionLog.create({
    data: {
      tenantId: entry.tenantId,
      executionId: entry.executionId,
      correlationId: entry.correlationId,
      level: entry.level,
      message: entry.message,
      data: redactSecretsDeep(entry.data ?? {}) as Prisma.InputJsonObject,
    },
  });
}
