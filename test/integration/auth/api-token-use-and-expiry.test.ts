// Security probe finding: API tokens never recorded last_used_at and never expired. Now use is
// recorded (at most once a minute per token), and a token may carry an expiry it is refused after.
import request from 'supertest';
import { createApiToken, LAST_USED_WRITE_INTERVAL_MS, verifyApiToken } from '../../../lib/auth/api-tokens';
import type { DbHandle } from '../../../lib/db/client';
import { withTenant } from '../../../lib/db/with-tenant';
import { buildTestApp } from '../../helpers/app';
import { adminClient, createTestTenant, testDb, type TestTenant } from '../../helpers/db';

describe('API tokens: last use and expiry', () => {
  let handle: DbHandle;
  let tenant: TestTenant;
  let app: ReturnType<typeof buildTestApp>;
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const tokensPath = () => `/api/tenants/${tenant.slug}/api-tokens`;
  const lastUsed = async (id: string) => {
    const pg = await adminClient();
    try {
      return (await pg.query<{ last_used_at: Date | null }>('select last_used_at from api_tokens where id = $1', [id])).rows[0].last_used_at;
    } finally {
      await pg.end();
    }
  };

  beforeAll(async () => {
    handle = testDb();
    tenant = await createTestTenant(handle, 'tokuse');
    app = buildTestApp({ db: handle.db });
  });
  afterAll(() => handle.close());

  it('a request with a token records when it was used; the listing shows it', async () => {
    const made = await request(app).post(tokensPath()).set(bearer(tenant.tokens.owner)).send({ name: 'ci', role: 'member' });
    expect(made.status).toBe(201);
    expect(await lastUsed(made.body.id)).toBeNull();
    const before = Date.now();
    expect((await request(app).get(`/api/tenants/${tenant.slug}/installations`).set(bearer(made.body.token))).status).toBe(200);
    const used = await lastUsed(made.body.id);
    expect(used!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    const list = await request(app).get(tokensPath()).set(bearer(tenant.tokens.owner));
    const item = list.body.items.find((t: { id: string }) => t.id === made.body.id);
    expect(Date.parse(item.last_used_at)).toBe(used!.getTime());
  });

  it('last_used_at is written at most once a minute per token', async () => {
    const { id, token } = await withTenant(handle.db, tenant.id, (tx) =>
      createApiToken(tx, { tenantId: tenant.id, name: 'busy', role: 'member', createdByUserId: null }),
    );
    const t0 = new Date(Date.now() + 10 * 60_000); // a clock of our own, ahead of any earlier write
    expect((await verifyApiToken(handle.db, token, t0)).ok).toBe(true);
    expect((await lastUsed(id))!.getTime()).toBe(t0.getTime());
    for (const dt of [1_000, 30_000, LAST_USED_WRITE_INTERVAL_MS - 1]) {
      expect((await verifyApiToken(handle.db, token, new Date(t0.getTime() + dt))).ok).toBe(true);
      expect((await lastUsed(id))!.getTime()).toBe(t0.getTime());
    }
    const later = new Date(t0.getTime() + LAST_USED_WRITE_INTERVAL_MS + 1);
    expect((await verifyApiToken(handle.db, token, later)).ok).toBe(true);
    expect((await lastUsed(id))!.getTime()).toBe(later.getTime());
  });

  it('a token with an expiry works until then and is refused after, saying so', async () => {
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
    const made = await request(app).post(tokensPath()).set(bearer(tenant.tokens.owner)).send({ name: 'short-lived', role: 'member', expires_at: expiresAt });
    expect(made.status).toBe(201);
    expect(made.body.expires_at).toBe(new Date(expiresAt).toISOString());
    const list = await request(app).get(tokensPath()).set(bearer(tenant.tokens.owner));
    expect(list.body.items.find((t: { id: string }) => t.id === made.body.id).expires_at).toBe(new Date(expiresAt).toISOString());
    expect((await request(app).get(`/api/tenants/${tenant.slug}/installations`).set(bearer(made.body.token))).status).toBe(200);

    // An hour later (the row's expiry moved into the past rather than waiting).
    const pg = await adminClient();
    try {
      await pg.query(`update api_tokens set expires_at = now() - interval '1 second' where id = $1`, [made.body.id]);
    } finally {
      await pg.end();
    }
    const refused = await request(app).get(`/api/tenants/${tenant.slug}/installations`).set(bearer(made.body.token));
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('UNAUTHENTICATED');
    expect(refused.body.error.message).toMatch(/expired at .*create a new one/);
  });

  it.each([
    [new Date(Date.now() - 60_000).toISOString(), /in the future/],
    [new Date(Date.now() + 11 * 365 * 86_400_000).toISOString(), /at most 10 years/],
    ['tomorrow', /ISO 8601/],
  ])('expires_at %s is refused with a 400 saying what is allowed', async (value, message) => {
    const res = await request(app).post(tokensPath()).set(bearer(tenant.tokens.owner)).send({ name: 'bad', role: 'member', expires_at: value });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(res.body.error)).toMatch(message);
  });
});
