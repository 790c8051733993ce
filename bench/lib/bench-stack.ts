// A private FleetPrompt stack for one benchmark run, everything on 127.0.0.1 and free ports:
// embedded Postgres in a temporary folder (migrated, the app role able to log in), a Temporal
// CLI dev server in memory, the Mattermost-compatible fake, a worker (a child process, as in
// production, or in this process), and the real API app (createApp) listening on a port so
// every request is real HTTP. close() stops everything and deletes the folder (BENCH_KEEP=1
// keeps it).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client as PgClient } from 'pg';
import { NativeConnection, Runtime, DefaultLogger, type Worker } from '@temporalio/worker';
import { createApp } from '../../api/app';
import type { AppDeps } from '../../api/app-deps';
import { connectTemporal, runStarter, startDirectiveWorkflow, type TemporalHandle } from '../../client';
import { parseKeyring } from '../../lib/crypto/keyring';
import { enableAppLogin } from '../../lib/db/app-login-role';
import { createDb, type DbHandle } from '../../lib/db/client';
import { migrate, pendingMigrations } from '../../lib/db/migrator';
import { createLogger } from '../../lib/log/logger';
import { createMattermostClient } from '../../lib/mattermost';
import { DIGEST_PACKAGE_SLUG } from '../../packages/mattermost_daily_ops_digest/definition';
import { scheduleControl } from '../../lib/installations/schedule-control';
import { defaultPackageCatalog } from '../../packages/registry';
import { lazyTemporal } from '../../lib/temporal/lazy-temporal';
import { freePort, startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../../scripts/dev-stack/postgres';
import {
  FLEET_TEMPORAL_DYNAMIC_CONFIG,
  NO_TEMPORAL_CLI_MESSAGE,
  PROJECT_ROOT,
  resolveTemporalCli,
  startTemporalDevServer,
  stopChild,
  type TemporalDevServerHandle,
} from '../../scripts/dev-stack/temporal';
import { startFakeMattermost, type FakeMattermost } from '../../test/fakes/mattermost-server';
import { createTestTenant, type TestTenant } from '../../test/helpers/db';
import { buildWorker, loadWorkflowBundle } from '../../worker';
import { intSetting, progress, sleep } from './measure';

export type BenchTenant = TestTenant;

export interface BenchStackOptions {
  /** 'child' (default): `node --require tsx/cjs worker.ts`, its RSS readable; 'none': no worker. */
  worker?: 'child' | 'in-process' | 'none';
  /** Extra environment for the child worker. */
  workerEnv?: Record<string, string>;
  /** AppDeps.runNowLimitPerHour (the product default is 3). */
  runNowLimitPerHour?: number;
  /** Without Temporal (the aggregation benchmark needs only the database). */
  temporal?: boolean;
  /** Worker processes on the one task queue (default BENCH_WORKERS, else 1). */
  workers?: number;
  /**
   * API processes (api/server.ts, each on its own port, requests spread round-robin) in front of
   * the one Postgres and Temporal (default BENCH_API_PROCESSES, else 0: the API runs in this
   * process, as before).
   */
  apiProcesses?: number;
}

/**
 * How the child processes run (BENCH_WORKER_MODE): 'tsx' (default: TypeScript through tsx, the
 * worker bundling its workflows at start, as in development), 'prebuilt' (tsx with NODE_ENV=
 * production: the worker loads dist/workflow-bundle.js) or 'compiled' (node on dist/, as
 * `npm run start:prod`). The last two need `npm run build` first.
 */
type ChildMode = 'tsx' | 'prebuilt' | 'compiled';
function childMode(): ChildMode {
  const mode = process.env.BENCH_WORKER_MODE ?? 'tsx';
  if (mode !== 'tsx' && mode !== 'prebuilt' && mode !== 'compiled') throw new Error(`bench: BENCH_WORKER_MODE=${mode}: use tsx, prebuilt or compiled`);
  if (mode !== 'tsx' && !existsSync(path.join(PROJECT_ROOT, 'dist', 'workflow-bundle.js')))
    throw new Error(`bench: BENCH_WORKER_MODE=${mode} needs dist/: run \`npm run build\` first`);
  return mode;
}

export interface HttpResult {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- benchmarks read whatever JSON the API answers
  body: any;
  ms: number;
}

export interface BenchStack {
  root: string;
  migrationUrl: string;
  appDbUrl: string;
  /** Superuser connection: bulk loads and counts across tenants. */
  admin: PgClient;
  /** The API's database handle (app role, subject to RLS; pool as api/server.ts builds it). */
  db: DbHandle;
  temporal?: TemporalHandle;
  taskQueue: string;
  fake: FakeMattermost;
  apiUrl: string;
  keyringSpec: string;
  /** The first worker process (fanout reads its memory). */
  workerPid?: number;
  workerPids: number[];
  /** API child processes (empty: the API runs in this process). */
  apiPids: number[];
  apiUrls: string[];
  /**
   * CPU ms used so far by each part of the stack (Postgres: the postmaster and its backends;
   * worker and api: all their processes; bench: this process, which is also the API without API
   * child processes).
   */
  cpuMs(): { worker: number; api: number; temporal: number; postgres: number; bench: number };
  http(method: string, urlPath: string, token?: string, body?: unknown): Promise<HttpResult>;
  close(): Promise<void>;
}

const ALLOWED_HOSTS = ['127.0.0.1', 'localhost'];
let runtimeInstalled = false;

function installQuietRuntime(): void {
  if (runtimeInstalled) return;
  Runtime.install({ shutdownSignals: [], logger: new DefaultLogger('ERROR') });
  runtimeInstalled = true;
}

async function waitForPollers(temporal: TemporalHandle, taskQueue: string, children: ChildProcess[], timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const child of children) if (child.exitCode !== null) throw new Error(`bench: a worker exited during start-up (code ${child.exitCode})`);
    const res = await temporal.connection.workflowService.describeTaskQueue({
      namespace: temporal.namespace,
      taskQueue: { name: taskQueue, kind: 1 },
      taskQueueType: 1,
    });
    if ((res.pollers?.length ?? 0) >= Math.max(1, children.length)) return;
    if (Date.now() > deadline) throw new Error('bench: the worker did not poll its task queue in time');
    await sleep(200);
  }
}

