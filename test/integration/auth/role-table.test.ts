// The role gate on every state-changing tenant route, for every kind of caller: owner, admin
// and member, each by browser session and by API token; no login; and another tenant's user
// and token. Owner/admin pass the gate, member is 403 (except on a read-only POST such as the
// preview), no login is 401, another tenant is 404.
//
// For routes owned by other areas (credentials, config, runs, retry) the cases send input that
// passes the gate and then stops (bad body, unknown id), so only the gate is asserted.
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Express } from 'express';
import request from 'supertest';
import { createApiToken } from '../../../lib/auth/api-tokens';
import type { DbHandle } from '../../../lib/db/client';
import type { Role } from '../../../lib/db/generated/client';
import { withTenant } from '../../../lib/db/with-tenant';
import { buildTestApp } from '../../helpers/app';
import { createTestTenant, testDb, type TestTenant } from '../../helpers/db';
import { signedInAgent, type SignedIn } from '../../helpers/session';
import { installEveryPackage, packageTestParts, type RoleTableRow, type RoleTableRows } from '../../helpers/package-test-parts';
import { aRegisteredPackage } from '../../helpers/registered-package';

const PKG = aRegisteredPackage();

/** A package's own rows come from its packages/<slug>/test/role-rows.ts (test/helpers/package-test-parts.ts). */
type RouteCase = RoleTableRow;

type CallerName = `${Role} via session` | `${Role} via token` | 'no login' | "another tenant's user" | "another tenant's token";

