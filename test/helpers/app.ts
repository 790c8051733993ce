// The real Express app for API tests (supertest, no port) on the real database and Temporal.
import type { Express } from 'express';
import { createApp } from '../../api/app';
import type { AppDeps } from '../../api/app-deps';
import { runStarter, packageWorkflowSignaller, startDirectiveWorkflow, type TemporalHandle } from '../../client';
import type { Db } from '../../lib/db/client';
import type { DirectiveStarter } from '../../lib/directives/directive-starter';
import { pendingMigrations } from '../../lib/db/migrator';
import { createLogger } from '../../lib/log/logger';
import { parseKeyring } from '../../lib/crypto/keyring';
import { createMattermostClient } from '../../lib/mattermost';
import { scheduleControl } from '../../lib/installations/schedule-control';
import { defaultPackageCatalog } from '../../packages/registry';
import { createLoginRateLimiter } from '../../lib/auth/login-rate-limit';

export function temporalStarter(temporal: TemporalHandle): DirectiveStarter {
  return { start: (d) => startDirectiveWorkflow(temporal, d) };
}

export const unreachableStarter: DirectiveStarter = {
  start: async () => {
    throw new Error('14 UNAVAILABLE: connect ECONNREFUSED 127.0.0.1:1');
  },
};

export const TEST_KEYRING = parseKeyring(`test1:${Buffer.alloc(32, 7).toString('base64')}`);

/** Lets the outbound guard reach servers on this machine (the Mattermost fake). */
export const TEST_ALLOWED_HOSTS = ['127.0.0.1', 'localhost'];

export function buildTestApp(opts: { db: Db; temporal?: TemporalHandle; starter?: DirectiveStarter; overrides?: Partial<AppDeps> }): Express {
  const getTemporal = async () => {
    if (!opts.temporal) throw new Error('14 UNAVAILABLE: no Temporal in this test');
    return opts.temporal;
  };
  return createApp({
    keyring: TEST_KEYRING,
    mattermost: createMattermostClient({ allowedHosts: TEST_ALLOWED_HOSTS, timeoutMs: 2_000 }),
    allowedHosts: TEST_ALLOWED_HOSTS,
    runStarter: runStarter(getTemporal),
    packageSignaller: opts.temporal ? packageWorkflowSignaller(getTemporal) : undefined,
    runNowLimitPerHour: 3,
    schedules: scheduleControl(opts.db, getTemporal, opts.overrides?.packages ?? defaultPackageCatalog(opts.overrides?.packageModules)),
    db: opts.db,
    logger: createLogger({ level: 'silent' }),
    starter: opts.starter ?? (opts.temporal ? temporalStarter(opts.temporal) : unreachableStarter),
    namespace: 'default',
    temporalUiUrl: 'http://127.0.0.1:8233',
    pendingMigrations: () => pendingMigrations(process.env.MIGRATION_DATABASE_URL!),
    temporalReachable: async () => {
      if (!opts.temporal) return false;
      await opts.temporal.connection.workflowService.getSystemInfo({});
      return true;
    },
    ...opts.overrides,
    // Every test request comes from 127.0.0.1 and all test files share one database: the
    // per-address bucket would otherwise turn one file's failed sign-ins into another's 429s.
    // The per-account limits stay as in production; tests of the address limit pass their own.
    auth: { loginLimiter: createLoginRateLimiter(opts.db, { perAddress: 1_000_000 }), ...opts.overrides?.auth },
  });
}
