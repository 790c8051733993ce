// The rows a digest run reads and writes on its hot path, in raw SQL (lib/db/raw-sql.ts): begin,
// generate and finish run once per digest and were mostly Prisma's client runtime in the fan-out's
// CPU profile. Only the columns the steps use, aliased to the Prisma models' field names.
import { sqlRow, type SqlClient } from '../../../lib/db/raw-sql';

export interface RunInstallation {
  id: string;
  status: string;
  config: unknown;
  packageVersion: string;
  credentialId: string | null;
  scheduleEffectiveSince: Date | null;
}

export interface RunExecution {
  id: string;
  installationId: string;
  trigger: string;
  status: string;
  errorKind: string | null;
  correlationId: string;
  dedupeKey: string | null;
  windowStart: Date;
  windowEnd: Date;
  startedAt: Date | null;
  summary: unknown;
}

const INSTALLATION_COLUMNS = `id, status, config, package_version as "packageVersion", credential_id as "credentialId",
  schedule_effective_since as "scheduleEffectiveSince"`;
export const EXECUTION_COLUMNS = `id, installation_id as "installationId", trigger, status, error_kind as "errorKind", correlation_id as "correlationId",
  dedupe_key as "dedupeKey", window_start as "windowStart", window_end as "windowEnd", started_at as "startedAt", summary`;

export function findInstallation(tx: SqlClient, id: string): Promise<RunInstallation | null> {
  return sqlRow<RunInstallation>(tx, `select ${INSTALLATION_COLUMNS} from installations where id = $1::uuid`, [id]);
}

/** The execution by id; `lock` takes its row lock (select … for update) in the same statement. */
export function findExecution(tx: SqlClient, id: string, options: { lock?: boolean } = {}): Promise<RunExecution | null> {
  return sqlRow<RunExecution>(tx, `select ${EXECUTION_COLUMNS} from executions where id = $1::uuid${options.lock ? ' for update' : ''}`, [id]);
}

export function findExecutionByWorkflowId(tx: SqlClient, workflowId: string): Promise<RunExecution | null> {
  return sqlRow<RunExecution>(tx, `select ${EXECUTION_COLUMNS} from executions where workflow_id = $1`, [workflowId]);
}
