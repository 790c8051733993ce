// `npm run db:seed` / `prisma db seed`: the package registry and the demo tenant.
import { loadConfig } from '../lib/config';
import { createDb } from '../lib/db/client';
import { seedDemoTenant } from '../lib/seed/seed-demo-tenant';
import { seedRegistry } from '../lib/seed/seed-registry';
import { defaultPackageCatalog } from '../packages/registry';

async function main() {
  const config = loadConfig();
  if (!config.DATABASE_URL) throw new Error('Set DATABASE_URL (npm start seeds the embedded database by itself).');
  const { db, close } = createDb({ url: config.DATABASE_URL });
  try {
    const packages = await seedRegistry(db, defaultPackageCatalog());
    const demo = await seedDemoTenant(db);
    console.log(`seeded ${packages} package(s); demo login ${demo.email}${demo.password ? ` / ${demo.password}` : ' (existing password)'}`);
  } finally {
    await close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
