// Cross-site request forgery: a cookie-authenticated state change needs our origin and the
// session's CSRF token; a classic cross-site HTML form post can never change state; bearer-token
// requests (no ambient credential) are unaffected.
import type { Express } from 'express';
import request from 'supertest';
import type { DbHandle } from '../../../lib/db/client';
import { aRegisteredPackage } from '../../helpers/registered-package';
import { buildTestApp } from '../../helpers/app';
import { adminClient, createTestTenant, testDb, type TestTenant } from '../../helpers/db';
import { createTestUser, signIn, signedInAgent, type SignedIn } from '../../helpers/session';

/** Any package will do here (the first the registry lists): what is tested is the core's. */
const PKG = aRegisteredPackage();

const noopStarter = { start: async () => ({ started: true }) };

describe('CSRF protection', () => {
  let handle: DbHandle;
  let app: Express;
  let tenant: TestTenant;
  let owner: SignedIn;

  /** Rows a state change in this tenant would leave behind. */
  async function writes(): Promise<number> {
    const pg = await adminClient();
    try {
      const { rows } = await pg.query(
        `select (select count(*) from api_tokens where tenant_id = $1)::int
              + (select count(*) from installations where tenant_id = $1)::int
              + (select count(*) from directives where tenant_id = $1)::int as n`,
        [tenant.id],
      );
      return rows[0].n;
    } finally {
      await pg.end();
    }
  }

  beforeAll(async () => {
    handle = testDb();
    app = buildTestApp({ db: handle.db, starter: noopStarter });
    tenant = await createTestTenant(handle, 'csrf');
    owner = await signedInAgent(app, handle, tenant, 'owner');
  });
  afterAll(async () => {
    await handle.close();
  });

  const tokensPath = () => `/api/tenants/${tenant.slug}/api-tokens`;
  const mint = () => owner.agent.post(tokensPath());

  describe('refused, and nothing is written', () => {
    const cases: [string, () => request.Test, number][] = [
      ['no CSRF token', () => mint().send({ name: 'x', role: 'member' }), 403],
      ['a forged CSRF token', () => mint().set('x-csrf-token', 'forged-token-forged-token-forged-token-0000').send({ name: 'x', role: 'member' }), 403],
      ['an empty CSRF token', () => mint().set('x-csrf-token', '').send({ name: 'x', role: 'member' }), 403],
      [
        'the CSRF token with one character changed',
        () =>
          mint()
            .set('x-csrf-token', owner.csrfToken.slice(0, -1) + (owner.csrfToken.endsWith('A') ? 'B' : 'A'))
            .send({ name: 'x', role: 'member' }),
        403,
      ],
      [
        'a valid token but a cross-origin Origin',
        () => mint().set('x-csrf-token', owner.csrfToken).set('origin', 'https://evil.example').send({ name: 'x', role: 'member' }),
        403,
      ],
      [
        'a valid token but Origin: null (sandboxed frame)',
        () => mint().set('x-csrf-token', owner.csrfToken).set('origin', 'null').send({ name: 'x', role: 'member' }),
        403,
      ],
      [
        'a valid token, no Origin, a cross-origin Referer',
        () => mint().set('x-csrf-token', owner.csrfToken).set('referer', 'https://evil.example/page').send({ name: 'x', role: 'member' }),
        403,
      ],
      [
        'a valid token but Sec-Fetch-Site: cross-site',
        () => mint().set('x-csrf-token', owner.csrfToken).set('sec-fetch-site', 'cross-site').send({ name: 'x', role: 'member' }),
        403,
      ],
      [
        'an origin that only starts like ours',
        () =>
          mint()
            .set('x-csrf-token', owner.csrfToken)
            .set('host', 'fleet.test')
            .set('origin', 'http://fleet.test.evil.example')
            .send({ name: 'x', role: 'member' }),
        403,
      ],
      ['DELETE without a token', () => owner.agent.delete(`${tokensPath()}/00000000-0000-4000-8000-000000000000`), 403],
      // A classic cross-site HTML form: the browser sends the cookie, an Origin, a form body and no custom header.
      ['a cross-site urlencoded form post', () => mint().set('origin', 'https://evil.example').type('form').send({ name: 'x', role: 'owner' }), 403],
      [
        'a cross-site form post to install a package',
        () => owner.agent.post(`/api/tenants/${tenant.slug}/installations`).set('origin', 'https://evil.example').type('form').send({ package_slug: PKG.slug }),
        403,
      ],
      // Even if a browser sent no Origin at all: a form has no CSRF header…
      ['a form post without Origin', () => mint().type('form').send({ name: 'x', role: 'owner' }), 403],
      // …and with the CSRF layer passed, a non-JSON body is still refused.
      ['a urlencoded body with a valid token', () => mint().set('x-csrf-token', owner.csrfToken).type('form').send({ name: 'x', role: 'member' }), 415],
      [
        'a text/plain body shaped like JSON (enctype=text/plain)',
        () => mint().set('x-csrf-token', owner.csrfToken).set('content-type', 'text/plain').send('{"name":"x","role":"member"}'),
        415,
      ],
      ['a multipart body', () => mint().set('x-csrf-token', owner.csrfToken).field('name', 'x').field('role', 'member'), 415],
      [
        'a body with no content type',
        () => mint().set('x-csrf-token', owner.csrfToken).set('content-type', '').send(Buffer.from('{"name":"x","role":"member"}')),
        415,
      ],
    ];

    it.each(cases)('%s', async (_name, send, status) => {
      const before = await writes();
      const res = await send();
      expect(res.status).toBe(status);
      expect(res.body.error.code).toBe(status === 403 ? 'CSRF_FAILED' : 'UNSUPPORTED_MEDIA_TYPE');
      expect(await writes()).toBe(before);
    });
  });

  it("another session's CSRF token does not work for this session", async () => {
    const other = await signedInAgent(app, handle, tenant, 'owner');
    const res = await mint().set('x-csrf-token', other.csrfToken).send({ name: 'x', role: 'member' });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('CSRF_FAILED');
  });

  it('same-origin requests with the token pass: no Origin, Origin matching Host, Origin matching PUBLIC_URL', async () => {
    const plain = await mint().set('x-csrf-token', owner.csrfToken).send({ name: 'plain', role: 'member' });
    expect(plain.status).toBe(201);
    const byHost = await mint()
      .set('x-csrf-token', owner.csrfToken)
      .set('host', 'fleet.test:8080')
      .set('origin', 'http://fleet.test:8080')
      .send({ name: 'host', role: 'member' });
    expect(byHost.status).toBe(201);
    const byReferer = await mint()
      .set('x-csrf-token', owner.csrfToken)
      .set('host', 'fleet.test')
      .set('referer', 'http://fleet.test/tenants/x')
      .send({ name: 'referer', role: 'member' });
    expect(byReferer.status).toBe(201);
    const sameOrigin = await mint().set('x-csrf-token', owner.csrfToken).set('sec-fetch-site', 'same-origin').send({ name: 'sfs', role: 'member' });
    expect(sameOrigin.status).toBe(201);

    const publicApp = buildTestApp({
      db: handle.db,
      starter: noopStarter,
      overrides: { auth: { publicUrl: 'https://fleet.example.com/', secureCookies: false } },
    }); // supertest speaks plain HTTP: a Secure cookie would not be sent back
    const user = await createTestUser(handle, { memberships: [{ tenantId: tenant.id, role: 'admin' }] });
    const login = await request(publicApp)
      .post('/api/auth/login')
      .set('origin', 'https://fleet.example.com')
      .send({ email: user.email, password: user.password });
    expect(login.status).toBe(200);
    const { agent, csrfToken } = await signIn(publicApp, user);
    const viaPublic = await agent
      .post(tokensPath())
      .set('x-csrf-token', csrfToken)
      .set('origin', 'https://fleet.example.com')
      .send({ name: 'public', role: 'member' });
    expect(viaPublic.status).toBe(201);
    const http = await agent
      .post(tokensPath())
      .set('x-csrf-token', csrfToken)
      .set('origin', 'http://fleet.example.com:8443')
      .send({ name: 'public', role: 'member' });
    expect(http.status).toBe(403);
  });

  it('reads need no CSRF token', async () => {
    const res = await owner.agent.get(`/api/tenants/${tenant.slug}/installations`).set('origin', 'https://evil.example');
    expect(res.status).toBe(200);
  });

  it('bearer-token requests are unaffected: no CSRF token, any Origin, and a cookie alongside is ignored', async () => {
    const bearer = await request(app)
      .post(tokensPath())
      .set('authorization', `Bearer ${tenant.tokens.owner}`)
      .set('origin', 'https://automation.example')
      .send({ name: 'bearer', role: 'member' });
    expect(bearer.status).toBe(201);
    const withCookie = await owner.agent
      .post(tokensPath())
      .set('authorization', `Bearer ${tenant.tokens.admin}`)
      .send({ name: 'bearer+cookie', role: 'member' });
    expect(withCookie.status).toBe(201);
    const install = await request(app)
      .post(`/api/tenants/${tenant.slug}/installations`)
      .set('authorization', `Bearer ${tenant.tokens.owner}`)
      .send({ package_slug: PKG.slug });
    expect(install.status).toBe(202);
    // But a bearer request still has to send JSON.
    const form = await request(app).post(tokensPath()).set('authorization', `Bearer ${tenant.tokens.owner}`).type('form').send({ name: 'f', role: 'member' });
    expect(form.status).toBe(415);
  });
});
