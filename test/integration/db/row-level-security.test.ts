// Tenant isolation is enforced by PostgreSQL: with tenant A's context no query sees tenant B's
// rows, and a write carrying B's tenant id is refused, on every tenant-scoped table.
import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import { assertConfinedRole, createDb, UnconfinedRoleError, type DbHandle } from '../../../lib/db/client';
import { withTenant } from '../../../lib/db/with-tenant';
import { adminClient, createTestTenant, migrationDatabaseUrl, testDb, type TestTenant } from '../../helpers/db';

// One row per tenant-scoped table, written as superuser (bypassing RLS) for tenant B.
function rowsFor(tenantId: string) {
  const installationId = randomUUID();
  const executionId = randomUUID();
  return {
    memberships: { id: randomUUID(), tenant_id: tenantId, user_id: randomUUID(), role: 'member' },
    api_tokens: { id: randomUUID(), tenant_id: tenantId, name: 'x', token_hash: randomUUID(), role: 'member' },
    installations: {
      id: installationId,
      tenant_id: tenantId,
      package_slug: `p${randomUUID().slice(0, 6)}`,
      package_version: '1.0.0',
      status: 'installed',
      updated_at: new Date(),
    },
    directives: {
      id: randomUUID(),
      tenant_id: tenantId,
      type: 'package.install',
      params: '{}',
      idempotency_key: randomUUID(),
      correlation_id: 'c',
      workflow_id: 'w',
      updated_at: new Date(),
    },
    signals: { id: randomUUID(), tenant_id: tenantId, type: 'package.install.requested', source: 'test' },
    integration_credentials: {
      id: randomUUID(),
      tenant_id: tenantId,
      provider: 'mattermost',
      kind: 'webhook',
      ciphertext: Buffer.from('x'),
      nonce: Buffer.from('n'),
      auth_tag: Buffer.from('t'),
      key_id: 'k',
      host: 'h',
      fingerprint: 'f',
      status: 'connected',
      updated_at: new Date(),
    },
    workflow_templates: { id: randomUUID(), tenant_id: tenantId, installation_id: installationId, key: 'k', name: 'n', definition: '{}' },
    agent_templates: { id: randomUUID(), tenant_id: tenantId, installation_id: installationId, key: 'k', name: 'n', definition: '{}' },
    executions: {
      id: executionId,
      tenant_id: tenantId,
      installation_id: installationId,
      kind: 'digest',
      trigger: 'manual',
      correlation_id: 'c',
      window_start: new Date(),
      window_end: new Date(),
    },
    execution_logs: { id: randomUUID(), tenant_id: tenantId, execution_id: executionId, correlation_id: 'c', level: 'info', message: 'm' },
    outbound_messages: {
      id: randomUUID(),
      tenant_id: tenantId,
      provider: 'mattermost',
      destination: 'd',
      dedupe_key: randomUUID(),
      content_hash: 'h',
      updated_at: new Date(),
    },
    digest_messages: {
      id: randomUUID(),
      tenant_id: tenantId,
      execution_id: executionId,
      installation_id: installationId,
      correlation_id: 'c',
      text: 't',
      full_text: 't',
      truncated: false,
      line_count: 1,
      content_hash: 'h',
    },
    llm_summaries: {
      id: randomUUID(),
      tenant_id: tenantId,
      installation_id: installationId,
      execution_id: executionId,
      dedupe_key: randomUUID(),
      status: 'done',
      outcome: 'ok',
      cost_usd: 0.001,
    },
    tenant_integrations: { id: randomUUID(), tenant_id: tenantId, provider: 'mattermost', credential_id: randomUUID(), updated_at: new Date() },
  } as const;
}

const TABLES = Object.keys(rowsFor(randomUUID())) as (keyof ReturnType<typeof rowsFor>)[];

async function insertAsSuperuser(pg: Client, table: string, row: Record<string, unknown>) {
  const cols = Object.keys(row);
  await pg.query(`insert into "${table}" (${cols.map((c) => `"${c}"`).join(',')}) values (${cols.map((_, i) => `$${i + 1}`).join(',')})`, Object.values(row));
}

