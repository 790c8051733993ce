// `npm start`: the whole product on one machine. Embedded Postgres (unless DATABASE_URL),
// migrations, seed, the Temporal dev server with its Web UI (unless TEMPORAL_ADDRESS), the
// worker and the API. Ctrl-C stops every child; a second start reuses the data.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, loadConfig } from '../lib/config';
import { enableAppLogin } from '../lib/db/app-login-role';
import { createDb } from '../lib/db/client';
import { migrate } from '../lib/db/migrator';
import { seedDemoTenant } from '../lib/seed/seed-demo-tenant';
import { seedRegistry } from '../lib/seed/seed-registry';
import { defaultPackageCatalog } from '../packages/registry';
import { loadOrCreateDevKeyring } from '../lib/crypto/keyring';
import { startMattermostSink } from '../dev/mattermost/run-mattermost-sink';
import { spawnTsEntrypoint } from './dev-stack/child-process';
import { supervise, type Supervised } from './dev-stack/supervise';
import { DevStackError, startEmbeddedPostgres } from './dev-stack/postgres';
import {
  FLEET_TEMPORAL_DYNAMIC_CONFIG,
  NO_TEMPORAL_CLI_MESSAGE,
  PROJECT_ROOT,
  resolveTemporalCli,
  startTemporalDevServer,
  stopChild,
} from './dev-stack/temporal';

// Local-only (the embedded server listens on 127.0.0.1); production sets DATABASE_URL.
const EMBEDDED_APP_PASSWORD = 'fleetprompt-dev';

interface Stoppable {
  stop(): Promise<void>;
}

async function waitForReady(url: string, children: Supervised[], timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    // A child that crashes during start-up is a broken setup, not a crash to ride out.
    if (children.some((c) => c.restarts() > 0)) throw new DevStackError('A child process exited during start-up (see its output above).');
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new DevStackError(`The API at ${url} did not become ready within ${timeoutMs / 1000}s.`);
}

async function main() {
  const startedAt = Date.now();
  const config = loadConfig();
  const dataDir = path.resolve(PROJECT_ROOT, config.DATA_DIR);
  await mkdir(dataDir, { recursive: true });
  const services: Stoppable[] = [];
  const children: Supervised[] = [];
  let stopping = false;

  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping FleetPrompt…');
    await Promise.all(children.map((c) => c.stop()));
    for (const s of services.reverse()) await s.stop().catch(() => undefined);
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  try {
    // 1. Postgres
    let migrationUrl = config.MIGRATION_DATABASE_URL ?? config.DATABASE_URL;
    let appUrl = config.DATABASE_URL;
    if (!appUrl) {
      const pg = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'postgres', 'data'), port: config.EMBEDDED_PG_PORT });
      services.push(pg);
      migrationUrl = pg.url;
      await migrate(migrationUrl);
      appUrl = await enableAppLogin(migrationUrl, EMBEDDED_APP_PASSWORD);
    } else {
      await migrate(migrationUrl!);
    }

    // 2. Seed: the registry and the demo tenant (its password is kept in the data folder).
    const { db, close } = createDb({ url: appUrl, max: 2 });
    await seedRegistry(db, defaultPackageCatalog());
    const demo = await seedDemoTenant(db);
    await close();
    const loginFile = path.join(dataDir, 'demo-login.txt');
    if (demo.password) await writeFile(loginFile, `${demo.email}\n${demo.password}\n`, { mode: 0o600 });
    const [, savedPassword] = existsSync(loginFile) ? readFileSync(loginFile, 'utf8').split('\n') : [];

    // 3. Temporal
    let temporalAddress = config.TEMPORAL_ADDRESS;
    let temporalUi = config.TEMPORAL_UI_URL;
    if (!temporalAddress) {
      const cliPath = resolveTemporalCli(config.TEMPORAL_CLI_PATH);
      if (!cliPath) throw new DevStackError(NO_TEMPORAL_CLI_MESSAGE);
      const temporal = await startTemporalDevServer({
        cliPath,
        port: config.TEMPORAL_DEV_PORT,
        uiPort: config.TEMPORAL_DEV_UI_PORT,
        dbFile: path.join(dataDir, 'temporal', 'dev.sqlite'),
        namespace: config.TEMPORAL_NAMESPACE,
        dynamicConfig: FLEET_TEMPORAL_DYNAMIC_CONFIG,
      });
      services.push(temporal);
      temporalAddress = temporal.address;
      temporalUi ??= temporal.uiUrl;
    }

    // 4. Credential keys (a development key is created in the data folder on first start) and
    //    the local Mattermost-compatible sink, so a digest can arrive without a Mattermost server.
    const encryptionKeys = config.ENCRYPTION_KEYS ?? loadOrCreateDevKeyring(dataDir);
    let sinkHookUrl: string | undefined;
    const allowedHosts = [...config.OUTBOUND_ALLOWED_HOSTS];
    if (config.MATTERMOST_SINK_PORT > 0) {
      const sink = await startMattermostSink({ port: config.MATTERMOST_SINK_PORT });
      services.push(sink);
      sinkHookUrl = sink.hookUrl;
      allowedHosts.push(`127.0.0.1:${config.MATTERMOST_SINK_PORT}`);
    }

    // 5. Worker and API
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ENCRYPTION_KEYS: encryptionKeys,
      OUTBOUND_ALLOWED_HOSTS: allowedHosts.join(','),
      DATABASE_URL: appUrl,
      MIGRATION_DATABASE_URL: migrationUrl,
      TEMPORAL_ADDRESS: temporalAddress,
      ...(temporalUi ? { TEMPORAL_UI_URL: temporalUi } : {}),
    };
    // Supervised: a crashed worker or API is started again (with backoff), not the end of the stack.
    children.push(supervise('worker', () => spawnTsEntrypoint('worker', 'worker.ts', env), { stopChild }));
    children.push(supervise('api', () => spawnTsEntrypoint('api', 'api/server.ts', env), { stopChild }));
    const appUrlPublic = config.PUBLIC_URL ?? `http://${config.HOST}:${config.PORT}`;
    await waitForReady(appUrlPublic, children);

    console.log(
      [
        '',
        `FleetPrompt is running (ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s).`,
        `  App:              ${appUrlPublic}`,
        `  Temporal Web UI:  ${temporalUi ?? '(set TEMPORAL_UI_URL)'}`,
        `  Demo login:       ${demo.email} / ${demo.password ?? savedPassword ?? '(see the first start’s output)'}`,
        ...(sinkHookUrl ? [`  Local Mattermost: ${sinkHookUrl}  (paste as the webhook URL; posts are printed here)`] : []),
        `  Data folder:      ${dataDir}`,
        'Press Ctrl-C to stop.',
        '',
      ].join('\n'),
    );
  } catch (err) {
    const message = err instanceof ConfigError || err instanceof DevStackError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err);
    console.error(`\nFleetPrompt could not start:\n${message}\n`);
    await stopAll(1);
  }
}

void main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
