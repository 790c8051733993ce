// The compiled production build runs with plain `node`: `npm run build`'s script builds into a
// scratch folder, then the API and the worker start from it against the test Postgres and
// Temporal. The API must be ready (its migrations folder and UI came along), and the worker must
// load the prebuilt workflow bundle by path and poll its task queue.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, renameSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../../../scripts/dev-stack/postgres';
import { generateKeyringEntry } from '../../../lib/crypto/keyring';
import { stopChild } from '../../../scripts/dev-stack/temporal';
import { waitFor } from '../../helpers/db';

const ROOT = path.resolve(__dirname, '../../..');
// Inside the repository, so that the compiled code finds node_modules as dist/ does.
const OUT = path.join(ROOT, 'test-artifacts', 'production-build', 'dist');

function startNode(entry: string, env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string } {
  let output = '';
  const child = spawn(process.execPath, [path.join(OUT, entry)], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  return { child, output: () => output };
}

describe('production build (dist/, plain node)', () => {
  const children: ChildProcess[] = [];
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build.js'), '--out-dir', OUT], { cwd: ROOT, stdio: 'pipe' });
    env = {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      DATABASE_URL: process.env.DATABASE_URL,
      MIGRATION_DATABASE_URL: process.env.MIGRATION_DATABASE_URL,
      TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS,
      TEMPORAL_TASK_QUEUE: `prod-build-${process.pid}`,
      ENCRYPTION_KEYS: generateKeyringEntry('k1'),
      HOST: '127.0.0.1',
      PORT: String(await freePort()),
      WORKER_METRICS_PORT: '0',
      WORKER_SDK_METRICS_PORT: '0',
    };
  }, 240_000);

  afterAll(async () => {
    await Promise.all(children.map((c) => stopChild(c, 15_000)));
  });

  it('compiles the entrypoints, copies what they read at run time and writes the workflow bundle', () => {
    for (const file of [
      'api/server.js',
      'worker.js',
      'scripts/start-prod.js',
      'scripts/migrate.js',
      'prisma/seed.js',
      'workflow-bundle.js',
      'ui/pages/login.html',
    ]) {
      expect({ file, exists: existsSync(path.join(OUT, file)) }).toEqual({ file, exists: true });
    }
    expect(existsSync(path.join(OUT, 'prisma', 'migrations'))).toBe(true);
    // Nothing of the test tree or the development launcher is shipped.
    for (const file of ['test', 'bench', 'dev', 'scripts/start.js', 'packages/mattermost_failure_alerts/test'])
      expect({ file, exists: existsSync(path.join(OUT, file)) }).toEqual({ file, exists: false });
  });

  it('the compiled API starts and is ready: database, migrations (read from dist/) and Temporal', async () => {
    const api = startNode('api/server.js', env);
    children.push(api.child);
    const url = `http://127.0.0.1:${env.PORT}`;
    const ready = await waitFor(
      async () => {
        if (api.child.exitCode !== null) throw new Error(`the compiled API exited: ${api.output()}`);
        const res = await fetch(`${url}/readyz`).catch(() => null);
        return res?.ok ? res : null;
      },
      30_000,
      250,
    );
    expect(ready.status).toBe(200);
    const page = await fetch(`${url}/login`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html');
  }, 60_000);

  it('the compiled worker loads the prebuilt bundle by path, polls its task queue and stops cleanly on SIGTERM', async () => {
    const worker = startNode('worker.js', env);
    children.push(worker.child);
    await waitFor(
      async () => {
        if (worker.child.exitCode !== null) throw new Error(`the compiled worker exited: ${worker.output()}`);
        return worker.output().includes('"msg":"worker running"');
      },
      45_000,
      250,
    );
    const exited = new Promise<number | null>((resolve) => worker.child.once('exit', (code) => resolve(code)));
    worker.child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(worker.output()).toContain('"msg":"worker stopped"');
  }, 90_000);

  it('without the prebuilt bundle the compiled worker refuses to start (it never bundles in production)', async () => {
    const bundle = path.join(OUT, 'workflow-bundle.js');
    renameSync(bundle, `${bundle}.aside`);
    try {
      const worker = startNode('worker.js', env);
      children.push(worker.child);
      const code = await new Promise<number | null>((resolve) => worker.child.once('exit', (c) => resolve(c)));
      expect(code).toBe(1);
      expect(worker.output()).toContain('workflow-bundle.js is missing: run `npm run build`');
    } finally {
      renameSync(`${bundle}.aside`, bundle);
    }
  }, 60_000);
});