describe('role table: every state-changing tenant route × every kind of caller', () => {
  let handle: DbHandle;
  let app: Express;
  let tenant: TestTenant;
  let other: TestTenant;
  let sessions: Record<Role, SignedIn>;
  let otherUser: SignedIn;
  let installedId: string;
  /** An installed installation of each registered package, by slug. */
  const installed: Record<string, string> = {};

  beforeAll(async () => {
    handle = testDb();
    app = buildTestApp({ db: handle.db, starter: { start: async () => ({ started: true }) } });
    tenant = await createTestTenant(handle, 'roles');
    other = await createTestTenant(handle, 'roles-other');
    sessions = {
      owner: await signedInAgent(app, handle, tenant, 'owner'),
      admin: await signedInAgent(app, handle, tenant, 'admin'),
      member: await signedInAgent(app, handle, tenant, 'member'),
    };
    otherUser = await signedInAgent(app, handle, other, 'owner');
    // An installed installation of every package: the first package's is the one to upgrade and
    // uninstall (the install case below finds it installed and answers idempotently or with a
    // conflict); each package's rows use its own.
    Object.assign(installed, await installEveryPackage(handle.db, tenant.id));
    installedId = installed[PKG.slug];
  });
  afterAll(async () => {
    await handle.close();
  });

  const freshMemberToken = async () =>
    (await withTenant(handle.db, tenant.id, (tx) => createApiToken(tx, { tenantId: tenant.id, name: 'target', role: 'member', createdByUserId: null }))).id;

  const routes: RouteCase[] = [
    {
      name: 'POST installations (install)',
      source: 'installations.ts POST /',
      method: 'post',
      path: () => '/installations',
      body: { package_slug: PKG.slug },
    },
    {
      name: 'PUT integrations/mattermost (connect)',
      source: 'integrations.ts PUT /mattermost',
      method: 'put',
      path: () => '/integrations/mattermost',
      body: { kind: 'carrier-pigeon' },
    },
    { name: 'DELETE integrations/mattermost', source: 'integrations.ts DELETE /mattermost', method: 'delete', path: () => '/integrations/mattermost' },
    {
      name: 'POST installations/:id/upgrade',
      source: 'installations.ts POST /:id/upgrade',
      method: 'post',
      path: () => `/installations/${installedId}/upgrade`,
      body: { version: '9.9.9' },
    },
    {
      name: 'DELETE installations/:id (uninstall)',
      source: 'installations.ts DELETE /:id',
      method: 'delete',
      path: () => `/installations/${installedId}`,
      allowedStatus: 202,
    },
    {
      name: 'POST api-tokens',
      source: 'api-tokens.ts POST /',
      method: 'post',
      path: () => '/api-tokens',
      body: { name: 'ci', role: 'member' },
      allowedStatus: 201,
    },
    {
      name: 'DELETE api-tokens/:id',
      source: 'api-tokens.ts DELETE /:id',
      method: 'delete',
      path: async () => `/api-tokens/${await freshMemberToken()}`,
      allowedStatus: 200,
    },
    {
      name: 'POST installations/:id/runs (run now)',
      source: 'installations.ts POST /:id/runs',
      method: 'post',
      path: () => `/installations/${randomUUID()}/runs`,
    },
    { name: 'PUT integrations/llm (connect)', source: 'llm-integration.ts PUT /', method: 'put', path: () => '/integrations/llm', body: { api_key: 42 } },
    { name: 'DELETE integrations/llm', source: 'llm-integration.ts DELETE /', method: 'delete', path: () => '/integrations/llm' },
    { name: 'POST executions/:id/retry', source: 'executions.ts POST /:id/retry', method: 'post', path: () => `/executions/${randomUUID()}/retry` },
    {
      name: 'POST signals (ingest)',
      source: 'signals.ts POST /',
      method: 'post',
      path: () => '/signals',
      body: { signals: [{ type: 'agent.execution.completed', dedupe_key: `role-table-${randomUUID()}`, payload: { agent: 'role-table' } }] },
      allowedStatus: 200,
    },
    // Each package's own routes (packages/<slug>/test/role-rows.ts), on an installation of it.
    ...packageTestParts<RoleTableRows>('role-rows').flatMap(({ slug, part }) => part.rows({ installationId: () => installed[slug] })),
  ];

  const callers: CallerName[] = [
    'owner via session',
    'admin via session',
    'member via session',
    'owner via token',
    'admin via token',
    'member via token',
    'no login',
    "another tenant's user",
    "another tenant's token",
  ];

  async function call(caller: CallerName, route: RouteCase): Promise<request.Response> {
    const url = `/api/tenants/${tenant.slug}${await route.path()}`;
    let req: request.Test;
    const session = /^(owner|admin|member) via session$/.exec(caller);
    const token = /^(owner|admin|member) via token$/.exec(caller);
    if (session) {
      const s = sessions[session[1] as Role];
      req = s.agent[route.method](url).set('x-csrf-token', s.csrfToken);
    } else if (caller === "another tenant's user") {
      req = otherUser.agent[route.method](url).set('x-csrf-token', otherUser.csrfToken);
    } else {
      req = request(app)[route.method](url);
      if (token) req = req.set('authorization', `Bearer ${tenant.tokens[token[1] as Role]}`);
      if (caller === "another tenant's token") req = req.set('authorization', `Bearer ${other.tokens.owner}`);
    }
    return route.body ? req.send(route.body) : req;
  }

  const table = routes.flatMap((route) => callers.map((caller) => [route.name, caller, route] as const));

  it.each(table)('%s — %s', async (_name, caller, route) => {
    const res = await call(caller, route);
    if (caller.startsWith('owner') || caller.startsWith('admin') || (route.readOnly && caller.startsWith('member'))) {
      if (route.allowedStatus) expect(res.status).toBe(route.allowedStatus);
      expect([401, 403]).not.toContain(res.status);
      expect(res.status).toBeLessThan(500);
      expect(res.body?.error?.code).not.toBe('TENANT_NOT_FOUND');
    } else if (caller.startsWith('member')) {
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    } else if (caller === 'no login') {
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('UNAUTHENTICATED');
    } else {
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('TENANT_NOT_FOUND');
    }
  });

  it('has a row for every state-changing route declared in api/routes and packages/*/routes (tenant routes; sign-in is tested elsewhere)', () => {
    const root = path.join(__dirname, '../../..');
    const packageRouteDirs = readdirSync(path.join(root, 'packages'))
      .map((name) => path.join(root, 'packages', name, 'routes'))
      .filter((dir) => existsSync(dir));
    const declared: string[] = [];
    for (const dir of [path.join(root, 'api/routes'), ...packageRouteDirs]) {
      for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.schemas.ts') && f !== 'auth.ts')) {
        const text = readFileSync(path.join(dir, file), 'utf8');
        for (const m of text.matchAll(/\brouter\.(post|put|patch|delete)\(\s*'([^']*)'/g)) declared.push(`${file} ${m[1].toUpperCase()} ${m[2]}`);
      }
    }
    expect(declared.sort()).toEqual(routes.map((r) => r.source).sort());
  });
});
