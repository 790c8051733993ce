// A tenant with the digest installed on the shared test stack (test/helpers/digest-stack.ts), and,
// unless told otherwise, connected to a webhook (or a token) of the Mattermost fake.
import request from 'supertest';
import { withTenant } from '../../../../lib/db/with-tenant';
import { auth, type DigestStack } from '../../../../test/helpers/digest-stack';
import { createTestTenant, waitFor, type TestTenant } from '../../../../test/helpers/db';
import { DIGEST_PACKAGE_SLUG } from '../../definition';

/** A tenant with the digest installed (and, unless told otherwise, connected to a fake webhook). */
export async function installedTenant(
  s: DigestStack,
  options: { connect?: 'webhook' | 'pat' | false; channel?: string; config?: Record<string, unknown>; hookChannel?: string; version?: string } = {},
): Promise<{ tenant: TestTenant; installationId: string; hookUrl?: string }> {
  const tenant = await createTestTenant(s.handle, 'dg');
  const res = await request(s.app)
    .post(`/api/tenants/${tenant.slug}/installations`)
    .set(auth(tenant))
    .send({ package_slug: DIGEST_PACKAGE_SLUG, version: options.version, config: options.config });
  const installationId = res.body.installation.id as string;
  await waitFor(
    async () => (await withTenant(s.handle.db, tenant.id, (tx) => tx.installation.findUnique({ where: { id: installationId } })))?.status === 'installed',
  );
  if (options.channel !== undefined) {
    await request(s.app)
      .put(`/api/tenants/${tenant.slug}/installations/${installationId}/config`)
      .set(auth(tenant))
      .send({ channel: options.channel })
      .expect(200);
  }
  let hookUrl: string | undefined;
  if (options.connect === 'pat') {
    await request(s.app)
      .put(`/api/tenants/${tenant.slug}/installations/${installationId}/credential`)
      .set(auth(tenant))
      .send({ kind: 'pat', base_url: s.fake.url, token: s.fake.token, team: s.fake.team.name })
      .expect(200);
  } else if (options.connect !== false) {
    hookUrl = s.fake.hookUrl(s.fake.createHook({ channel: options.hookChannel ?? 'town-square' }));
    await request(s.app)
      .put(`/api/tenants/${tenant.slug}/installations/${installationId}/credential`)
      .set(auth(tenant))
      .send({ kind: 'webhook', webhook_url: hookUrl, verify: 'dry_run' })
      .expect(200);
  }
  return { tenant, installationId, hookUrl };
}
