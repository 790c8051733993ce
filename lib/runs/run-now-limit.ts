// "Run now" (and Retry) is limited per tenant per rolling hour; scheduled runs never are.
// Counted from the executions table under a per-tenant advisory lock, so concurrent requests
// cannot overshoot the limit.
import type { Tx } from '../db/with-tenant';
import { AppError } from '../errors/app-error';

const HOUR_MS = 3_600_000;

export interface RunQuota {
  limit: number;
  used: number;
  remaining: number;
  resetsAt: Date | null;
}

export async function readRunQuota(tx: Tx, tenantId: string, limit: number, now = new Date()): Promise<RunQuota> {
  const since = new Date(now.getTime() - HOUR_MS);
  // A run closed because Temporal could not be reached never started: it costs no quota.
  const recent = await tx.execution.findMany({
    where: { tenantId, trigger: { in: ['manual', 'retry'] }, createdAt: { gt: since }, NOT: { status: 'failed', startedAt: null, errorKind: 'network' } },
    select: { createdAt: true },
    orderBy: { createdAt: 'asc' },
  });
  return {
    limit,
    used: recent.length,
    remaining: Math.max(0, limit - recent.length),
    resetsAt: recent.length > 0 ? new Date(recent[0].createdAt.getTime() + HOUR_MS) : null,
  };
}

/** Takes one unit of the tenant's hourly quota or throws RATE_LIMITED with Retry-After. */
export async function takeRunQuota(tx: Tx, tenantId: string, limit: number): Promise<RunQuota> {
  await tx.$executeRaw`select pg_advisory_xact_lock(hashtextextended(${`run-now:${tenantId}`}, 0))`;
  const quota = await readRunQuota(tx, tenantId, limit);
  if (quota.remaining <= 0) {
    const retryAfter = Math.max(1, Math.ceil(((quota.resetsAt?.getTime() ?? Date.now() + HOUR_MS) - Date.now()) / 1000));
    throw new AppError(
      'RATE_LIMITED',
      `Run now is limited to ${limit} runs per hour for this organisation. Try again in ${Math.ceil(retryAfter / 60)} minute(s).`,
      {
        headers: { 'Retry-After': String(retryAfter) },
        details: { limit, retry_after_seconds: retryAfter },
      },
    );
  }
  return { ...quota, used: quota.used + 1, remaining: quota.remaining - 1 };
}
