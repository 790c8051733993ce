// What generating a run's digest and summarising it both start from: the installation, its
// config, and the statistics of the run's window (in the caller's tenant transaction). Raw SQL
// (digest-run-rows.ts), on a pg client or a Prisma transaction.
import type { SqlClient } from '../../../lib/db/raw-sql';
import { sqlRow } from '../../../lib/db/raw-sql';
import { collectDigestStats } from '../collect-digest-stats';
import { storedDigestConfig } from '../config';
import { findExecution, findInstallation } from './digest-run-rows';

export async function runStats(tx: SqlClient, run: { tenantId: string; installationId: string; executionId: string }) {
  // One after another: a pg client runs one statement at a time anyway.
  const tenant = await sqlRow<{ name: string }>(tx, `select name from tenants where id = $1::uuid`, [run.tenantId]);
  const installation = await findInstallation(tx, run.installationId);
  const execution = await findExecution(tx, run.executionId);
  if (!tenant || !installation || !execution) throw new Error('The run’s tenant, installation or execution no longer exists.');
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
