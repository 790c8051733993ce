// API tokens: minted by owners and admins (never above their own role), listed without secrets,
// revoked (then 401). Only the SHA-256 hash is stored.
import { createHash } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';
import type { DbHandle } from '../../../lib/db/client';
import { buildTestApp } from '../../helpers/app';
import { adminClient, createTestTenant, testDb, type TestTenant } from '../../helpers/db';
import { signedInAgent, type SignedIn } from '../../helpers/session';

describe('API tokens', () => {
  let handle: DbHandle;
  let app: Express;
  let tenant: TestTenant;
  let owner: SignedIn;
  let admin: SignedIn;

  beforeAll(async () => {
    handle = testDb();
    app = buildTestApp({ db: handle.db });
    tenant = await createTestTenant(handle, 'tok');
    owner = await signedInAgent(app, handle, tenant, 'owner');
    admin = await signedInAgent(app, handle, tenant, 'admin');
  });
  afterAll(async () => {
    await handle.close();
  });

  const path = () => `/api/tenants/${tenant.slug}/api-tokens`;
  const create = (who: SignedIn, body: object) => who.agent.post(path()).set('x-csrf-token', who.csrfToken).send(body);
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  it('an owner mints a token: 201, shown once, stored as a hash, and it works', async () => {
    const res = await create(owner, { name: '  deploy bot ', role: 'owner' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      name: 'deploy bot',
      role: 'owner',
      token: expect.stringMatching(/^fpk_[A-Za-z0-9_-]{43}$/),
      created_at: expect.any(String),
      expires_at: null,
    });
    expect(res.headers.location).toBe(`${path()}/${res.body.id}`);
    expect(res.headers['cache-control']).toBe('no-store');

    const pg = await adminClient();
    const { rows } = await pg.query('select * from api_tokens where id = $1', [res.body.id]);
    await pg.end();
    expect(rows[0].token_hash).toBe(createHash('sha256').update(res.body.token).digest('hex'));
    expect(JSON.stringify(rows[0])).not.toContain(res.body.token);
    expect(rows[0].created_by_user_id).toBe(owner.user.id);

    const use = await request(app).get(`/api/tenants/${tenant.slug}/installations`).set(bearer(res.body.token));
    expect(use.status).toBe(200);
  });

  it('an admin mints admin and member tokens but not owner tokens (by session or by token)', async () => {
    expect((await create(admin, { name: 'a', role: 'admin' })).status).toBe(201);
    expect((await create(admin, { name: 'm', role: 'member' })).status).toBe(201);
    const up = await create(admin, { name: 'o', role: 'owner' });
    expect(up.status).toBe(403);
    expect(up.body.error.code).toBe('FORBIDDEN');
    const viaToken = await request(app).post(path()).set(bearer(tenant.tokens.admin)).send({ name: 'o', role: 'owner' });
    expect(viaToken.status).toBe(403);
    const ownerToken = await request(app).post(path()).set(bearer(tenant.tokens.owner)).send({ name: 'o', role: 'owner' });
    expect(ownerToken.status).toBe(201);
  });

  it('the listing has no token and no hash', async () => {
    const made = await create(owner, { name: 'listed', role: 'member' });
    const res = await owner.agent.get(path());
    expect(res.status).toBe(200);
    const item = res.body.items.find((t: { id: string }) => t.id === made.body.id);
    expect(item).toEqual({
      id: made.body.id,
      name: 'listed',
      role: 'member',
      created_by_user_id: owner.user.id,
      last_used_at: null,
      expires_at: null,
      revoked_at: null,
      created_at: made.body.created_at,
    });
    const text = JSON.stringify(res.body);
    expect(text).not.toMatch(/fpk_/);
    expect(text).not.toMatch(/hash/i);
    expect(text).not.toContain(made.body.token);
    // Members cannot see the tenant's tokens.
    const member = await request(app).get(path()).set(bearer(tenant.tokens.member));
    expect(member.status).toBe(403);
  });

  it('revoking sets revoked_at; the token then gets 401; revoking again is idempotent', async () => {
    const made = await create(owner, { name: 'short-lived', role: 'admin' });
    expect((await request(app).get(path()).set(bearer(made.body.token))).status).toBe(200);
    const del = await owner.agent.delete(`${path()}/${made.body.id}`).set('x-csrf-token', owner.csrfToken);
    expect(del.status).toBe(200);
    expect(del.body).toMatchObject({ id: made.body.id, revoked_at: expect.any(String) });

    const after = await request(app).get(`/api/tenants/${tenant.slug}/installations`).set(bearer(made.body.token));
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('UNAUTHENTICATED');

    const again = await owner.agent.delete(`${path()}/${made.body.id}`).set('x-csrf-token', owner.csrfToken);
    expect(again.status).toBe(200);
    expect(again.body.revoked_at).toBe(del.body.revoked_at);
  });

  it('a token can revoke itself', async () => {
    const made = await create(owner, { name: 'self', role: 'admin' });
    const del = await request(app).delete(`${path()}/${made.body.id}`).set(bearer(made.body.token));
    expect(del.status).toBe(200);
    expect((await request(app).get(path()).set(bearer(made.body.token))).status).toBe(401);
  });

  it('an admin cannot revoke an owner token', async () => {
    const made = await create(owner, { name: 'root', role: 'owner' });
    const res = await admin.agent.delete(`${path()}/${made.body.id}`).set('x-csrf-token', admin.csrfToken);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
    expect((await request(app).get(path()).set(bearer(made.body.token))).status).toBe(200);
  });

  it("unknown ids and another tenant's tokens are 404; bad input is 400", async () => {
    const other = await createTestTenant(handle, 'tok2');
    const otherToken = await request(app)
      .post(`/api/tenants/${other.slug}/api-tokens`)
      .set(bearer(other.tokens.owner))
      .send({ name: 'theirs', role: 'member' });
    const notOurs = await owner.agent.delete(`${path()}/${otherToken.body.id}`).set('x-csrf-token', owner.csrfToken);
    expect(notOurs.status).toBe(404);
    expect(notOurs.body.error.code).toBe('API_TOKEN_NOT_FOUND');
    expect(
      (
        await request(app)
          .get(`/api/tenants/${other.slug}/api-tokens`)
          .set(bearer(other.tokens.member.replace(/.$/, '')))
      ).status,
    ).toBe(401);
    expect((await request(app).get(`/api/tenants/${other.slug}/installations`).set(bearer(otherToken.body.token))).status).toBe(200);

    const unknown = await owner.agent.delete(`${path()}/00000000-0000-4000-8000-000000000000`).set('x-csrf-token', owner.csrfToken);
    expect(unknown.status).toBe(404);
    const notUuid = await owner.agent.delete(`${path()}/nope`).set('x-csrf-token', owner.csrfToken);
    expect(notUuid.status).toBe(400);

    for (const body of [
      { name: '', role: 'member' },
      { name: 'x', role: 'root' },
      { name: 'x' },
      { name: 'x', role: 'member', token: 'fpk_mine' },
      { name: 'x'.repeat(101), role: 'member' },
    ]) {
      const res = await create(owner, body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
  });
});
