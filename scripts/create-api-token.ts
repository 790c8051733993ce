// `npm run token:create -- <tenant-slug> [owner|admin|member] [name]`: prints a new API token once.
import { createApiToken } from '../lib/auth/api-tokens';
import { loadConfig } from '../lib/config';
import { createDb } from '../lib/db/client';
import { withTenant } from '../lib/db/with-tenant';
import { enableAppLogin } from '../lib/db/app-login-role';

async function main() {
  const [slug, role = 'owner', name = 'cli'] = process.argv.slice(2);
  if (!slug || !['owner', 'admin', 'member'].includes(role)) throw new Error('usage: npm run token:create -- <tenant-slug> [owner|admin|member] [name]');
  const config = loadConfig();
  // With the embedded stack running, npm start's database is reachable on EMBEDDED_PG_PORT.
  const url =
    config.DATABASE_URL ?? (await enableAppLogin(`postgresql://postgres:postgres@127.0.0.1:${config.EMBEDDED_PG_PORT}/fleetprompt`, 'fleetprompt-dev'));
  const { db, close } = createDb({ url, max: 1 });
  try {
    const tenant = await db.tenant.findUnique({ where: { slug } });
    if (!tenant) throw new Error(`no tenant "${slug}"`);
    const { token } = await withTenant(db, tenant.id, (tx) => createApiToken(tx, { tenantId: tenant.id, name, role: role as 'owner', createdByUserId: null }));
    console.log(token);
  } finally {
    await close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
