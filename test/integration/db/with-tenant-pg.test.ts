// withTenantPg (lib/db/with-tenant-pg.ts), the pg-pool transaction of the hot paths: its tenant
// context and statement timeout are set in the same message as BEGIN, by text, so the tenant id
// and the timeout are refused before any SQL unless they are a UUID and a whole number; the
// settings end with the transaction, and an error rolls everything back.
import type { DbHandle } from '../../../lib/db/client';
import { poolOf } from '../../../lib/db/client';
import { withTenantPg } from '../../../lib/db/with-tenant-pg';
import { createTestTenant, testDb } from '../../helpers/db';

describe('withTenantPg', () => {
  let handle: DbHandle;
  beforeAll(() => {
    handle = testDb();
  });
  afterAll(() => handle.close());

  it('runs in the tenant’s row-level-security context, with the timeout, and leaves neither on the connection', async () => {
    const a = await createTestTenant(handle, 'pga');
    const b = await createTestTenant(handle, 'pgb');
    const pool = poolOf(handle.db)!;
    const seen = await withTenantPg(
      pool,
      a.id,
      async (client) => {
        const r = await client.query<{ tenant: string; timeout: string; tenants: string[]; pid: number }>(
          `select current_setting('app.tenant_id') as tenant, current_setting('statement_timeout') as timeout,
                  array(select distinct tenant_id::text from memberships) as tenants, pg_backend_pid() as pid`,
        );
        return r.rows[0];
      },
      { timeoutMs: 1234 },
    );
    expect(seen.tenant).toBe(a.id);
    expect(seen.timeout).toBe('1234ms');
    expect(seen.tenants).toEqual([a.id]);
    expect(seen.tenants).not.toContain(b.id);
    // The same connection afterwards: no tenant and the default timeout.
    const clients = await Promise.all(Array.from({ length: 20 }, () => pool.connect()));
    try {
      const same = clients.find((c) => (c as unknown as { processID: number }).processID === seen.pid);
      const after = await (same ?? clients[0]).query<{ tenant: string | null; timeout: string }>(
        `select nullif(current_setting('app.tenant_id', true), '') as tenant, current_setting('statement_timeout') as timeout`,
      );
      expect(after.rows[0]).toEqual({ tenant: null, timeout: '0' });
    } finally {
      clients.forEach((c) => c.release());
    }
  });

  it('rolls back everything when the callback throws', async () => {
    const a = await createTestTenant(handle, 'pgr');
    const pool = poolOf(handle.db)!;
    await expect(
      withTenantPg(pool, a.id, async (client) => {
        const changed = await client.query(`update memberships set role = 'member' where tenant_id = $1`, [a.id]);
        expect(changed.rowCount).toBe(1);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const roles = await withTenantPg(pool, a.id, async (client) =>
      (await client.query<{ role: string }>(`select role::text from memberships`)).rows.map((r) => r.role),
    );
    expect(roles).toEqual(['owner']);
  });

  it.each([
    ["x', true); select 1; --", 15_000],
    ['not-a-uuid', 15_000],
    ['00000000-0000-0000-0000-000000000000', 1.5],
    ['00000000-0000-0000-0000-000000000000', -1],
  ])('refuses tenant id %p with timeout %p before touching the database', async (tenantId, timeoutMs) => {
    const pool = poolOf(handle.db)!;
    let called = false;
    await expect(
      withTenantPg(
        pool,
        tenantId,
        async () => {
          called = true;
        },
        { timeoutMs: timeoutMs },
      ),
    ).rejects.toThrow(TypeError);
    expect(called).toBe(false);
  });
});
