// `npm run db:app-login`: lets fleetprompt_app log in with APP_DB_PASSWORD (for deployments
// where DATABASE_URL connects as that role). Needs the schema owner's MIGRATION_DATABASE_URL.
import { loadConfig } from '../lib/config';
import { enableAppLogin } from '../lib/db/app-login-role';

async function main() {
  const config = loadConfig();
  if (!config.MIGRATION_DATABASE_URL || !config.APP_DB_PASSWORD) throw new Error('Set MIGRATION_DATABASE_URL and APP_DB_PASSWORD.');
  await enableAppLogin(config.MIGRATION_DATABASE_URL, config.APP_DB_PASSWORD);
  console.log('fleetprompt_app can log in');
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
