// Liveness and readiness. /readyz checks what a request needs: the database, the migrations
// and Temporal; each check reports ok or a reason.
import { Router } from 'express';
import type { AppDeps } from '../app-deps';

export function healthRouter(deps: AppDeps): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const checks: Record<string, { ok: boolean; detail?: string }> = {};
    try {
      await deps.db.$queryRaw`select 1`;
      checks.database = { ok: true };
    } catch {
      checks.database = { ok: false, detail: 'database unreachable' };
    }
    try {
      const pending = await deps.pendingMigrations();
      checks.migrations = pending.length === 0 ? { ok: true } : { ok: false, detail: `pending: ${pending.join(', ')}` };
    } catch {
      checks.migrations = { ok: false, detail: 'could not read _prisma_migrations' };
    }
    checks.temporal = (await deps.temporalReachable().catch(() => false)) ? { ok: true } : { ok: false, detail: 'temporal unreachable' };
    const ready = Object.values(checks).every((c) => c.ok);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', checks });
  });
  return router;
}
