// A private, breakable stack for fault tests: its own embedded Postgres (temp folder, free
// port), its own Temporal dev server persisting to a SQLite file (so a restart on the same port
// keeps every workflow), the worker as a real child process (so SIGKILL is real), the real API
// app in this process (supertest) and the Mattermost fake. Nothing here touches the services
// that global setup started for the other test files. Only 127.0.0.1 is used.
// The load test uses it too: API and worker in separate processes with separate connection
// pools, as deployed, with nothing else competing for the database.
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import { connectTemporal, type TemporalHandle } from '../../../client';
import { enableAppLogin } from '../../../lib/db/app-login-role';
import { createDb, type DbHandle } from '../../../lib/db/client';
import { migrate, pendingMigrations } from '../../../lib/db/migrator';
import type { Logger } from '../../../lib/log/logger';
import { createLogger } from '../../../lib/log/logger';
import { freePort, startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../../../scripts/dev-stack/postgres';
import { PROJECT_ROOT, resolveTemporalCli, startTemporalDevServer, stopChild, type TemporalDevServerHandle } from '../../../scripts/dev-stack/temporal';
import { startFakeMattermost, type FakeMattermost } from '../../fakes/mattermost-server';
import { buildTestApp, TEST_ALLOWED_HOSTS } from '../../helpers/app';

/** The same 32-byte key as TEST_KEYRING, in ENCRYPTION_KEYS form, so the API and the worker agree. */
export const TEST_ENCRYPTION_KEYS = `test1:${Buffer.alloc(32, 7).toString('base64')}`;

export interface WorkerProcess {
  /** Starts the worker child (if not running) and waits until it polls. */
  start(): Promise<void>;
  /** SIGKILL: no shutdown, no cleanup, in-flight activities are simply gone. */
  kill(): Promise<void>;
  /** SIGTERM and wait for exit. */
  stop(): Promise<void>;
  running(): boolean;
  /** Everything the worker printed (stdout + stderr), across restarts. */
  output(): string;
  /** How many times it exited without being asked to. */
  unexpectedExits(): number;
}

export interface FaultStack {
  root: string;
  pgPort: number;
  temporalPort: number;
  ownerUrl: string;
  appUrl: string;
  handle: DbHandle;
  temporal: TemporalHandle;
  app: Express;
  fake: FakeMattermost;
  worker: WorkerProcess;
  stopPostgres(): Promise<void>;
  startPostgres(): Promise<void>;
  stopTemporal(): Promise<void>;
  startTemporal(): Promise<void>;
  close(): Promise<void>;
}

export interface FaultStackOptions {
  /** Extra environment for the worker (e.g. DIGEST_STALE_CLAIM_MS). */
  workerEnv?: Record<string, string>;
  logger?: Logger;
  runNowLimitPerHour?: number;
}

export async function openFaultStack(options: FaultStackOptions = {}): Promise<FaultStack> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'fleetprompt-fault-'));
  await chmod(root, 0o755);
  const pgDir = path.join(root, 'postgres', 'data');
  const pgPort = await freePort();
  let pg: EmbeddedPostgresHandle | undefined = await startEmbeddedPostgres({ dataDir: pgDir, port: pgPort });
  const ownerUrl = pg.url;
  await migrate(ownerUrl);
  const appUrl = await enableAppLogin(ownerUrl, 'fault-test-password');

  const cliPath = resolveTemporalCli(process.env.TEMPORAL_CLI_PATH);
  if (!cliPath) throw new Error('No Temporal CLI: run npm run setup');
  const temporalPort = await freePort();
  const dbFile = path.join(root, 'temporal', 'temporal.sqlite');
  let temporalServer: TemporalDevServerHandle | undefined = await startTemporalDevServer({ cliPath, port: temporalPort, dbFile });
  const address = temporalServer.address;
  const taskQueue = 'fault-test';

  // The API's pool as in production (lib/db/client.ts: 10 connections); the worker has its own.
  const handle = createDb({ url: appUrl, max: 10 });
  const temporal = await connectTemporal({
    TEMPORAL_ADDRESS: address,
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_TASK_QUEUE: taskQueue,
    TEMPORAL_TLS: false,
    TEMPORAL_API_KEY: undefined,
  });
  const fake = await startFakeMattermost();
  const logger = options.logger ?? createLogger({ level: 'silent' });
  const app = buildTestApp({
    db: handle.db,
    temporal,
    overrides: {
      logger,
      runNowLimitPerHour: options.runNowLimitPerHour ?? 100,
      pendingMigrations: () => pendingMigrations(ownerUrl),
    },
  });

  const workerEnv: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATABASE_URL: appUrl,
    MIGRATION_DATABASE_URL: ownerUrl,
    TEMPORAL_ADDRESS: address,
    TEMPORAL_TASK_QUEUE: taskQueue,
    ENCRYPTION_KEYS: TEST_ENCRYPTION_KEYS,
    OUTBOUND_ALLOWED_HOSTS: TEST_ALLOWED_HOSTS.join(','),
    PUBLIC_URL: 'http://127.0.0.1:3000',
    ...options.workerEnv,
  };
  const worker = workerProcess(workerEnv, temporal, taskQueue);
  await worker.start();

  return {
    root,
    pgPort,
    temporalPort,
    ownerUrl,
    appUrl,
    handle,
    temporal,
    app,
    fake,
    worker,
    async stopPostgres() {
      await pg?.stop();
      pg = undefined;
    },
    async startPostgres() {
      if (pg) return;
      pg = await startEmbeddedPostgres({ dataDir: pgDir, port: pgPort });
    },
    async stopTemporal() {
      await temporalServer?.stop();
      temporalServer = undefined;
    },
    async startTemporal() {
      if (temporalServer) return;
      temporalServer = await startTemporalDevServer({ cliPath, port: temporalPort, dbFile });
    },
    async close() {
      await worker.stop().catch(() => undefined);
      await fake.close().catch(() => undefined);
      await temporal.close().catch(() => undefined);
      await handle.close().catch(() => undefined);
      await temporalServer?.stop().catch(() => undefined);
      await pg?.stop().catch(() => undefined);
      await rm(root, { recursive: true, force: true }).catch(() => undefined);
    },
  };
}

