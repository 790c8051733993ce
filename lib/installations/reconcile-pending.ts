// The reconciler loop's one round: every installation whose desired state is not applied yet
// (observed version behind), across tenants, through a narrow SECURITY DEFINER look-up.
import type { Db } from '../db/client';
import type { Logger } from '../log/logger';
import { isTemporalUnavailable } from '../temporal/unavailable';
import { reconcileInstallation, type ReconcileDeps } from './reconcile-installation';
import type { PackageLookup } from './schedule-wanted';

export async function reconcilePendingInstallations(deps: ReconcileDeps & { logger: Logger }, options: { limit?: number } = {}): Promise<number> {
  const pending = await deps.db.$queryRaw<{ id: string; tenant_id: string }[]>`select id, tenant_id from app_unapplied_installations(${options.limit ?? 100})`;
  let applied = 0;
  for (const row of pending) {
    try {
      await reconcileInstallation(deps, { tenantId: row.tenant_id, installationId: row.id });
      applied++;
    } catch (err) {
      deps.logger.warn(
        { tenantId: row.tenant_id, installationId: row.id, err: err instanceof Error ? err.message : String(err) },
        'could not apply the installation state to Temporal yet',
      );
      if (isTemporalUnavailable(err)) break; // still down: the next round tries again
    }
  }
  return applied;
}

/** Runs a round every `intervalMs` (and once at start) until stopped. */
export function startInstallationReconciler(
  deps: { db: Db; logger: Logger; packages: PackageLookup; getTemporal: () => Promise<{ client: ReconcileDeps['temporal']; taskQueue: string }> },
  intervalMs: number,
): { stop(): Promise<void>; round(): Promise<number> } {
  let running: Promise<number> | null = null;
  const round = () => {
    running ??= (async () => {
      try {
        const t = await deps.getTemporal();
        return await reconcilePendingInstallations({ db: deps.db, logger: deps.logger, packages: deps.packages, temporal: t.client, taskQueue: t.taskQueue });
      } catch (err) {
        deps.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'installation reconcile round failed');
        return 0;
      } finally {
        running = null;
      }
    })();
    return running;
  };
  void round();
  const timer = setInterval(() => void round(), intervalMs);
  timer.unref();
  return {
    // Resolves once a round in progress has finished, so its connections can be closed.
    stop: async () => {
      clearInterval(timer);
      await running;
    },
    round,
  };
}
