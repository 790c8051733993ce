// Starts the Temporal worker: the only place that builds real activity dependencies.
// `buildWorker` is exported for tests; running this file starts a worker until SIGINT/SIGTERM.
import { NativeConnection, Worker, bundleWorkflowCode, type WorkflowBundleOption } from '@temporalio/worker';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createActivities, type ActivityDeps } from './activities';
import { defaultPackageCatalog, PACKAGE_MODULES, packageRunWorkflows } from './packages/registry';
import { connectTemporal, packageWorkflowSignaller, startDirectiveWorkflow } from './client';
import { loadConfig, type TConfig } from './lib/config';
import { createDb } from './lib/db/client';
import { reconcileRequestedDirectives } from './lib/directives/reconcile-directives';
import { startInstallationReconciler } from './lib/installations/reconcile-pending';
import { scheduleControl } from './lib/installations/schedule-control';
import { keyringFromConfig, mattermostFromConfig } from './lib/runtime/outbound-runtime';
import { platformLlmFromConfig } from './lib/llm/llm-provider';
import { createLogger } from './lib/log/logger';
import { startMetricsServer, remoteMetrics, type MetricsServer } from './lib/metrics/metrics-server';
import { registerProcessMetrics } from './lib/metrics/registry';
import { activityInterceptors } from './lib/temporal/activity-interceptor';
import { ensureSignalRetentionSchedule } from './lib/temporal/signal-retention-schedule';
import { telemetrySinks } from './lib/temporal/telemetry-sinks';
import { installWorkerRuntime } from './lib/temporal/worker-runtime';

/** True when this file runs compiled (`node dist/worker.js`), false under tsx or ts-jest. */
const RUNNING_COMPILED = path.extname(__filename) === '.js';
/** `npm run build` writes the workflow bundle next to the compiled worker: dist/workflow-bundle.js. */
export const PREBUILT_BUNDLE = path.join(RUNNING_COMPILED ? __dirname : path.join(__dirname, 'dist'), 'workflow-bundle.js');
/** The core's workflows plus every package's (packages/workflows.ts). */
export const WORKFLOWS_PATH = require.resolve('./packages/workflows');
/** Bundled with the workflows: log context for activities, workflow outcome metrics. */
export const WORKFLOW_INTERCEPTOR_MODULES = [require.resolve('./workflows/observability-interceptors')];

export class MissingWorkflowBundleError extends Error {
  constructor(file: string) {
    super(`The prebuilt workflow bundle ${file} is missing: run \`npm run build\` (it compiles dist/ and bundles workflows/).`);
    this.name = 'MissingWorkflowBundleError';
  }
}

/**
 * The workflow code the worker runs. Compiled (production) it is always the prebuilt bundle,
 * loaded by the SDK from its path; from sources it is bundled now (about a second), or taken
 * from dist/ when NODE_ENV=production and `npm run build` has written it.
 */
export async function loadWorkflowBundle(): Promise<WorkflowBundleOption> {
  if (RUNNING_COMPILED || process.env.NODE_ENV === 'production') {
    if (existsSync(PREBUILT_BUNDLE)) return { codePath: PREBUILT_BUNDLE };
    if (RUNNING_COMPILED) throw new MissingWorkflowBundleError(PREBUILT_BUNDLE);
  }
  return bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES, logger: quietBundlerLogger });
}

const quietBundlerLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (m: string) => console.warn(m),
  error: (m: string) => console.error(m),
};

/** Every package's own activities (PackageModule.createActivities), merged after the core's. */
export function packageActivities(deps: ActivityDeps): Record<string, unknown> {
  return Object.assign({}, ...(deps.packages ?? PACKAGE_MODULES).map((m) => m.createActivities?.(deps) ?? {})) as Record<string, unknown>;
}

export async function buildWorker(options: {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  workflowBundle: WorkflowBundleOption;
  identity?: string;
  /** WORKER_MAX_CACHED_WORKFLOWS / WORKER_MAX_CONCURRENT_ACTIVITIES; 0 or absent: the SDK's default. */
  maxCachedWorkflows?: number;
  maxConcurrentActivities?: number;
}): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowBundle: options.workflowBundle,
    activities: { ...createActivities(options.deps), ...packageActivities(options.deps) },
    interceptors: { activity: [activityInterceptors(options.deps.logger)] },
    sinks: telemetrySinks(options.deps.logger, packageRunWorkflows(options.deps.packages ?? PACKAGE_MODULES)),
    ...(options.identity ? { identity: options.identity } : {}),
    ...(options.maxCachedWorkflows ? { maxCachedWorkflows: options.maxCachedWorkflows } : {}),
    ...(options.maxConcurrentActivities ? { maxConcurrentActivityTaskExecutions: options.maxConcurrentActivities } : {}),
    shutdownGraceTime: '10 seconds',
    // If Temporal is gone too, do not hang on shutdown for ever.
    shutdownForceTime: '20 seconds',
  });
}

