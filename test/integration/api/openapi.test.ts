// /api/openapi.json stays true to the app:
//   1. every JSON route mounted in the Express app (found by walking its router stack) is
//      documented, and every documented operation is mounted;
//   2. every documented operation, called for real, answers with a status the document lists,
//      and its body matches the documented schema for that status. A package's own operations
//      are probed by its packages/<slug>/test/openapi-probes.ts, on an installation of it.
import { randomUUID } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';
import type { z } from 'zod';
import { API_OPERATIONS, type ApiOperation } from '../../../api/openapi';
import { schemaName } from '../../../api/openapi-operation';
import { RESPONSE_SCHEMAS } from '../../../api/response-schemas';
import { PACKAGE_ASSET_ROUTE, uiPageRoutes, UI_VENDOR_FILES } from '../../../api/routes/ui-pages';
import { PACKAGE_MODULES } from '../../../packages/registry';
import type { DbHandle } from '../../../lib/db/client';
import { withTenant } from '../../../lib/db/with-tenant';
import { startFakeMattermost, type FakeMattermost } from '../../fakes/mattermost-server';
import { buildTestApp } from '../../helpers/app';
import { createTestTenant, testDb, type TestTenant } from '../../helpers/db';
import { signedInAgent, type SignedIn } from '../../helpers/session';
import { openTestTemporal, type TestTemporal } from '../../helpers/temporal';
import { installEveryPackage, packageTestParts, type OpenApiProbes } from '../../helpers/package-test-parts';
import { aRegisteredPackage } from '../../helpers/registered-package';

const PKG = aRegisteredPackage();
/** The package whose example post the package page shows (GET /api/packages/:slug/example-digest), if any. */
const EXAMPLE_SLUG = PACKAGE_MODULES.find((m) => m.examplePost)?.definition.identity.slug ?? PKG.slug;

interface StackLayer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: StackLayer[] };
  rawPath?: string | string[] | RegExp;
}

/** Every (METHOD, path) the app routes, with Express ":param" turned into OpenAPI "{param}". */
function mountedRoutes(app: Express): string[] {
  const found: string[] = [];
  const join = (prefix: string, p: string) => (p === '/' ? prefix || '/' : `${prefix}${p}`);
  const walk = (stack: StackLayer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const p of [layer.route.path].flat()) {
          for (const m of Object.keys(layer.route.methods).filter((x) => x !== '_all')) found.push(`${m.toUpperCase()} ${join(prefix, p)}`);
        }
      } else if (layer.handle?.stack) {
        if (typeof layer.rawPath !== 'string')
          throw new Error(`a router is mounted on a non-string path (${String(layer.rawPath)}); the OpenAPI test cannot follow it`);
        walk(layer.handle.stack, join(prefix, layer.rawPath) === '/' ? '' : join(prefix, layer.rawPath));
      }
    }
  };
  walk((app as unknown as { router: { stack: StackLayer[] } }).router.stack, '');
  return found.map((r) => r.replace(/:(\w+)/g, '{$1}'));
}

const UI_ROUTES = new Set([
  'GET /',
  'GET /{*rest}',
  ...[...uiPageRoutes(PACKAGE_MODULES), PACKAGE_ASSET_ROUTE].map((p) => `GET ${p.replace(/:(\w+)/g, '{$1}')}`),
  ...Object.keys(UI_VENDOR_FILES).map((f) => `GET /assets/vendor/${f}`),
]);

