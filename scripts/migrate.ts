// `npm run db:migrate`: applies prisma/migrations to DATABASE_URL (as prisma migrate deploy would).
import { loadConfig } from '../lib/config';
import { migrate } from '../lib/db/migrator';

async function main() {
  const config = loadConfig();
  const url = config.MIGRATION_DATABASE_URL ?? config.DATABASE_URL;
  if (!url) throw new Error('Set MIGRATION_DATABASE_URL (or DATABASE_URL) to the database to migrate (npm start migrates the embedded one by itself).');
  const result = await migrate(url);
  console.log(
    `applied ${result.applied.length} migration(s)${result.applied.length ? `: ${result.applied.join(', ')}` : ''}; ${result.alreadyApplied.length} already applied`,
  );
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
