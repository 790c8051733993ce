// The API process: builds real dependencies, listens, and closes everything on SIGINT/SIGTERM.
import type { Server } from 'node:http';
import { connectTemporal, runStarter, packageWorkflowSignaller, startDirectiveWorkflow } from '../client';
import { loadConfig, secureCookiesSetting, trustProxySetting } from '../lib/config';
import { platformLlmFromConfig } from '../lib/llm/llm-provider';
import { assertConfinedRole, createDb } from '../lib/db/client';
import { pendingMigrations } from '../lib/db/migrator';
import { createLogger } from '../lib/log/logger';
import { registerProcessMetrics } from '../lib/metrics/registry';
import { scheduleControl } from '../lib/installations/schedule-control';
import { keyringFromConfig, mattermostFromConfig } from '../lib/runtime/outbound-runtime';
import { defaultPackageCatalog } from '../packages/registry';
import { lazyTemporal } from '../lib/temporal/lazy-temporal';
import { createApp } from './app';

async function main() {
  const config = loadConfig();
  if (!config.DATABASE_URL || !config.TEMPORAL_ADDRESS) {
    throw new Error('api: set DATABASE_URL and TEMPORAL_ADDRESS (npm start sets both for the embedded stack).');
  }
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'api' });
  registerProcessMetrics({ service: 'api' });
  const dbHandle = createDb({ url: config.DATABASE_URL });
  await assertConfinedRole(dbHandle.db);
  const temporalSettings = { ...config, TEMPORAL_ADDRESS: config.TEMPORAL_ADDRESS };
  const temporal = lazyTemporal(() => connectTemporal(temporalSettings, { connectTimeoutMs: 1_200 }));
  const migrationUrl = config.MIGRATION_DATABASE_URL ?? config.DATABASE_URL;

  const packages = defaultPackageCatalog();
  const app = createApp({
    db: dbHandle.db,
    logger,
    starter: { start: async (d) => startDirectiveWorkflow(await temporal.get(), d) },
    namespace: config.TEMPORAL_NAMESPACE,
    temporalUiUrl: config.TEMPORAL_UI_URL,
    pendingMigrations: () => pendingMigrations(migrationUrl),
    temporalReachable: () => temporal.reachable(),
    keyring: keyringFromConfig(config),
    mattermost: mattermostFromConfig(config),
    allowedHosts: config.OUTBOUND_ALLOWED_HOSTS,
    runStarter: runStarter(() => temporal.get()),
    packageSignaller: packageWorkflowSignaller(() => temporal.get()),
    runNowLimitPerHour: config.RUN_NOW_LIMIT_PER_HOUR,
    schedules: scheduleControl(dbHandle.db, () => temporal.get(), packages),
    packages,
    auth: { publicUrl: config.PUBLIC_URL, secureCookies: secureCookiesSetting(config) },
    signalRetentionDays: config.SIGNAL_RETENTION_DAYS,
    http: { trustProxy: trustProxySetting(config.TRUST_PROXY), hstsMaxAgeSeconds: config.HSTS_MAX_AGE_SECONDS },
    llm: platformLlmFromConfig(config),
  });

  const server: Server = app.listen(config.PORT, config.HOST);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new Error(`api: port ${config.PORT} is already in use; set PORT to a free port.`) : err),
    );
  });
  logger.info({ url: `http://${config.HOST}:${config.PORT}` }, 'api listening');

  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    const timer = setTimeout(() => process.exit(1), 10_000).unref();
    server.close();
    server.closeAllConnections();
    await temporal.close();
    await dbHandle.close();
    clearTimeout(timer);
    logger.info('api stopped');
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
