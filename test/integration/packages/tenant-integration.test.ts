// Integrations belong to the tenant: Mattermost is connected once, and every installed package
// binds to that connection with its own channel — now, and when a package is installed later.
import request from 'supertest';
import { withTenant } from '../../../lib/db/with-tenant';
import { auth, openDigestStack, postsWithMarker, waitForExecution, type DigestStack } from '../../helpers/digest-stack';
import { createTestTenant, waitFor, type TestTenant } from '../../helpers/db';

describe('tenant-level Mattermost connection', () => {
  let s: DigestStack;
  beforeAll(async () => {
    s = await openDigestStack();
  });
  afterAll(() => s?.close());

  const install = async (tenant: TestTenant, slug: string, config: object) => {
    const res = await request(s.app).post(`/api/tenants/${tenant.slug}/installations`).set(auth(tenant)).send({ package_slug: slug, config });
    expect(res.status).toBe(202);
    const id = res.body.installation.id as string;
    return waitFor(async () => {
      const i = await withTenant(s.handle.db, tenant.id, (tx) => tx.installation.findUnique({ where: { id } }));
      return i?.status === 'installed' ? i : undefined;
    });
  };

  it('connects once; the digest and the alerts bind to it with their own channels; later installs bind too', async () => {
    const tenant = await createTestTenant(s.handle, 'ti');
    const digest = await install(tenant, 'mattermost_daily_ops_digest', { channel: 'town-square' });
    const alerts = await install(tenant, 'mattermost_failure_alerts', { channel: 'ops' });
    expect(digest.credentialId).toBeNull();

    const connect = () =>
      request(s.app)
        .put(`/api/tenants/${tenant.slug}/integrations/mattermost`)
        .set(auth(tenant))
        .send({ kind: 'pat', base_url: s.fake.url, token: s.fake.token, team: s.fake.team.name });
    const res = await connect();
    expect(res.status).toBe(200);
    expect(new Set(res.body.bound_now)).toEqual(new Set([digest.id, alerts.id]));
    expect(res.body.connection).toMatchObject({ provider: 'mattermost', kind: 'pat', status: 'connected' });
    expect(JSON.stringify(res.body)).not.toContain(s.fake.token);
    const state = await request(s.app).get(`/api/tenants/${tenant.slug}/integrations/mattermost`).set(auth(tenant, 'member'));
    expect(state.body.bindings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          installation_id: digest.id,
          package_slug: 'mattermost_daily_ops_digest',
          package_name: 'Mattermost Daily Ops Digest',
          channel: 'town-square',
          bound_to: 'tenant',
        }),
        expect.objectContaining({ installation_id: alerts.id, package_slug: 'mattermost_failure_alerts', channel: 'ops', bound_to: 'tenant' }),
      ]),
    );

    // The digest posts through the tenant's connection to its own channel.
    s.fake.reset();
    const run = await request(s.app).post(`/api/tenants/${tenant.slug}/installations/${digest.id}/runs`).set(auth(tenant)).send({});
    expect((await waitForExecution(s, tenant, run.body.execution.id)).status).toBe('succeeded');
    expect(postsWithMarker(s.fake).map((p) => p.channelName)).toEqual(['town-square']);

    // Reconnecting updates the same connection (bound installations follow), binds nothing new.
    const again = await connect();
    expect(again.body).toMatchObject({ reconnect: true, bound_now: [], connection: { id: res.body.connection.id } });

    // A package installed after the tenant connected binds at provisioning.
    const gone = await request(s.app).delete(`/api/tenants/${tenant.slug}/installations/${alerts.id}`).set(auth(tenant));
    expect(gone.status).toBe(202);
    await waitFor(
      async () => (await withTenant(s.handle.db, tenant.id, (tx) => tx.installation.findUnique({ where: { id: alerts.id } })))?.status === 'uninstalled',
    );
    // Uninstalling one package unbinds it; the tenant's connection stays for the others.
    const afterUninstall = await withTenant(s.handle.db, tenant.id, (tx) => tx.installation.findUniqueOrThrow({ where: { id: alerts.id } }));
    expect(afterUninstall.credentialId).toBeNull();
    expect(
      (await withTenant(s.handle.db, tenant.id, (tx) => tx.integrationCredential.findUniqueOrThrow({ where: { id: res.body.connection.id } }))).status,
    ).toBe('connected');
    const reinstalled = await install(tenant, 'mattermost_failure_alerts', { channel: 'ops', window_minutes: 3 });
    expect(reinstalled.credentialId).toBe(res.body.connection.id);
    expect(reinstalled.config).toMatchObject({ channel: 'ops', mattermost_credential_id: res.body.connection.id });

    // One connection per tenant in the database.
    expect(await withTenant(s.handle.db, tenant.id, (tx) => tx.tenantIntegration.count())).toBe(1);
  });
});
