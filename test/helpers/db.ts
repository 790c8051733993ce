// Database helpers for integration tests: the app's client (RLS applies), a superuser client
// for assertions that must see every tenant, and tenants with tokens of each role.
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createApiToken } from '../../lib/auth/api-tokens';
import { createDb, type DbHandle } from '../../lib/db/client';
import type { Role } from '../../lib/db/generated/client';
import { withTenant } from '../../lib/db/with-tenant';
import { seedRegistry } from '../../lib/seed/seed-registry';
import { defaultPackageCatalog } from '../../packages/registry';

export function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: run integration tests through jest (global setup starts Postgres).');
  return url;
}

export function testDb(): DbHandle {
  return createDb({ url: databaseUrl(), max: 20 });
}

export function migrationDatabaseUrl(): string {
  const url = process.env.MIGRATION_DATABASE_URL;
  if (!url) throw new Error('MIGRATION_DATABASE_URL is not set: run integration tests through jest.');
  return url;
}

/** A superuser connection: sees every tenant's rows. For setup and assertions only. */
export async function adminClient(url = migrationDatabaseUrl()): Promise<Client> {
  const client = new Client({ connectionString: url });
  await client.connect();
  return client;
}

export interface TestTenant {
  id: string;
  slug: string;
  userId: string;
  tokens: Record<Role, string>;
}

export async function createTestTenant(handle: DbHandle, prefix = 't'): Promise<TestTenant> {
  const { db } = handle;
  await seedRegistry(db, defaultPackageCatalog());
  const slug = `${prefix}-${randomUUID().slice(0, 8)}`;
  const tenant = await db.tenant.create({ data: { slug, name: `Tenant ${slug}` } });
  const user = await db.user.create({ data: { email: `${slug}@example.test`, name: 'Owner', passwordHash: 'x' } });
  const tokens = await withTenant(db, tenant.id, async (tx) => {
    await tx.membership.create({ data: { tenantId: tenant.id, userId: user.id, role: 'owner' } });
    const out = {} as Record<Role, string>;
    for (const role of ['owner', 'admin', 'member'] as Role[]) {
      out[role] = (await createApiToken(tx, { tenantId: tenant.id, name: role, role, createdByUserId: user.id })).token;
    }
    return out;
  });
  return { id: tenant.id, slug, userId: user.id, tokens };
}

export async function waitFor<T>(fn: () => Promise<T | undefined | null | false>, timeoutMs = 20_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`waitFor: condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
