// What generating a run's digest and summarising it both start from: the installation, its
// config, and the statistics of the run's window (in the caller's tenant transaction).
import type { Tx } from '../../../lib/db/with-tenant';
import { collectDigestStats } from '../collect-digest-stats';
import { storedDigestConfig } from '../config';

export async function runStats(tx: Tx, run: { tenantId: string; installationId: string; executionId: string }) {
  const [tenant, installation, execution] = await Promise.all([
    tx.tenant.findUniqueOrThrow({ where: { id: run.tenantId } }),
    tx.installation.findUniqueOrThrow({ where: { id: run.installationId } }),
    tx.execution.findUniqueOrThrow({ where: { id: run.executionId } }),
  ]);
  const config = storedDigestConfig(installation.config);
  const stats = await collectDigestStats(tx, {
    tenantId: run.tenantId,
    tenantName: tenant.name,
    timezone: config.timezone,
    windowStart: execution.windowStart,
    windowEnd: execution.windowEnd,
  });
  return { installation, config, stats };
}