describe('row-level security', () => {
  let handle: DbHandle;
  let pg: Client;
  let a: TestTenant;
  let b: TestTenant;
  let bRows: ReturnType<typeof rowsFor>;

  beforeAll(async () => {
    handle = testDb();
    pg = await adminClient();
    a = await createTestTenant(handle, 'rls-a');
    b = await createTestTenant(handle, 'rls-b');
    bRows = rowsFor(b.id);
    for (const table of TABLES) await insertAsSuperuser(pg, table, bRows[table]);
  });
  afterAll(async () => {
    await pg.end();
    await handle.close();
  });

  it.each(TABLES)('%s: tenant A sees none of tenant B’s rows; B sees its own', async (table) => {
    const seenByA = await withTenant(handle.db, a.id, (tx) => tx.$queryRawUnsafe<{ tenant_id: string }[]>(`select tenant_id from "${table}"`));
    expect(seenByA.filter((r) => r.tenant_id === b.id)).toHaveLength(0);
    const seenByB = await withTenant(handle.db, b.id, (tx) =>
      tx.$queryRawUnsafe<{ id: string }[]>(`select id from "${table}" where id = $1::uuid`, bRows[table].id),
    );
    expect(seenByB).toHaveLength(1);
  });

  it.each(TABLES)('%s: a write carrying tenant B’s id is refused in tenant A’s context', async (table) => {
    const row = { ...rowsFor(b.id)[table] } as Record<string, unknown>;
    const cols = Object.keys(row);
    await expect(
      withTenant(handle.db, a.id, (tx) =>
        tx.$executeRawUnsafe(
          `insert into "${table}" (${cols.map((c) => `"${c}"`).join(',')}) values (${cols.map((_, i) => `$${i + 1}`).join(',')})`,
          ...Object.values(row),
        ),
      ),
    ).rejects.toThrow(/row-level security|permission denied/);
  });

  it('without a tenant context no tenant-scoped row is visible at all', async () => {
    for (const table of TABLES) {
      const rows = await handle.db.$queryRawUnsafe<unknown[]>(`select 1 from "${table}" limit 1`);
      expect({ table, rows }).toEqual({ table, rows: [] });
    }
  });

  it('through Prisma, a query that forgets `where tenantId` still sees one tenant only', async () => {
    const installations = await withTenant(handle.db, a.id, (tx) => tx.installation.findMany());
    expect(installations.every((i) => i.tenantId === a.id)).toBe(true);
    await expect(
      withTenant(handle.db, a.id, (tx) => tx.installation.create({ data: { tenantId: b.id, packageSlug: 'x', packageVersion: '1.0.0' } })),
    ).rejects.toThrow();
  });

  it('the application connects as a role that cannot bypass RLS or own tables', async () => {
    await expect(assertConfinedRole(handle.db)).resolves.toBeUndefined();
    const { rows } = await pg.query(`select rolbypassrls, rolsuper from pg_roles where rolname = 'fleetprompt_app'`);
    expect(rows[0]).toEqual({ rolbypassrls: false, rolsuper: false });
    // Turning row security off makes Postgres refuse the query rather than show other tenants.
    await expect(
      withTenant(handle.db, a.id, async (tx) => {
        await tx.$executeRawUnsafe('SET LOCAL row_security = off');
        return tx.$queryRawUnsafe('select * from installations');
      }),
    ).rejects.toThrow(/row-level security/);
  });

  it('refuses to run the application as a superuser', async () => {
    const superHandle = createDb({ url: migrationDatabaseUrl(), max: 1 });
    await expect(assertConfinedRole(superHandle.db)).rejects.toThrow(UnconfinedRoleError);
    await superHandle.close();
  });

  it('signals are append-only for the application', async () => {
    await expect(withTenant(handle.db, b.id, (tx) => tx.$executeRawUnsafe(`update signals set type = 'x'`))).rejects.toThrow(/permission denied/);
    await expect(withTenant(handle.db, b.id, (tx) => tx.$executeRawUnsafe(`delete from signals`))).rejects.toThrow(/permission denied/);
  });
});
