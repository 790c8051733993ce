// Starts the real services once for the whole integration run: embedded Postgres in a fresh
// temporary folder and a Temporal CLI dev server (in memory), both on free ports. Test files
// read their addresses from the environment that Jest's workers inherit.
import { chmod, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { enableAppLogin } from '../../lib/db/app-login-role';
import { migrate } from '../../lib/db/migrator';
import { freePort, startEmbeddedPostgres } from '../../scripts/dev-stack/postgres';
import { NO_TEMPORAL_CLI_MESSAGE, resolveTemporalCli, startTemporalDevServer } from '../../scripts/dev-stack/temporal';

export default async function globalSetup(): Promise<void> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'fleetprompt-test-'));
  await chmod(root, 0o755); // the postgres user must be able to reach its data folder
  const pg = await startEmbeddedPostgres({ dataDir: path.join(root, 'postgres', 'data'), port: await freePort() });
  await migrate(pg.url);
  const appUrl = await enableAppLogin(pg.url, 'app-test-password');

  const cliPath = resolveTemporalCli(process.env.TEMPORAL_CLI_PATH);
  if (!cliPath) throw new Error(NO_TEMPORAL_CLI_MESSAGE);
  const temporal = await startTemporalDevServer({ cliPath, port: await freePort() });

  process.env.TEST_ROOT = root;
  process.env.MIGRATION_DATABASE_URL = pg.url;
  process.env.DATABASE_URL = appUrl;
  process.env.TEMPORAL_ADDRESS = temporal.address;
  process.env.TEMPORAL_CLI_PATH = cliPath;
  (globalThis as Record<string, unknown>).__FLEETPROMPT_STACK__ = { pg, temporal };
}
