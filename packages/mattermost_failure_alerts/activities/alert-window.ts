// The alert window's bookkeeping, derived from the database alone (so a lost notice, a crash or a
// continue-as-new changes nothing): where the next window starts, which failures wait in it, and
// the alerts already posted in the last hour.
import type { Execution, Installation, Signal } from '../../../lib/db/generated/client';
import type { Tx } from '../../../lib/db/with-tenant';
import { ALERT_EXECUTION_KIND } from '../alert-types';
import { wantsSignal, type TFailureAlertsConfig } from '../config';

/** How many failures one alert reads (the message lists max_lines and counts the rest). */
export const MAX_FAILURES_READ = 2_000;

/** The database's clock, not the transaction's start: windows are cut on the clock signals are stamped with. */
export async function dbNow(tx: Tx): Promise<Date> {
  const [row] = await tx.$queryRaw<{ now: Date }[]>`select clock_timestamp() as now`;
  return row.now;
}

/** An alert window opened by an earlier attempt and not yet finished. */
export async function openAlertExecution(tx: Tx, installationId: string): Promise<Execution | null> {
  return tx.execution.findFirst({
    where: { installationId, kind: ALERT_EXECUTION_KIND, status: { in: ['pending', 'running'] } },
    orderBy: { createdAt: 'desc' },
  });
}

/**
 * Where the next window starts: the end of the last alert that was posted — or whose outcome is
 * unknown (it may have been posted: its failures are not posted again). A failed alert's failures
 * go into the next one. Before any alert: the install.
 */
export async function alertCursor(tx: Tx, installation: Installation): Promise<Date> {
  const last = await tx.execution.findFirst({
    where: { installationId: installation.id, kind: ALERT_EXECUTION_KIND, OR: [{ status: 'succeeded' }, { status: 'failed', errorKind: 'unknown' }] },
    orderBy: { windowEnd: 'desc' },
    select: { windowEnd: true },
  });
  return last?.windowEnd ?? installation.installedAt ?? installation.createdAt;
}

/** The failures after `after` (and up to `upTo`), by the time they were recorded, that pass the filters. */
export async function waitingFailures(tx: Tx, config: TFailureAlertsConfig, after: Date, upTo?: Date): Promise<Signal[]> {
  const rows = await tx.signal.findMany({
    where: { type: { in: config.signal_types }, createdAt: { gt: after, ...(upTo ? { lte: upTo } : {}) } },
    orderBy: [{ createdAt: 'asc' }, { occurredAt: 'asc' }, { id: 'asc' }],
    take: MAX_FAILURES_READ,
  });
  return rows.filter((s) => wantsSignal(config, s));
}

export async function countWaitingFailures(tx: Tx, config: TFailureAlertsConfig, after: Date, upTo: Date): Promise<number> {
  if (config.sources.length === 0) return tx.signal.count({ where: { type: { in: config.signal_types }, createdAt: { gt: after, lte: upTo } } });
  // With source filters (prefixes), count in pages.
  let total = 0;
  let from = after;
  for (;;) {
    const page = await tx.signal.findMany({
      where: { type: { in: config.signal_types }, createdAt: { gt: from, lte: upTo } },
      orderBy: [{ createdAt: 'asc' }],
      take: 5_000,
      select: { type: true, source: true, createdAt: true },
    });
    total += page.filter((s) => wantsSignal(config, s)).length;
    if (page.length < 5_000) return total;
    from = page[page.length - 1].createdAt;
  }
}

/** Finish times of the alerts posted in the hour before `now`, oldest first. */
export async function alertsPostedSince(tx: Tx, installationId: string, since: Date): Promise<Date[]> {
  const rows = await tx.execution.findMany({
    where: { installationId, kind: ALERT_EXECUTION_KIND, status: 'succeeded', finishedAt: { gt: since } },
    orderBy: { finishedAt: 'asc' },
    select: { finishedAt: true },
  });
  return rows.map((r) => r.finishedAt!);
}
