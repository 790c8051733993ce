// Email + password sign-in, server-side sessions with expiry, logout, per-tenant roles for a
// user in several tenants, and the failed-login limit. Real Postgres (RLS applies).
import { createHash } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';
import { createLoginRateLimiter } from '../../../lib/auth/login-rate-limit';
import type { DbHandle } from '../../../lib/db/client';
import { buildTestApp } from '../../helpers/app';
import { adminClient, createTestTenant, testDb, type TestTenant } from '../../helpers/db';
import { createTestUser, signIn, TEST_PASSWORD } from '../../helpers/session';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

function sessionCookie(res: request.Response): string {
  const raw = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const cookie = raw.find((c) => c.startsWith('fp_session='));
  if (!cookie) throw new Error(`no fp_session cookie in ${JSON.stringify(raw)}`);
  return cookie;
}

const cookieValue = (cookie: string) => decodeURIComponent(cookie.split(';')[0].slice('fp_session='.length));

async function sql<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
  const pg = await adminClient();
  try {
    return (await pg.query(text, params)).rows as T[];
  } finally {
    await pg.end();
  }
}

describe('sign-in and sessions', () => {
  let handle: DbHandle;
  let app: Express;
  let tenant: TestTenant;
  let second: TestTenant;

  beforeAll(async () => {
    handle = testDb();
    app = buildTestApp({ db: handle.db });
    tenant = await createTestTenant(handle, 'login');
    second = await createTestTenant(handle, 'login2');
  });
  afterAll(async () => {
    await handle.close();
  });

  it('signs in: an HttpOnly SameSite cookie with a random token whose hash only is stored, the user, memberships and a CSRF token', async () => {
    const user = await createTestUser(handle, {
      name: 'Ada',
      memberships: [
        { tenantId: tenant.id, role: 'admin' },
        { tenantId: second.id, role: 'member' },
      ],
    });
    const res = await request(app).post('/api/auth/login').send({ email: user.email, password: TEST_PASSWORD });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      user: { id: user.id, email: user.email, name: 'Ada' },
      memberships: expect.arrayContaining([
        { tenant_slug: tenant.slug, tenant_name: `Tenant ${tenant.slug}`, role: 'admin' },
        { tenant_slug: second.slug, tenant_name: `Tenant ${second.slug}`, role: 'member' },
      ]),
      csrf_token: expect.stringMatching(/^[A-Za-z0-9_-]{40,}$/),
    });
    expect(res.body.memberships).toHaveLength(2);
    expect(res.headers['cache-control']).toBe('no-store');

    const cookie = sessionCookie(res);
    expect(cookie).toMatch(/; HttpOnly/i);
    expect(cookie).toMatch(/; SameSite=Lax/i);
    expect(cookie).toMatch(/; Path=\//i);
    expect(cookie).toMatch(/; Max-Age=43200/i);
    expect(cookie).not.toMatch(/; Secure/i); // plain HTTP in tests; Secure in production (next test)
    const token = cookieValue(cookie);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const rows = await sql<{ token_hash: string; csrf_token: string; expires_at: Date }>(
      'select token_hash, csrf_token, expires_at from sessions where user_id = $1',
      [user.id],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].token_hash).toBe(sha256(token));
    expect(rows[0].token_hash).not.toContain(token);
    expect(rows[0].csrf_token).toBe(res.body.csrf_token);
    const hours = (new Date(rows[0].expires_at).getTime() - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(11.9);
    expect(hours).toBeLessThanOrEqual(12);
  });

  it('marks the cookie Secure when configured for production', async () => {
    const secureApp = buildTestApp({ db: handle.db, overrides: { auth: { secureCookies: true } } });
    const user = await createTestUser(handle, { memberships: [{ tenantId: tenant.id, role: 'member' }] });
    const res = await request(secureApp).post('/api/auth/login').send({ email: user.email, password: TEST_PASSWORD });
    expect(res.status).toBe(200);
    expect(sessionCookie(res)).toMatch(/; Secure/i);
    expect(sessionCookie(res)).toMatch(/; HttpOnly/i);
  });

  it('the email is matched case-insensitively', async () => {
    const user = await createTestUser(handle, { memberships: [{ tenantId: tenant.id, role: 'member' }] });
    const res = await request(app)
      .post('/api/auth/login')
      .send({ email: `  ${user.email.toUpperCase()} `, password: TEST_PASSWORD });
    expect(res.status).toBe(200);
    expect(res.body.user.id).toBe(user.id);
  });

  it('a wrong password and an unknown email get the same 401 and no cookie', async () => {
    const user = await createTestUser(handle, { memberships: [{ tenantId: tenant.id, role: 'owner' }] });
    const wrong = await request(app).post('/api/auth/login').send({ email: user.email, password: 'not the password' });
    const unknown = await request(app).post('/api/auth/login').send({ email: 'nobody-here@example.test', password: TEST_PASSWORD });
    const noPassword = await request(app)
      .post('/api/auth/login')
      .send({ email: `x-${tenant.slug}@example.test`, password: TEST_PASSWORD });
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect(res.body.error).toEqual({ code: 'INVALID_CREDENTIALS', message: 'The email or password is wrong.' });
      expect(res.headers['set-cookie']).toBeUndefined();
    }
    expect(noPassword.status).toBe(401);
    // A user created without a password (the test tenants' owner: hash "x") cannot sign in.
    const owner = await handle.db.user.findUniqueOrThrow({ where: { id: tenant.userId } });
    const scriptUser = await request(app).post('/api/auth/login').send({ email: owner.email, password: 'x' });
    expect(scriptUser.body.error.code).toBe('INVALID_CREDENTIALS');
    expect(await sql('select 1 from sessions where user_id = $1', [user.id])).toHaveLength(0);
  });

  it('malformed sign-in bodies are 400, non-JSON bodies 415', async () => {
    const bad = await request(app).post('/api/auth/login').send({ email: 'not-an-email', password: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    const extra = await request(app).post('/api/auth/login').send({ email: 'a@example.test', password: 'x', remember: true });
    expect(extra.status).toBe(400);
    const form = await request(app).post('/api/auth/login').type('form').send({ email: 'a@example.test', password: 'x' });
    expect(form.status).toBe(415);
    expect(form.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('GET /api/auth/session answers the signed-in user and 401 otherwise', async () => {
    const user = await createTestUser(handle, { memberships: [{ tenantId: tenant.id, role: 'member' }] });
    const { agent, csrfToken } = await signIn(app, user);
    const res = await agent.get('/api/auth/session');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      user: { id: user.id, email: user.email, name: 'Test User' },
      memberships: [{ tenant_slug: tenant.slug, tenant_name: `Tenant ${tenant.slug}`, role: 'member' }],
      csrf_token: csrfToken,
    });

    const anonymous = await request(app).get('/api/auth/session');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('UNAUTHENTICATED');
    const garbage = await request(app).get('/api/auth/session').set('cookie', 'fp_session=not-a-real-session-token-at-all');
    expect(garbage.status).toBe(401);
    // A bearer token is not a browser session.
    const bearer = await request(app).get('/api/auth/session').set('authorization', `Bearer ${tenant.tokens.owner}`);
    expect(bearer.status).toBe(401);
  });

  it('the role comes from the membership of the tenant in the path; other tenants are 404', async () => {
    const user = await createTestUser(handle, {
      memberships: [
        { tenantId: tenant.id, role: 'member' },
        { tenantId: second.id, role: 'owner' },
      ],
    });
    const outsider = await createTestTenant(handle, 'login3');
    const { agent, csrfToken } = await signIn(app, user);

    const asMember = await agent.post(`/api/tenants/${tenant.slug}/api-tokens`).set('x-csrf-token', csrfToken).send({ name: 'ci', role: 'member' });
    expect(asMember.status).toBe(403);
    expect(asMember.body.error.code).toBe('FORBIDDEN');
    const read = await agent.get(`/api/tenants/${tenant.slug}/installations`);
    expect(read.status).toBe(200);

    const asOwner = await agent.post(`/api/tenants/${second.slug}/api-tokens`).set('x-csrf-token', csrfToken).send({ name: 'ci', role: 'owner' });
    expect(asOwner.status).toBe(201);
    const rows = await sql<{ created_by_user_id: string; tenant_id: string }>('select created_by_user_id, tenant_id from api_tokens where id = $1', [
      asOwner.body.id,
    ]);
    expect(rows[0]).toEqual({ created_by_user_id: user.id, tenant_id: second.id });

    for (const slug of [outsider.slug, 'no-such-tenant']) {
      const res = await agent.get(`/api/tenants/${slug}/installations`);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('TENANT_NOT_FOUND');
    }
  });

  it('an expired session is no session', async () => {
    const user = await createTestUser(handle, { memberships: [{ tenantId: tenant.id, role: 'owner' }] });
    const { agent, csrfToken } = await signIn(app, user);
    expect((await agent.get('/api/auth/session')).status).toBe(200);
    await sql(`update sessions set expires_at = now() - interval '1 second' where user_id = $1`, [user.id]);

    expect((await agent.get('/api/auth/session')).status).toBe(401);
    const read = await agent.get(`/api/tenants/${tenant.slug}/installations`);
    expect(read.status).toBe(401);
    expect(read.body.error.code).toBe('UNAUTHENTICATED');
    const write = await agent.post(`/api/tenants/${tenant.slug}/api-tokens`).set('x-csrf-token', csrfToken).send({ name: 'late', role: 'member' });
    expect(write.status).toBe(401);
    // The expired row is cleaned up when it is presented.
    expect(await sql('select 1 from sessions where user_id = $1', [user.id])).toHaveLength(0);
  });

  it('logout deletes the session and clears the cookie; the old cookie is then worthless', async () => {
    const user = await createTestUser(handle, { memberships: [{ tenantId: tenant.id, role: 'owner' }] });
    const login = await request(app).post('/api/auth/login').send({ email: user.email, password: TEST_PASSWORD });
    const cookie = sessionCookie(login).split(';')[0];
    const csrf = login.body.csrf_token as string;

    const noToken = await request(app).post('/api/auth/logout').set('cookie', cookie);
    expect(noToken.status).toBe(403);
    expect(noToken.body.error.code).toBe('CSRF_FAILED');
    expect(await sql('select 1 from sessions where user_id = $1', [user.id])).toHaveLength(1);

    const out = await request(app).post('/api/auth/logout').set('cookie', cookie).set('x-csrf-token', csrf);
    expect(out.status).toBe(204);
    const cleared = sessionCookie(out);
    expect(cleared).toMatch(/^fp_session=;/);
    expect(cleared).toMatch(/Expires=Thu, 01 Jan 1970/);
    expect(await sql('select 1 from sessions where user_id = $1', [user.id])).toHaveLength(0);

    expect((await request(app).get('/api/auth/session').set('cookie', cookie)).status).toBe(401);
    expect((await request(app).get(`/api/tenants/${tenant.slug}/installations`).set('cookie', cookie)).status).toBe(401);
    // Logging out without a session is harmless.
    expect((await request(app).post('/api/auth/logout')).status).toBe(204);
  });

  it('signing in again replaces the browser’s previous session', async () => {
    const user = await createTestUser(handle, { memberships: [{ tenantId: tenant.id, role: 'owner' }] });
    const { agent } = await signIn(app, user);
    const [before] = await sql<{ id: string }>('select id from sessions where user_id = $1', [user.id]);
    const again = await agent.post('/api/auth/login').send({ email: user.email, password: TEST_PASSWORD });
    expect(again.status).toBe(200);
    const after = await sql<{ id: string }>('select id from sessions where user_id = $1', [user.id]);
    expect(after).toHaveLength(1);
    expect(after[0].id).not.toBe(before.id);
  });

  it('refuses a sign-in posted from another origin', async () => {
    const user = await createTestUser(handle, { memberships: [{ tenantId: tenant.id, role: 'owner' }] });
    const res = await request(app).post('/api/auth/login').set('origin', 'https://evil.example').send({ email: user.email, password: TEST_PASSWORD });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('CSRF_FAILED');
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('limits failed sign-ins per email and address: 429 with Retry-After, even for the right password', async () => {
    let now = 1_000_000;
    // The address bucket is left out (as buildTestApp does): every suite signs in from 127.0.0.1 on
    // one shared database, and at this fake clock their rows' real-time windows have not ended.
    const limits = { perAccountAndAddress: 10, perAddress: 1_000_000, windowMs: 15 * 60_000, now: () => now };
    const limitedApp = buildTestApp({ db: handle.db, overrides: { auth: { loginLimiter: createLoginRateLimiter(handle.db, limits) } } });
    const user = await createTestUser(handle, { memberships: [{ tenantId: tenant.id, role: 'owner' }] });
    const attempt = (password: string, email = user.email) => request(limitedApp).post('/api/auth/login').send({ email, password });

    for (let i = 0; i < 10; i++) expect((await attempt(`guess-${i}`)).status).toBe(401);
    const limited = await attempt(TEST_PASSWORD);
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('RATE_LIMITED');
    expect(limited.headers['retry-after']).toBe('900');
    expect(limited.headers['set-cookie']).toBeUndefined();

    // Another account from the same address is not affected.
    const other = await createTestUser(handle, { memberships: [{ tenantId: tenant.id, role: 'owner' }] });
    expect((await attempt(TEST_PASSWORD, other.email)).status).toBe(200);

    // After the window, the right password works again and resets the count.
    now += 15 * 60_000;
    expect((await attempt(TEST_PASSWORD)).status).toBe(200);
    for (let i = 0; i < 9; i++) expect((await attempt(`guess-${i}`)).status).toBe(401);
    expect((await attempt(TEST_PASSWORD)).status).toBe(200);
  });
});
