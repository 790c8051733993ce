// Security probe findings at the HTTP level: metrics cardinality from unknown paths, undecodable
// paths answered as a 500 with a stack, and the missing response headers (nosniff, no-store,
// HSTS behind a setting, the session cookie's Secure flag from PUBLIC_URL).
import request from 'supertest';
import { metricsText } from '../../../lib/metrics/registry';
import { createLogger } from '../../../lib/log/logger';
import type { DbHandle } from '../../../lib/db/client';
import { buildTestApp } from '../../helpers/app';
import { memoryStream } from '../../helpers/canary';
import { createTestTenant, testDb, type TestTenant } from '../../helpers/db';
import { createTestUser, signIn, signedInAgent } from '../../helpers/session';

const seriesCount = async () => (await metricsText()).split('\n').filter((l) => l.startsWith('fleetprompt_http_')).length;

describe('security probe: HTTP hardening', () => {
  let handle: DbHandle;
  let tenant: TestTenant;
  const logs = memoryStream();
  let app: ReturnType<typeof buildTestApp>;

  beforeAll(async () => {
    handle = testDb();
    tenant = await createTestTenant(handle, 'probehttp');
    app = buildTestApp({ db: handle.db, overrides: { logger: createLogger({ level: 'info', destination: logs.stream }) } });
  });
  afterAll(() => handle.close());

  it('requests to 100 random unknown paths add no metrics series beyond the first (one "unmatched" label)', async () => {
    await request(app).get('/warm-up-unknown-page');
    await request(app).get('/api/warm-up-unknown');
    await request(app).get('/assets/warm-up-missing.js');
    const before = await seriesCount();
    for (let i = 0; i < 100; i++) {
      const junk = `/p${i}-${Math.random().toString(36).slice(2)}`;
      expect((await request(app).get(junk)).status).toBe(404);
      expect((await request(app).get(`/api${junk}`)).status).toBe(404);
      expect((await request(app).get(`/assets${junk}.js`)).status).toBe(404);
      expect((await request(app).post(`/x${junk}`).send({})).status).toBe(404);
    }
    const after = await seriesCount();
    // POST on an unknown path is one new method for the same label: its counter and histogram.
    expect(after - before).toBeLessThanOrEqual(15);
    const text = await metricsText();
    expect(text).not.toMatch(/route="[^"]*p\d+-/);
    expect(text).toMatch(/fleetprompt_http_requests_total\{method="GET",route="unmatched",status="4xx"\}/);
  });

  it('pages and API routes are labelled by their route template, not by the path', async () => {
    await request(app).get('/packages/some-package-slug');
    await request(app).get('/installations/6a1e0c1e-5a4b-4c33-9a8b-1b2c3d4e5f60');
    const owner = await signedInAgent(app, handle, tenant);
    await owner.agent.get(`/api/tenants/${tenant.slug}/executions/not-a-real-id-at-all`);
    const text = await metricsText();
    expect(text).toContain('route="/packages/:slug"');
    expect(text).toContain('route="/installations/:id"');
    expect(text).not.toContain('some-package-slug');
    expect(text).not.toContain('not-a-real-id-at-all');
    expect(text).not.toContain(tenant.slug);
  });

  it.each(['/%ff', '/packages/%ff', '/installations/%E0%A4%A', '/api/packages/%ff', '/assets/%c0'])(
    'GET %s: a clean 400 with a stable code, no stack trace logged',
    async (path) => {
      const seen = logs.lines().length;
      const res = await request(app).get(path);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.message).toMatch(/percent-encoded/);
      const text = logs.lines().slice(seen).join('\n');
      expect(text).not.toMatch(/URIError|stack|unhandled error/);
    },
  );

  it('every answer says nosniff; API GETs say no-store; no HSTS unless configured', async () => {
    const owner = await signedInAgent(app, handle, tenant);
    for (const path of [
      `/api/tenants/${tenant.slug}/api-tokens`,
      `/api/tenants/${tenant.slug}/installations`,
      '/api/auth/session',
      `/api/tenants/${tenant.slug}/signals`,
    ]) {
      const res = await owner.agent.get(path);
      expect(res.status).toBe(200);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['strict-transport-security']).toBeUndefined();
    }
    const notFound = await request(app).get('/api/nothing-here');
    expect(notFound.headers['x-content-type-options']).toBe('nosniff');
    expect(notFound.headers['cache-control']).toBe('no-store');
    expect((await request(app).get('/healthz')).headers['x-content-type-options']).toBe('nosniff');
  });

  it('HSTS is sent when HSTS_MAX_AGE_SECONDS is set', async () => {
    const tls = buildTestApp({ db: handle.db, overrides: { http: { hstsMaxAgeSeconds: 31_536_000 } } });
    for (const path of ['/api/nothing-here', '/login', '/healthz']) {
      expect((await request(tls).get(path)).headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    }
  });

  it('the session cookie is Secure when PUBLIC_URL is https, whatever NODE_ENV says', async () => {
    const user = await createTestUser(handle, { memberships: [{ tenantId: tenant.id, role: 'member' }] });
    const https = buildTestApp({ db: handle.db, overrides: { auth: { publicUrl: 'https://fleet.example.com' } } });
    const res = await request(https).post('/api/auth/login').set('origin', 'https://fleet.example.com').send({ email: user.email, password: user.password });
    expect(res.status).toBe(200);
    expect(String(res.headers['set-cookie'])).toMatch(/fp_session=[^;]+;.*Secure/);
    const plain = await signIn(buildTestApp({ db: handle.db, overrides: { auth: { publicUrl: 'http://127.0.0.1:3000' } } }), user);
    expect(plain.session.user.id).toBe(user.id);
  });
});