export async function runWorker(config: TConfig & { TEMPORAL_ADDRESS: string; DATABASE_URL: string }): Promise<void> {
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'worker' });
  // Before any NativeConnection: SDK logs through pino, SDK metrics on a loopback port.
  const runtime = installWorkerRuntime({ logger, sdkMetricsPort: config.WORKER_SDK_METRICS_PORT });
  registerProcessMetrics({ service: 'worker' });
  let metricsServer: MetricsServer | null = null;
  const dbHandle = createDb({ url: config.DATABASE_URL });
  const temporal = await connectTemporal(config);
  const connection = await NativeConnection.connect({
    address: config.TEMPORAL_ADDRESS,
    tls: config.TEMPORAL_TLS || undefined,
    apiKey: config.TEMPORAL_API_KEY,
  });
  const starter = { start: (d: Parameters<typeof startDirectiveWorkflow>[1]) => startDirectiveWorkflow(temporal, d) };
  let reconcileTimer: NodeJS.Timeout | undefined;
  let heartbeatTimer: NodeJS.Timeout | undefined;
  let installationReconciler: { stop(): Promise<void> } | undefined;
  const packages = defaultPackageCatalog();
  try {
    const worker = await buildWorker({
      connection,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      deps: {
        db: dbHandle.db,
        logger,
        keyring: keyringFromConfig(config),
        mattermost: mattermostFromConfig(config),
        llm: platformLlmFromConfig(config),
        schedules: scheduleControl(dbHandle.db, () => Promise.resolve(temporal), packages),
        publicUrl: config.PUBLIC_URL ?? `http://${config.HOST}:${config.PORT}`,
        staleClaimMs: config.DIGEST_STALE_CLAIM_MS,
        packageSignaller: packageWorkflowSignaller(() => Promise.resolve(temporal)),
      },
      workflowBundle: await loadWorkflowBundle(),
      maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
      maxConcurrentActivities: config.WORKER_MAX_CONCURRENT_ACTIVITIES,
    });
    if (config.WORKER_METRICS_PORT > 0) {
      metricsServer = await startMetricsServer({
        host: config.HOST,
        port: config.WORKER_METRICS_PORT,
        logger,
        extra: runtime.sdkMetricsUrl ? [remoteMetrics(runtime.sdkMetricsUrl)] : [],
      });
      if (metricsServer) logger.info({ url: metricsServer.url }, 'worker metrics');
    }
    await ensureSignalRetentionSchedule(temporal.client, { taskQueue: config.TEMPORAL_TASK_QUEUE, retentionDays: config.SIGNAL_RETENTION_DAYS }).then(
      (scheduleId) => logger.info({ scheduleId, retentionDays: config.SIGNAL_RETENTION_DAYS }, 'signal retention schedule ensured'),
      (err) => logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'could not create or update the signal retention schedule'),
    );
    const reconcile = () =>
      reconcileRequestedDirectives({ db: dbHandle.db, starter, logger }).catch((err) => logger.warn({ err: String(err) }, 'reconcile failed'));
    await reconcile();
    reconcileTimer = setInterval(() => void reconcile(), 30_000);
    // Installations whose desired state Temporal does not reflect yet (saved while it was down).
    installationReconciler = startInstallationReconciler(
      { db: dbHandle.db, logger, packages, getTemporal: () => Promise.resolve(temporal) },
      config.INSTALLATION_RECONCILE_INTERVAL_MS,
    );
    if (config.WORKER_HEARTBEAT_FILE) {
      const file = config.WORKER_HEARTBEAT_FILE;
      const beat = () => writeFile(file, new Date().toISOString()).catch(() => undefined);
      await beat();
      heartbeatTimer = setInterval(() => void beat(), 10_000);
    }
    logger.info({ taskQueue: config.TEMPORAL_TASK_QUEUE, namespace: config.TEMPORAL_NAMESPACE }, 'worker running');
    // The SDK's Runtime shuts the worker down on SIGINT/SIGTERM; run() resolves when it has.
    await worker.run();
  } finally {
    if (reconcileTimer) clearInterval(reconcileTimer);
    await installationReconciler?.stop();
    if (heartbeatTimer) clearInterval(heartbeatTimer);
    await metricsServer?.close();
    await connection.close().catch(() => undefined);
    await temporal.close().catch(() => undefined);
    await dbHandle.close();
    logger.info('worker stopped');
  }
}

if (require.main === module) {
  const config = loadConfig();
  if (!config.TEMPORAL_ADDRESS || !config.DATABASE_URL) {
    console.error('worker: set TEMPORAL_ADDRESS and DATABASE_URL (npm start sets both for the embedded stack).');
    process.exit(1);
  }
  runWorker({ ...config, TEMPORAL_ADDRESS: config.TEMPORAL_ADDRESS, DATABASE_URL: config.DATABASE_URL }).catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
