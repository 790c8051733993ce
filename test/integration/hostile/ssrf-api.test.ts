// The SSRF guard through the API, as a tenant admin would meet it: Connect Mattermost with a
// webhook URL or a base URL that points inward is refused (422 CREDENTIAL_REJECTED, stable
// mattermost_code URL_NOT_ALLOWED), nothing is sent there and nothing is stored; other schemes
// never get past the schema (400); a redirect is not followed. The production configuration has
// an empty allow-list; only the redirect case runs with the development allow-list.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import type { Express } from 'express';
import type { DbHandle } from '../../../lib/db/client';
import { withTenant } from '../../../lib/db/with-tenant';
import { createMattermostClient } from '../../../lib/mattermost';
import { startFakeMattermost, type FakeMattermost } from '../../fakes/mattermost-server';
import { buildTestApp } from '../../helpers/app';
import { testDb } from '../../helpers/db';
import { hostileTenant, type HostileTenant } from './hostile-support';

jest.setTimeout(60_000);

describe('SSRF guard through Connect Mattermost', () => {
  let handle: DbHandle;
  let fake: FakeMattermost;
  let production: Express;
  let development: Express;
  let h: HostileTenant;
  let hookKey: string;

  beforeAll(async () => {
    handle = testDb();
    fake = await startFakeMattermost();
    production = buildTestApp({ db: handle.db, overrides: { allowedHosts: [], mattermost: createMattermostClient({ allowedHosts: [], timeoutMs: 2_000 }) } });
    development = buildTestApp({ db: handle.db });
    h = await hostileTenant(handle);
    hookKey = fake.createHook({ channel: 'town-square' });
  });
  afterAll(async () => {
    await fake?.close();
    await handle?.close();
  });

  const connect = (app: Express, body: object) =>
    request(app)
      .put(`/api/tenants/${h.tenant.slug}/installations/${h.installationId}/credential`)
      .set('authorization', `Bearer ${h.tenant.tokens.owner}`)
      .send(body);

  const storedCredentials = () => withTenant(handle.db, h.tenant.id, (tx) => tx.integrationCredential.count());

  const inward = () => [
    `http://127.0.0.1:${fake.port}`,
    `http://localhost:${fake.port}`,
    `http://[::1]:${fake.port}`,
    `http://[::ffff:127.0.0.1]:${fake.port}`,
    `http://2130706433:${fake.port}`,
    `http://0x7f.0.0.1:${fake.port}`,
    `http://0.0.0.0:${fake.port}`,
    'http://169.254.169.254',
    'http://[fd00:ec2::254]',
    'http://10.0.0.1',
    'http://172.16.0.1',
    'http://192.168.0.1',
    'http://100.64.0.1',
    'http://[fe80::1]',
  ];

  it('a webhook URL pointing inward is refused (test post and dry run): 422 URL_NOT_ALLOWED, nothing sent, nothing stored', async () => {
    for (const origin of inward()) {
      for (const verify of ['test_post', 'dry_run']) {
        const res = await connect(production, { kind: 'webhook', webhook_url: `${origin}/hooks/${hookKey}`, verify });
        expect({ origin, verify, status: res.status, code: res.body.error?.code, mattermost_code: res.body.error?.details?.mattermost_code }).toEqual({
          origin,
          verify,
          status: 422,
          code: 'CREDENTIAL_REJECTED',
          mattermost_code: 'URL_NOT_ALLOWED',
        });
        expect(res.text).not.toContain(hookKey);
      }
    }
    expect(fake.requests()).toEqual([]);
    expect(await storedCredentials()).toBe(0);
  });

  it('a Mattermost base URL pointing inward is refused before the token is sent anywhere', async () => {
    for (const origin of inward()) {
      const res = await connect(production, { kind: 'pat', base_url: origin, token: fake.token, team: fake.team.name });
      expect({ origin, status: res.status, mattermost_code: res.body.error?.details?.mattermost_code }).toEqual({
        origin,
        status: 422,
        mattermost_code: 'URL_NOT_ALLOWED',
      });
      expect(res.text).not.toContain(fake.token);
    }
    expect(fake.requests()).toEqual([]);
    expect(await storedCredentials()).toBe(0);
  });

  it('only http(s): other schemes are a 400 from the schema', async () => {
    for (const url of [
      `ftp://127.0.0.1/hooks/${hookKey}`,
      `file:///etc/passwd`,
      `gopher://127.0.0.1:70/_x`,
      `javascript:alert(1)`,
      `ws://127.0.0.1/hooks/${hookKey}`,
      `data:text/plain,x`,
    ]) {
      const web = await connect(production, { kind: 'webhook', webhook_url: url, verify: 'test_post' });
      const pat = await connect(production, { kind: 'pat', base_url: url, token: 'abcdefghijklmnopqrstuvwxyz' });
      expect([web.status, web.body.error.code, pat.status, pat.body.error.code]).toEqual([400, 'VALIDATION_FAILED', 400, 'VALIDATION_FAILED']);
    }
    expect(await storedCredentials()).toBe(0);
  });

  it('development allow-list: a webhook that answers with a redirect is refused and the Location is never contacted', async () => {
    let hits = 0;
    const target = http.createServer((_req, res) => {
      hits++;
      res.end('ok');
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    try {
      const location = `http://127.0.0.1:${(target.address() as AddressInfo).port}/hooks/${hookKey}`;
      fake.reset();
      fake.failNext(1, 'redirect', { route: 'hooks', location });
      const res = await connect(development, { kind: 'webhook', webhook_url: fake.hookUrl(hookKey), verify: 'test_post' });
      expect(res.status).toBe(422);
      expect(res.body.error.details).toMatchObject({ mattermost_code: 'REDIRECT_NOT_FOLLOWED', kind: 'validation' });
      expect(hits).toBe(0);
      expect(fake.received()).toHaveLength(0);
      expect(await storedCredentials()).toBe(0);
    } finally {
      target.closeAllConnections();
      await new Promise<void>((resolve) => target.close(() => resolve()));
    }
  });
});
