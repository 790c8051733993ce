// Security probe finding: the credential fingerprint was an unkeyed hash, so the same webhook in
// two tenants showed the same fingerprint and a guessed URL could be confirmed offline. Now it
// is keyed with a server key per tenant; rows from before (fingerprint removed by the migration)
// get theirs from `npm run keys:rotate`.
import { createHash, createHmac } from 'node:crypto';
import request from 'supertest';
import type { Client } from 'pg';
import { rotateCredentialKeys } from '../../../lib/credentials/rotate-credential-keys';
import type { DbHandle } from '../../../lib/db/client';
import { withTenant } from '../../../lib/db/with-tenant';
import { aRegisteredPackage } from '../../helpers/registered-package';
import { buildTestApp, TEST_KEYRING } from '../../helpers/app';
import { adminClient, createTestTenant, testDb, type TestTenant } from '../../helpers/db';

/** Any package will do here (the first the registry lists): what is tested is the core's. */
const PKG = aRegisteredPackage();

describe('credential fingerprints are keyed per tenant', () => {
  let handle: DbHandle;
  let admin: Client;
  let app: ReturnType<typeof buildTestApp>;
  const hookUrl = 'http://127.0.0.1:8065/hooks/xk3p9q7rj7fz8dm1tq5w3aabcd';

  const installAndConnect = async (t: TestTenant) => {
    const inst = await withTenant(handle.db, t.id, (tx) =>
      tx.installation.create({
        data: {
          tenantId: t.id,
          packageSlug: PKG.slug,
          packageVersion: PKG.first.version,
          status: 'installed',
          installedAt: new Date(),
          config: PKG.defaults(PKG.first.version),
        },
      }),
    );
    const res = await request(app)
      .put(`/api/tenants/${t.slug}/installations/${inst.id}/credential`)
      .set('authorization', `Bearer ${t.tokens.owner}`)
      .send({ kind: 'webhook', webhook_url: hookUrl, verify: 'dry_run' });
    if (res.status !== 200) throw new Error(JSON.stringify(res.body));
    return { installationId: inst.id, credential: res.body.credential as { id: string; fingerprint: string | null } };
  };

  beforeAll(async () => {
    handle = testDb();
    admin = await adminClient();
    // Connecting also reconciles the installation's schedule with Temporal; schedules are not under test here.
    app = buildTestApp({
      db: handle.db,
      overrides: { schedules: { reconcile: async () => ({ desiredVersion: 0, observedVersion: 0, scheduleId: null }), describe: async () => null } },
    });
  });
  afterAll(async () => {
    await admin.end();
    await handle.close();
  });

  it('the same webhook in two tenants has two different fingerprints, neither an unkeyed hash of the URL', async () => {
    const a = await createTestTenant(handle, 'fpa');
    const b = await createTestTenant(handle, 'fpb');
    const inA = await installAndConnect(a);
    const inB = await installAndConnect(b);
    expect(inA.credential.fingerprint).toMatch(/^[0-9a-f]{8}$/);
    expect(inB.credential.fingerprint).toMatch(/^[0-9a-f]{8}$/);
    expect(inA.credential.fingerprint).not.toBe(inB.credential.fingerprint);
    const offline = [
      createHash('sha256').update(hookUrl).digest('hex'),
      createHmac('sha256', 'fleetprompt:credential-fingerprint:v1').update(hookUrl).digest('hex'),
    ].map((h) => h.slice(0, 8));
    expect(offline).not.toContain(inA.credential.fingerprint);
    // The connected signal carries the same keyed value.
    const signal = await withTenant(handle.db, a.id, (tx) =>
      tx.signal.findFirst({ where: { type: 'integration.credential.connected' }, orderBy: { createdAt: 'desc' } }),
    );
    expect((signal!.payload as { fingerprint: string }).fingerprint).toBe(inA.credential.fingerprint);
    // Reconnecting the same webhook in the same tenant keeps the fingerprint ("same as before?").
    const again = await request(app)
      .put(`/api/tenants/${a.slug}/installations/${inA.installationId}/credential`)
      .set('authorization', `Bearer ${a.tokens.owner}`)
      .send({ kind: 'webhook', webhook_url: hookUrl, verify: 'dry_run' });
    expect(again.body.credential.fingerprint).toBe(inA.credential.fingerprint);
  });

  it('a credential from before (no fingerprint) shows null, and keys:rotate computes the keyed one', async () => {
    const t = await createTestTenant(handle, 'fplegacy');
    const { installationId, credential } = await installAndConnect(t);
    await admin.query('update integration_credentials set fingerprint = null where id = $1', [credential.id]);
    const before = await request(app)
      .get(`/api/tenants/${t.slug}/installations/${installationId}/credential`)
      .set('authorization', `Bearer ${t.tokens.member}`);
    expect(before.status).toBe(200);
    expect(before.body.credential.fingerprint).toBeNull();

    const report = await rotateCredentialKeys(handle.db, TEST_KEYRING);
    // (Other test files share the database: only this row's outcome is asserted.)
    expect(report.fingerprinted).toBeGreaterThanOrEqual(1);
    expect(report.unreadable).not.toContain(credential.id);
    const row = (await admin.query<{ fingerprint: string | null }>('select fingerprint from integration_credentials where id = $1', [credential.id])).rows[0];
    expect(row.fingerprint).toBe(credential.fingerprint);
    // A second run leaves it as it is.
    await rotateCredentialKeys(handle.db, TEST_KEYRING);
    expect(
      (await admin.query<{ fingerprint: string | null }>('select fingerprint from integration_credentials where id = $1', [credential.id])).rows[0].fingerprint,
    ).toBe(credential.fingerprint);
  });
});
