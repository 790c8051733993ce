// Directives recorded while Temporal was unreachable wait in `requested`. The reconciler (run at
// worker start and periodically) starts their workflows; the workflow id makes this idempotent.
import type { Db } from '../db/client';
import { withTenant } from '../db/with-tenant';
import type { Logger } from '../log/logger';
import type { DirectiveStarter } from './directive-starter';

export async function reconcileRequestedDirectives(
  deps: { db: Db; starter: DirectiveStarter; logger: Logger },
  options: { olderThanMs?: number; limit?: number } = {},
): Promise<number> {
  const olderThan = new Date(Date.now() - (options.olderThanMs ?? 5_000));
  const stale = await deps.db.$queryRaw<
    { id: string; tenant_id: string }[]
  >`select id, tenant_id from app_stale_requested_directives(${olderThan}, ${options.limit ?? 100})`;
  let started = 0;
  for (const row of stale) {
    const d = await withTenant(deps.db, row.tenant_id, (tx) => tx.directive.findUnique({ where: { id: row.id } }));
    if (!d || d.status !== 'requested') continue;
    const params = d.params as { installation_id: string; package_slug: string };
    try {
      await deps.starter.start({
        tenantId: d.tenantId,
        directiveId: d.id,
        workflowId: d.workflowId,
        correlationId: d.correlationId,
        installationId: params.installation_id,
        directiveType: d.type,
        packageSlug: params.package_slug,
      });
      started++;
    } catch (err) {
      deps.logger.warn({ directiveId: d.id, err: err instanceof Error ? err.message : String(err) }, 'reconciler could not start directive');
      break; // Temporal is still unreachable; try again next round.
    }
  }
  return started;
}