function workerProcess(env: NodeJS.ProcessEnv, temporal: TemporalHandle, taskQueue: string): WorkerProcess {
  let child: ChildProcess | undefined;
  let output = '';
  let unexpected = 0;
  const expectedExit = new WeakSet<ChildProcess>();

  const exited = (c: ChildProcess) =>
    c.exitCode !== null || c.signalCode !== null ? Promise.resolve() : new Promise<void>((resolve) => c.once('exit', () => resolve()));

  /** The task queue has a poller whose identity is this child's pid. */
  async function polling(pid: number, deadline: number): Promise<void> {
    for (;;) {
      if (!child || child.pid !== pid || child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`the worker exited during start-up:\n${output.slice(-3000)}`);
      }
      try {
        const res = await temporal.client.workflowService.describeTaskQueue({
          namespace: 'default',
          taskQueue: { name: taskQueue },
          taskQueueType: 2, // TASK_QUEUE_TYPE_ACTIVITY
        });
        if ((res.pollers ?? []).some((p) => (p.identity ?? '').startsWith(`${pid}@`))) return;
      } catch {
        /* Temporal may be restarting */
      }
      if (Date.now() > deadline) throw new Error(`the worker did not start polling within the deadline:\n${output.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  return {
    async start() {
      if (child && child.exitCode === null && child.signalCode === null) return;
      const c = spawn(process.execPath, ['--require', 'tsx/cjs', path.join(PROJECT_ROOT, 'worker.ts')], {
        cwd: PROJECT_ROOT,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = c;
      c.stdout?.on('data', (d: Buffer) => (output += d.toString('utf8')));
      c.stderr?.on('data', (d: Buffer) => (output += d.toString('utf8')));
      c.once('exit', () => {
        if (!expectedExit.has(c)) unexpected++;
      });
      const killOnExit = () => c.kill('SIGKILL');
      process.once('exit', killOnExit);
      c.once('exit', () => process.off('exit', killOnExit));
      await polling(c.pid!, Date.now() + 60_000);
    },
    async kill() {
      const c = child;
      if (!c) return;
      expectedExit.add(c);
      c.kill('SIGKILL');
      await exited(c);
    },
    async stop() {
      const c = child;
      if (!c) return;
      expectedExit.add(c);
      await stopChild(c, 25_000);
    },
    running: () => Boolean(child && child.exitCode === null && child.signalCode === null),
    output: () => output,
    unexpectedExits: () => unexpected,
  };
}