/** worker.ts or api/server.ts as a child process, in the BENCH_WORKER_MODE way. */
function spawnChild(what: 'worker' | 'api', label: string, env: NodeJS.ProcessEnv): ChildProcess {
  // BENCH_WORKER_NODE_ARGS / BENCH_API_NODE_ARGS: extra node flags, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
  const nodeArgs = (process.env[what === 'worker' ? 'BENCH_WORKER_NODE_ARGS' : 'BENCH_API_NODE_ARGS'] ?? '').split(' ').filter(Boolean);
  const mode = childMode();
  const script = what === 'worker' ? 'worker' : path.join('api', 'server');
  const args = mode === 'compiled' ? [path.join(PROJECT_ROOT, 'dist', `${script}.js`)] : ['--require', 'tsx/cjs', path.join(PROJECT_ROOT, `${script}.ts`)];
  const child = spawn(process.execPath, [...nodeArgs, ...args], {
    cwd: PROJECT_ROOT,
    env: { ...env, NODE_ENV: mode === 'tsx' ? 'development' : 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const forward = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) process.stderr.write(`[${label}] ${line}\n`);
  };
  child.stdout?.on('data', forward);
  child.stderr?.on('data', forward);
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  return child;
}

export async function openBenchStack(options: BenchStackOptions = {}): Promise<BenchStack> {
  const started = Date.now();
  const root = await mkdtemp(path.join(os.tmpdir(), 'fleetprompt-bench-'));
  await chmod(root, 0o755); // the postgres user must reach its data folder
  const stops: (() => Promise<unknown>)[] = [];
  const close = async () => {
    for (const stop of stops.reverse()) await stop().catch((err) => progress(`close: ${err instanceof Error ? err.message : String(err)}`));
    if (process.env.BENCH_KEEP !== '1') await rm(root, { recursive: true, force: true }).catch(() => undefined);
    else progress(`kept ${root}`);
  };
  try {
    const pg: EmbeddedPostgresHandle = await startEmbeddedPostgres({ dataDir: path.join(root, 'postgres', 'data'), port: await freePort() });
    stops.push(() => pg.stop());
    await migrate(pg.url);
    const appDbUrl = await enableAppLogin(pg.url, `bench-${randomBytes(6).toString('hex')}`);
    const admin = new PgClient({ connectionString: pg.url });
    await admin.connect();
    stops.push(() => admin.end());

    const fake = await startFakeMattermost();
    stops.push(() => fake.close());

    const taskQueue = `bench-${randomUUID().slice(0, 8)}`;
    let temporal: TemporalHandle | undefined;
    let temporalServer: TemporalDevServerHandle | undefined;
    if (options.temporal !== false) {
      const cliPath = resolveTemporalCli(process.env.TEMPORAL_CLI_PATH);
      if (!cliPath) throw new Error(NO_TEMPORAL_CLI_MESSAGE);
      // The server runs with the settings operators are told to use (FLEET_TEMPORAL_DYNAMIC_CONFIG:
      // eager activity dispatch, the Schedules' start rate above its default 30/s).
      // BENCH_TEMPORAL_DEFAULTS=1: the server's own defaults instead (how figures before
      // 2026-12-01 15:00 were measured); with it, BENCH_TEMPORAL_EAGER=1 turns eager dispatch alone on.
      const serverDefaults = ['1', 'true'].includes(process.env.BENCH_TEMPORAL_DEFAULTS ?? '');
      const eager = ['1', 'true'].includes(process.env.BENCH_TEMPORAL_EAGER ?? '');
      const dynamicConfig = serverDefaults ? (eager ? { 'system.enableActivityEagerExecution': true } : {}) : FLEET_TEMPORAL_DYNAMIC_CONFIG;
      temporalServer = await startTemporalDevServer({ cliPath, port: await freePort(), dynamicConfig });
      progress(`Temporal dev server settings: ${JSON.stringify(dynamicConfig)}`);
      stops.push(() => temporalServer!.stop());
      temporal = await connectTemporal({
        TEMPORAL_ADDRESS: temporalServer.address,
        TEMPORAL_NAMESPACE: 'default',
        TEMPORAL_TASK_QUEUE: taskQueue,
        TEMPORAL_TLS: false,
        TEMPORAL_API_KEY: undefined,
      });
      stops.push(() => temporal!.close());
    }

    const keyringSpec = `bench1:${randomBytes(32).toString('base64')}`;
    const keyring = parseKeyring(keyringSpec);
    const mattermost = createMattermostClient({ allowedHosts: ALLOWED_HOSTS, timeoutMs: 10_000 });
    const logger = createLogger({ level: process.env.BENCH_LOG_LEVEL ?? 'silent' });

    // The API, built as api/server.ts builds it (same pool size, lazy Temporal client).
    const db = createDb({ url: appDbUrl });
    stops.push(() => db.close());
    const apiTemporal = temporalServer
      ? lazyTemporal(() =>
          connectTemporal(
            {
              TEMPORAL_ADDRESS: temporalServer.address,
              TEMPORAL_NAMESPACE: 'default',
              TEMPORAL_TASK_QUEUE: taskQueue,
              TEMPORAL_TLS: false,
              TEMPORAL_API_KEY: undefined,
            },
            { connectTimeoutMs: 3_000 },
          ),
        )
      : undefined;
    if (apiTemporal) stops.push(() => apiTemporal.close());
    const getTemporal = async () => {
      if (!apiTemporal) throw new Error('14 UNAVAILABLE: no Temporal in this benchmark');
      return apiTemporal.get();
    };
    const deps: AppDeps = {
      db: db.db,
      logger,
      starter: { start: async (d) => startDirectiveWorkflow(await getTemporal(), d) },
      namespace: 'default',
      temporalUiUrl: temporalServer?.uiUrl,
      pendingMigrations: () => pendingMigrations(pg.url),
      temporalReachable: async () => (apiTemporal ? apiTemporal.reachable() : false),
      keyring,
      mattermost,
      allowedHosts: ALLOWED_HOSTS,
      runStarter: runStarter(getTemporal),
      runNowLimitPerHour: options.runNowLimitPerHour ?? 3,
      schedules: scheduleControl(db.db, getTemporal, defaultPackageCatalog()),
    };
    const server: Server = createApp(deps).listen(0, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    stops.push(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    );
    const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const workerPids: number[] = [];
    const mode = options.worker ?? 'child';
    const workerCount = options.workers ?? intSetting('workers', 1, 1);
    if (mode !== 'none') {
      if (!temporal || !temporalServer) throw new Error('bench: a worker needs Temporal');
      if (mode === 'child') {
        const children: ChildProcess[] = [];
        for (let i = 0; i < workerCount; i++) {
          const child = spawnChild('worker', workerCount > 1 ? `worker ${i + 1}` : 'worker', {
            ...process.env,
            LOG_LEVEL: process.env.BENCH_WORKER_LOG_LEVEL ?? 'warn',
            DATABASE_URL: appDbUrl,
            TEMPORAL_ADDRESS: temporalServer.address,
            TEMPORAL_NAMESPACE: 'default',
            TEMPORAL_TASK_QUEUE: taskQueue,
            ENCRYPTION_KEYS: keyringSpec,
            OUTBOUND_ALLOWED_HOSTS: ALLOWED_HOSTS.join(','),
            PUBLIC_URL: apiUrl,
            // Metrics on, as in production, on ports of their own (the defaults may be taken).
            WORKER_METRICS_PORT: String(await freePort()),
            WORKER_SDK_METRICS_PORT: String(await freePort()),
            ...options.workerEnv,
          });
          stops.push(() => stopChild(child, 25_000));
          workerPids.push(child.pid!);
          children.push(child);
        }
        await waitForPollers(temporal, taskQueue, children);
      } else {
        installQuietRuntime();
        const connection = await NativeConnection.connect({ address: temporalServer.address });
        stops.push(() => connection.close());
        const workerDb = createDb({ url: appDbUrl });
        stops.push(() => workerDb.close());
        const worker: Worker = await buildWorker({
          connection,
          namespace: 'default',
          taskQueue,
          workflowBundle: await loadWorkflowBundle(),
          deps: {
            db: workerDb.db,
            logger,
            keyring,
            mattermost,
            schedules: scheduleControl(workerDb.db, async () => temporal, defaultPackageCatalog()),
            publicUrl: apiUrl,
          },
        });
        const running = worker.run();
        stops.push(async () => {
          worker.shutdown();
          await running;
        });
        await waitForPollers(temporal, taskQueue, []);
      }
    }

    // API child processes in front of the same Postgres and Temporal, as a deployment scales the API.
    const apiPids: number[] = [];
    const apiUrls: string[] = [];
    const apiCount = options.apiProcesses ?? intSetting('api_processes', 0, 0);
    for (let i = 0; i < apiCount; i++) {
      if (!temporalServer) throw new Error('bench: API processes need Temporal');
      const port = await freePort();
      const child = spawnChild('api', `api ${i + 1}`, {
        ...process.env,
        LOG_LEVEL: process.env.BENCH_API_LOG_LEVEL ?? 'warn',
        HOST: '127.0.0.1',
        PORT: String(port),
        DATABASE_URL: appDbUrl,
        MIGRATION_DATABASE_URL: pg.url,
        TEMPORAL_ADDRESS: temporalServer.address,
        TEMPORAL_NAMESPACE: 'default',
        TEMPORAL_TASK_QUEUE: taskQueue,
        ENCRYPTION_KEYS: keyringSpec,
        OUTBOUND_ALLOWED_HOSTS: ALLOWED_HOSTS.join(','),
        RUN_NOW_LIMIT_PER_HOUR: String(options.runNowLimitPerHour ?? 3),
      });
      stops.push(() => stopChild(child, 15_000));
      apiPids.push(child.pid!);
      const url = `http://127.0.0.1:${port}`;
      await waitUntil(
        async () => {
          if (child.exitCode !== null) throw new Error(`bench: API process ${i + 1} exited during start-up (code ${child.exitCode})`);
          return (await fetch(`${url}/healthz`).catch(() => null))?.ok;
        },
        60_000,
        `API process ${i + 1} listening`,
        200,
      );
      apiUrls.push(url);
    }
    let nextApi = 0;

    const http = async (method: string, urlPath: string, token?: string, body?: unknown): Promise<HttpResult> => {
      const t0 = process.hrtime.bigint();
      const base = apiUrls.length > 0 ? apiUrls[nextApi++ % apiUrls.length] : apiUrl;
      const res = await fetch(`${base}${urlPath}`, {
        method,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        /* not JSON */
      }
      return { status: res.status, body: parsed, ms };
    };

    // Ctrl-C / SIGTERM: stop Postgres, Temporal and the worker, delete the folder, then exit.
    const onSignal = () => void close().finally(() => process.exit(130));
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);

    progress(
      `stack ready in ${((Date.now() - started) / 1000).toFixed(1)} s (api ${apiUrls.length ? `${apiUrls.length} processes ${apiUrls.join(' ')}` : apiUrl}, worker ${mode}${workerPids.length ? ` × ${workerPids.length}, pids ${workerPids.join(' ')}` : ''}, ${childMode()})`,
    );
    const postmasterPid = Number(readFileSync(path.join(root, 'postgres', 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
    const cpuMs = () => {
      const safe = (pid: number | undefined) => {
        try {
          return pid ? processCpuMs(pid) : 0;
        } catch {
          return 0;
        }
      };
      const children = (parent: number) =>
        readdirSync('/proc')
          .filter((d) => /^\d+$/.test(d))
          .filter((d) => {
            try {
              return Number(/^PPid:\s+(\d+)/m.exec(readFileSync(`/proc/${d}/status`, 'utf8'))?.[1]) === parent;
            } catch {
              return false;
            }
          })
          .map(Number);
      return {
        worker: workerPids.reduce((sum, pid) => sum + safe(pid), 0),
        api: apiPids.reduce((sum, pid) => sum + safe(pid), 0),
        temporal: safe(temporalServer?.process.pid),
        postgres: safe(postmasterPid) + children(postmasterPid).reduce((sum, pid) => sum + safe(pid), 0),
        bench: safe(process.pid),
      };
    };
    return {
      root,
      migrationUrl: pg.url,
      appDbUrl,
      admin,
      db,
      temporal,
      taskQueue,
      fake,
      apiUrl,
      keyringSpec,
      workerPid: workerPids[0],
      workerPids,
      apiPids,
      apiUrls,
      cpuMs,
      http,
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/** A tenant with an owner and owner/admin/member API tokens (the test helper's). */
export async function createBenchTenant(stack: BenchStack, prefix = 'b'): Promise<BenchTenant> {
  return createTestTenant(stack.db, prefix);
}

export async function waitUntil<T>(fn: () => Promise<T | undefined | null | false>, timeoutMs: number, what: string, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`bench: ${what} did not happen within ${timeoutMs / 1000} s`);
    await sleep(intervalMs);
  }
}

/**
 * Installs the digest through the API, waits for `installed`, connects a fresh webhook of the
 * fake (dry run, so nothing is posted) and optionally patches the config. Returns the ids.
 */
export async function installAndConnect(
  stack: BenchStack,
  tenant: BenchTenant,
  options: { config?: Record<string, unknown>; timeoutMs?: number } = {},
): Promise<{ installationId: string; hookUrl: string; scheduleId: string | null }> {
  const token = tenant.tokens.owner;
  const base = `/api/tenants/${tenant.slug}/installations`;
  const res = await stack.http('POST', base, token, { package_slug: DIGEST_PACKAGE_SLUG, ...(options.config ? { config: options.config } : {}) });
  if (res.status !== 202) throw new Error(`bench: install answered ${res.status} ${JSON.stringify(res.body)}`);
  const installationId = res.body.installation.id as string;
  await waitUntil(
    async () => {
      const r = await stack.admin.query<{ status: string }>('select status from installations where id = $1', [installationId]);
      const status = r.rows[0]?.status;
      if (status === 'failed') throw new Error(`bench: install of ${tenant.slug} failed`);
      return status === 'installed';
    },
    options.timeoutMs ?? 120_000,
    `install of ${tenant.slug}`,
    50,
  );
  const hookUrl = stack.fake.hookUrl(stack.fake.createHook({ channel: 'town-square' }));
  const conn = await stack.http('PUT', `${base}/${installationId}/credential`, token, { kind: 'webhook', webhook_url: hookUrl, verify: 'dry_run' });
  if (conn.status !== 200) throw new Error(`bench: connect answered ${conn.status} ${JSON.stringify(conn.body)}`);
  return { installationId, hookUrl, scheduleId: conn.body.schedule?.schedule_id ?? conn.body.schedule?.scheduleId ?? null };
}

/** Resident memory of a process from /proc (kB → MB). VmHWM is the peak since start or the last reset. */
export function processMemoryMb(pid: number): { rssMb: number; hwmMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)\\s+kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: Math.round(kb('VmRSS') / 102.4) / 10, hwmMb: Math.round(kb('VmHWM') / 102.4) / 10 };
}

/** CPU time (user + system) a process has used so far, in ms, from /proc/<pid>/stat. */
export function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the command: state is field 3, so utime (14) and stime (15) are at 11 and 12 here.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // USER_HZ = 100 on Linux
}

/** Resets VmHWM to the current RSS (Linux ≥ 4.0: write 5 to clear_refs). False when not allowed. */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}
