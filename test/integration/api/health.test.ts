import request from 'supertest';
import type { DbHandle } from '../../../lib/db/client';
import { buildTestApp } from '../../helpers/app';
import { testDb } from '../../helpers/db';
import { aRegisteredPackage } from '../../helpers/registered-package';
import { openTestTemporal, type TestTemporal } from '../../helpers/temporal';

describe('health endpoints and the error shape', () => {
  let handle: DbHandle;
  let t: TestTemporal;

  beforeAll(async () => {
    handle = testDb();
    t = await openTestTemporal();
  });
  afterAll(async () => {
    await t.close();
    await handle.close();
  });

  it('/healthz answers without touching dependencies', async () => {
    const res = await request(buildTestApp({ db: handle.db })).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('/readyz is ready when the database, migrations and Temporal are', async () => {
    const res = await request(buildTestApp({ db: handle.db, temporal: t.temporal })).get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ready', checks: { database: { ok: true }, migrations: { ok: true }, temporal: { ok: true } } });
  });

  it('/readyz is 503 and says why when Temporal is unreachable or migrations are pending', async () => {
    const app = buildTestApp({ db: handle.db, overrides: { pendingMigrations: async () => ['20990101000000_future'], temporalReachable: async () => false } });
    const res = await request(app).get('/readyz');
    expect(res.status).toBe(503);
    expect(res.body).toEqual({
      status: 'not_ready',
      checks: {
        database: { ok: true },
        migrations: { ok: false, detail: 'pending: 20990101000000_future' },
        temporal: { ok: false, detail: 'temporal unreachable' },
      },
    });
  });

  it('unknown API routes and unexpected errors use the one JSON error shape; a 500 hides its cause', async () => {
    const notFound = await request(buildTestApp({ db: handle.db })).get('/api/nope');
    expect(notFound.status).toBe(404);
    expect(notFound.body).toEqual({ error: { code: 'NOT_FOUND', message: 'No API route GET /nope.' } });

    const broken = buildTestApp({
      db: {
        ...handle.db,
        package: {
          findMany: async () => {
            throw new Error('connection string postgres://secret@db');
          },
        },
      } as unknown as typeof handle.db,
    });
    const res = await request(broken).get('/api/packages');
    expect(res.status).toBe(500);
    expect(res.body.error.code).toBe('INTERNAL');
    expect(JSON.stringify(res.body)).not.toContain('secret');
  });

  it('serves the package registry', async () => {
    const { seedRegistry } = await import('../../../lib/seed/seed-registry');
    await seedRegistry(handle.db, (await import('../../../packages/registry')).defaultPackageCatalog());
    // Any registered package (the first listed), described by its definition.
    const pkg = aRegisteredPackage();
    const newestFirst = pkg.versions.map((v) => v.version).reverse();
    const list = await request(buildTestApp({ db: handle.db })).get('/api/packages');
    expect(list.body.items.map((p: { slug: string }) => p.slug)).toContain(pkg.slug);
    const one = await request(buildTestApp({ db: handle.db })).get(`/api/packages/${pkg.slug}`);
    expect(one.body).toMatchObject({
      slug: pkg.slug,
      version: pkg.latest.version,
      category: pkg.identity.category,
      publisher: pkg.identity.publisher,
      versions: newestFirst,
    });
    expect(one.body.manifest.provides.workflow_templates.map((w: { key: string }) => w.key)).toEqual(pkg.latest.provides.workflow_templates.map((w) => w.key));
    // The published config schema is JSON Schema generated from the version's zod schema: every
    // setting, with its default.
    expect(one.body.manifest.config_schema).toMatchObject({ type: 'object', additionalProperties: false });
    const defaults = pkg.defaults(pkg.latest.version);
    expect(Object.keys(one.body.manifest.config_schema.properties).sort()).toEqual(Object.keys(defaults).sort());
    for (const [key, value] of Object.entries(defaults)) expect(one.body.manifest.config_schema.properties[key].default).toEqual(value);
    expect(one.body.changelog.map((c: { version: string }) => c.version)).toEqual(newestFirst);
    const missing = await request(buildTestApp({ db: handle.db })).get('/api/packages/nope');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('PACKAGE_NOT_FOUND');
  });
});
