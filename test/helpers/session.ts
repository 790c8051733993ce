// Signed-in browsers for API and browser tests: a user with a known password and a membership,
// and a supertest agent that signed in (it keeps the fp_session cookie) plus its CSRF token.
import { randomUUID } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';
import { hashPassword } from '../../lib/auth/passwords';
import type { DbHandle } from '../../lib/db/client';
import type { Role } from '../../lib/db/generated/client';
import { withTenant } from '../../lib/db/with-tenant';

export const TEST_PASSWORD = 'correct horse battery staple';

let testPasswordHash: Promise<string> | undefined;

export interface TestUser {
  id: string;
  email: string;
  password: string;
}

/** A user with TEST_PASSWORD (or `password`), member of each given tenant with the given role. */
export async function createTestUser(
  handle: DbHandle,
  opts: { memberships?: { tenantId: string; role: Role }[]; password?: string; email?: string; name?: string } = {},
): Promise<TestUser> {
  const password = opts.password ?? TEST_PASSWORD;
  const passwordHash = opts.password ? await hashPassword(opts.password) : await (testPasswordHash ??= hashPassword(TEST_PASSWORD));
  const email = opts.email ?? `user-${randomUUID().slice(0, 12)}@example.test`;
  const user = await handle.db.user.create({ data: { email, name: opts.name ?? 'Test User', passwordHash } });
  for (const m of opts.memberships ?? []) {
    await withTenant(handle.db, m.tenantId, (tx) => tx.membership.create({ data: { tenantId: m.tenantId, userId: user.id, role: m.role } }));
  }
  return { id: user.id, email, password };
}

export interface SignedIn {
  agent: ReturnType<typeof request.agent>;
  csrfToken: string;
  user: TestUser;
  /** The login answer: { user, memberships, csrf_token }. */
  session: { user: { id: string; email: string; name: string }; memberships: { tenant_slug: string; tenant_name: string; role: Role }[]; csrf_token: string };
}

export async function signIn(app: Express, user: TestUser): Promise<SignedIn> {
  const agent = request.agent(app);
  const res = await agent.post('/api/auth/login').send({ email: user.email, password: user.password });
  if (res.status !== 200) throw new Error(`signIn: expected 200, got ${res.status} ${JSON.stringify(res.body)}`);
  return { agent, csrfToken: res.body.csrf_token, user, session: res.body };
}

/** A new user with `role` in the tenant, signed in. */
export async function signedInAgent(app: Express, handle: DbHandle, tenant: { id: string }, role: Role = 'owner'): Promise<SignedIn> {
  return signIn(app, await createTestUser(handle, { memberships: [{ tenantId: tenant.id, role }] }));
}