describe('OpenAPI document', () => {
  let handle: DbHandle;
  let t: TestTemporal;
  let fake: FakeMattermost;
  let app: Express;
  let tenant: TestTenant;
  let owner: SignedIn;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    handle = testDb();
    t = await openTestTemporal();
    fake = await startFakeMattermost();
    app = buildTestApp({ db: handle.db, temporal: t.temporal, starter: { start: async () => ({ started: true }) } });
    tenant = await createTestTenant(handle, 'oas');
    owner = await signedInAgent(app, handle, tenant, 'owner');
    // An installation of every registered package (its probes use it); the first one's is the core's example.
    for (const [slug, id] of Object.entries(await installEveryPackage(handle.db, tenant.id))) ids[`installation:${slug}`] = id;
    ids.installation = ids[`installation:${PKG.slug}`];
    const installation = { id: ids.installation };
    const corr = `dir:oas:${randomUUID()}`;
    ids.correlation = corr;
    await withTenant(handle.db, tenant.id, async (tx) => {
      ids.directive = (
        await tx.directive.create({
          data: {
            tenantId: tenant.id,
            type: 'package.install',
            params: { installation_id: installation.id },
            idempotencyKey: corr,
            correlationId: corr,
            workflowId: corr,
            status: 'completed',
          },
        })
      ).id;
      const e = await tx.execution.create({
        data: {
          tenantId: tenant.id,
          installationId: installation.id,
          kind: 'mattermost_digest',
          trigger: 'manual',
          correlationId: corr,
          workflowId: `${corr}:run`,
          status: 'failed',
          errorKind: 'auth',
          windowStart: new Date(Date.now() - 86_400_000),
          windowEnd: new Date(),
        },
      });
      ids.execution = e.id;
      await tx.executionLog.create({
        data: { tenantId: tenant.id, executionId: e.id, correlationId: corr, level: 'error', message: 'Digest run failed', data: { error_kind: 'auth' } },
      });
    });
  });
  afterAll(async () => {
    await fake.close();
    await t.close();
    await handle.close();
  });

  it('documents exactly the JSON routes the app mounts', () => {
    const mounted = mountedRoutes(app).filter((r) => !UI_ROUTES.has(r));
    const documented = API_OPERATIONS.map((op) => `${op.method.toUpperCase()} ${op.path}`);
    expect(new Set(documented).size).toBe(documented.length);
    expect([...new Set(mounted)].sort()).toEqual([...documented].sort());
  });

  it('is served at /api/openapi.json as OpenAPI 3.1 with every operation and schema', async () => {
    const res = await request(app).get('/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    for (const op of API_OPERATIONS) expect(res.body.paths[op.path][op.method].operationId).toBe(op.operationId);
    // Every $ref resolves.
    const refs = Array.from(JSON.stringify(res.body).matchAll(/"#\/components\/schemas\/([A-Za-z]+)"/g), (m) => m[1]);
    expect(refs.length).toBeGreaterThan(20);
    for (const name of refs) expect(res.body.components.schemas).toHaveProperty(name);
  });

  const bearer = (role: 'owner' | 'member' = 'owner') => ({ authorization: `Bearer ${tenant.tokens[role]}` });
  const T = () => `/api/tenants/${tenant.slug}`;
  const INST = () => `${T()}/installations/${ids.installation}`;

  // One real call per documented operation (in this order: later calls see earlier effects).
  const probes: Record<string, () => request.Test> = {
    liveness: () => request(app).get('/healthz'),
    readiness: () => request(app).get('/readyz'),
    openapi: () => request(app).get('/api/openapi.json'),
    metrics: () => request(app).get('/metrics'),
    login: () => request(app).post('/api/auth/login').send({ email: 'not-an-email', password: 'x' }),
    getSession: () => owner.agent.get('/api/auth/session'),
    listPackages: () => request(app).get('/api/packages'),
    getPackage: () => request(app).get(`/api/packages/${PKG.slug}`),
    getExampleDigest: () => request(app).get(`/api/packages/${EXAMPLE_SLUG}/example-digest`),
    createApiToken: () => request(app).post(`${T()}/api-tokens`).set(bearer()).send({ name: 'oas', role: 'member' }),
    listApiTokens: () => request(app).get(`${T()}/api-tokens`).set(bearer()),
    revokeApiToken: () => request(app).delete(`${T()}/api-tokens/${randomUUID()}`).set(bearer()),
    installPackage: () => request(app).post(`${T()}/installations`).set(bearer()).send({}),
    listInstallations: () => request(app).get(`${T()}/installations`).set(bearer('member')),
    getInstallation: () => request(app).get(INST()).set(bearer('member')),
    // Each package's own operations, on an installation of it.
    ...Object.assign(
      {},
      ...packageTestParts<OpenApiProbes>('openapi-probes').map(({ slug, part }) =>
        part.probes({
          app: () => app,
          fake: () => fake,
          T,
          INST: () => `${T()}/installations/${ids[`installation:${slug}`]}`,
          bearer,
          ids: () => ({ execution: ids.execution, correlation: ids.correlation }),
        }),
      ),
    ),
    getLlmConnection: () => request(app).get(`${T()}/integrations/llm`).set(bearer('member')),
    // The documented refusal: the key is checked against the endpoint first (here: nothing listens).
    connectLlm: () =>
      request(app)
        .put(`${T()}/integrations/llm`)
        .set(bearer())
        .send({ base_url: 'http://127.0.0.1:9/v1', api_key: 'sk-openapi-test-key-0000', model: 'gpt-4o-mini' }),
    disconnectLlm: () => request(app).delete(`${T()}/integrations/llm`).set(bearer()),
    runNow: () => request(app).post(`${INST()}/runs`).set(bearer()).send({}),
    listDirectives: () => request(app).get(`${T()}/directives`).set(bearer('member')),
    getDirective: () => request(app).get(`${T()}/directives/${ids.directive}`).set(bearer('member')),
    listExecutions: () => request(app).get(`${T()}/executions`).query({ installation_id: ids.installation }).set(bearer('member')),
    getExecution: () => request(app).get(`${T()}/executions/${ids.execution}`).set(bearer('member')),
    retryRun: () => request(app).post(`${T()}/executions/${randomUUID()}/retry`).set(bearer()),
    ingestSignals: () =>
      request(app)
        .post(`${T()}/signals`)
        .set(bearer())
        .send({ signals: [{ type: 'agent.execution.completed', correlation_id: ids.correlation, payload: { cost_usd: 0.1 } }] }),
    listSignals: () => request(app).get(`${T()}/signals`).query({ type: 'agent.' }).set(bearer('member')),
    getTenantTemporalSearch: () => request(app).get(`${T()}/timeline`).set(bearer('member')),
    getTimeline: () =>
      request(app)
        .get(`${T()}/timeline/${encodeURIComponent(ids.correlation)}`)
        .set(bearer('member')),
    getTenantMattermost: () => request(app).get(`${T()}/integrations/mattermost`).set(bearer('member')),
    connectTenantMattermost: () =>
      request(app)
        .put(`${T()}/integrations/mattermost`)
        .set(bearer())
        .send({ kind: 'webhook', webhook_url: fake.hookUrl(fake.createHook({ channel: 'town-square' })), verify: 'dry_run' }),
    // After the webhook connect above: a webhook has no channel list (409, documented).
    listTenantMattermostChannels: () => request(app).get(`${T()}/integrations/mattermost/channels`).set(bearer()),
    disconnectTenantMattermost: () => request(app).delete(`${T()}/integrations/mattermost`).set(bearer()),
    upgradePackage: () => request(app).post(`${INST()}/upgrade`).set(bearer()).send({ version: '9.9.9' }),
    uninstallPackage: () => request(app).delete(`${T()}/installations/${randomUUID()}`).set(bearer()),
    logout: () => owner.agent.post('/api/auth/logout').set('x-csrf-token', owner.csrfToken),
  };

  it('has a probe for every documented operation', () => {
    expect(Object.keys(probes).sort()).toEqual(API_OPERATIONS.map((op) => op.operationId).sort());
  });

  const byId = new Map(API_OPERATIONS.map((op) => [op.operationId, op] as const));
  it.each(Object.keys(probes))('%s answers as documented', async (operationId) => {
    const op = byId.get(operationId) as ApiOperation;
    const res = await probes[operationId]();
    const documented = op.responses[res.status];
    if (!documented)
      throw new Error(
        `${op.method.toUpperCase()} ${op.path} answered ${res.status} ${JSON.stringify(res.body)}; documented: ${Object.keys(op.responses).join(', ')}`,
      );
    expect(res.body?.error?.message ?? '').not.toMatch(/^No API route/);
    if (documented.schema) {
      const schema = (typeof documented.schema === 'string' ? RESPONSE_SCHEMAS[documented.schema] : documented.schema.zod) as z.ZodType | undefined;
      const parsed = schema?.safeParse(res.body);
      if (parsed && !parsed.success)
        throw new Error(`${operationId} ${res.status} body does not match ${schemaName(documented.schema)}: ${parsed.error.message}`);
    }
  });
});
