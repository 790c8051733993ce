// Tenant isolation end to end, through the API: a token of tenant A, and a signed-in user who is a
// member of A only, try to read, change, run and even detect tenant B's installations,
// credentials, schedules, health, runs, directives, signals, timelines and API tokens — by B's
// slug and by B's ids under A's own slug. Every attempt must answer exactly as for something that
// does not exist at all (404, not 403, byte-for-byte the same body), lists must not contain B's
// rows, and afterwards nothing of B has changed and nothing was posted for B.
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Client } from 'pg';
import { withTenant } from '../../../../lib/db/with-tenant';
import { DIGEST_PACKAGE_SLUG } from '../../definition';
import { adminClient, type TestTenant } from '../../../../test/helpers/db';
import { auth, openDigestStack, waitForExecution, type DigestStack } from '../../../../test/helpers/digest-stack';
import { installedTenant } from '../helpers/installed-digest';
import { createTestUser, signIn, type SignedIn } from '../../../../test/helpers/session';
import { fingerprint } from '../../../../test/integration/hostile/hostile-support';

jest.setTimeout(120_000);

interface Ids {
  inst: string;
  exec: string;
  dir: string;
  tok: string;
  corr: string;
  sigCorr: string;
}

interface Probe {
  method: 'get' | 'post' | 'put' | 'delete';
  path: string;
  body?: object;
  /** What an unknown id gets: 404 for a resource, 200 with nothing for a list or a timeline. */
  kind: 'resource' | 'list';
}

const quiet = () => `${String(new Date(Date.now() + 12 * 3_600_000).getUTCHours()).padStart(2, '0')}:00`;

describe('tenant isolation through the API (404, never 403; indistinguishable from absent)', () => {
  let s: DigestStack;
  let admin: Client;
  let a: TestTenant;
  let b: TestTenant;
  let bIds: Ids;
  let bHook: string;
  let session: SignedIn;
  const outcomes = new Map<string, number>();

  beforeAll(async () => {
    s = await openDigestStack();
    admin = await adminClient();
    ({ tenant: a } = await installedTenant(s, { config: { timezone: 'UTC', schedule_time: quiet() } }));
    const B = await installedTenant(s, { config: { timezone: 'UTC', schedule_time: quiet() } });
    b = B.tenant;
    bHook = B.hookUrl!;
    // Give B one of everything: a finished run, a directive, an ingested signal, an extra API token.
    const run = await request(s.app).post(`/api/tenants/${b.slug}/installations/${B.installationId}/runs`).set(auth(b)).send({});
    const execution = await waitForExecution(s, b, run.body.execution.id, 60_000);
    const directive = await withTenant(s.handle.db, b.id, (tx) => tx.directive.findFirstOrThrow({}));
    const token = await request(s.app).post(`/api/tenants/${b.slug}/api-tokens`).set(auth(b)).send({ name: 'b-ci', role: 'member' });
    const sigCorr = `b-ci-run-${randomUUID()}`;
    expect(
      (
        await request(s.app)
          .post(`/api/tenants/${b.slug}/signals`)
          .set(auth(b))
          .send({ signals: [{ type: 'agent.execution.failed', correlation_id: sigCorr, payload: { error: 'b secret detail' } }] })
      ).status,
    ).toBe(200);
    bIds = { inst: B.installationId, exec: execution.id, dir: directive.id, tok: token.body.id, corr: execution.correlationId, sigCorr };
    // A person who belongs to A only, signed in (session cookie + CSRF token).
    session = await signIn(s.app, await createTestUser(s.handle, { memberships: [{ tenantId: a.id, role: 'owner' }] }));
  });
  afterAll(async () => {
    console.log(`isolation probes: ${[...outcomes.entries()].map(([k, n]) => `${k}: ${n}`).join(', ')}`);
    await admin?.end();
    await s?.close();
  });

  const probes = (ids: Ids): Probe[] => [
    { method: 'get', path: `/installations/${ids.inst}`, kind: 'resource' },
    { method: 'delete', path: `/installations/${ids.inst}`, kind: 'resource' },
    { method: 'get', path: `/installations/${ids.inst}/credential`, kind: 'resource' },
    { method: 'put', path: `/installations/${ids.inst}/credential`, body: { kind: 'webhook', webhook_url: bHook, verify: 'dry_run' }, kind: 'resource' },
    { method: 'delete', path: `/installations/${ids.inst}/credential`, kind: 'resource' },
    { method: 'put', path: `/installations/${ids.inst}/config`, body: { channel: 'ops', enabled: false }, kind: 'resource' },
    { method: 'get', path: `/installations/${ids.inst}/schedule`, kind: 'resource' },
    { method: 'get', path: `/installations/${ids.inst}/health`, kind: 'resource' },
    { method: 'post', path: `/installations/${ids.inst}/runs`, body: {}, kind: 'resource' },
    { method: 'post', path: `/installations/${ids.inst}/upgrade`, body: { version: '1.1.0' }, kind: 'resource' },
    { method: 'get', path: `/installations/${ids.inst}/digest-preview`, kind: 'resource' },
    { method: 'get', path: `/executions/${ids.exec}`, kind: 'resource' },
    { method: 'post', path: `/executions/${ids.exec}/retry`, body: {}, kind: 'resource' },
    { method: 'get', path: `/directives/${ids.dir}`, kind: 'resource' },
    { method: 'delete', path: `/api-tokens/${ids.tok}`, kind: 'resource' },
    { method: 'get', path: `/timeline/${encodeURIComponent(ids.corr)}`, kind: 'list' },
    { method: 'get', path: `/timeline/${encodeURIComponent(ids.sigCorr)}`, kind: 'list' },
    { method: 'get', path: `/executions?installation_id=${ids.inst}`, kind: 'list' },
    { method: 'get', path: `/executions?correlation_id=${encodeURIComponent(ids.corr)}`, kind: 'list' },
    { method: 'get', path: `/directives?installation_id=${ids.inst}`, kind: 'list' },
    { method: 'get', path: `/signals?correlation_id=${encodeURIComponent(ids.sigCorr)}`, kind: 'list' },
    { method: 'get', path: `/signals?correlation_id=${encodeURIComponent(ids.corr)}`, kind: 'list' },
  ];

  const randomIds = (): Ids => ({
    inst: randomUUID(),
    exec: randomUUID(),
    dir: randomUUID(),
    tok: randomUUID(),
    corr: `digest:${randomUUID()}:manual:${randomUUID()}`,
    sigCorr: `b-ci-run-${randomUUID()}`,
  });

  type Caller = { name: string; send(p: Probe, tenantSlug: string): Promise<request.Response> };
  const callers = (): Caller[] => [
    {
      name: 'A owner token',
      send: (p, slug) => {
        const req = request(s.app)[p.method](`/api/tenants/${slug}${p.path}`).set(auth(a));
        return p.body ? req.send(p.body) : req;
      },
    },
    {
      name: 'A member session',
      send: (p, slug) => {
        const req = session.agent[p.method](`/api/tenants/${slug}${p.path}`).set('x-csrf-token', session.csrfToken);
        return p.body ? req.send(p.body) : req;
      },
    },
  ];

  /** The answer with the ids in it replaced, and nothing that varies per request. */
  function normalized(res: request.Response, ids: Ids, slug: string): string {
    let text = res.text;
    // Longest first: a correlation id contains an execution id.
    for (const [k, v] of Object.entries(ids).sort((x, y) => y[1].length - x[1].length))
      text = text.split(v).join(`<${k}>`).split(encodeURIComponent(v)).join(`<${k}>`);
    return `${res.status} ${text.split(slug).join('<slug>')}`;
  }

  const count = (res: request.Response) => {
    const key = `${res.status} ${res.body?.error?.code ?? 'ok'}`;
    outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
  };

  it('B’s ids under A’s own slug: exactly the answer for ids that do not exist (404 for resources, nothing in lists)', async () => {
    const before = await fingerprint(admin, b);
    for (const caller of callers()) {
      const real = probes(bIds);
      const absentIds = randomIds();
      const absent = probes(absentIds);
      for (let i = 0; i < real.length; i++) {
        const got = await caller.send(real[i], a.slug);
        const none = await caller.send(absent[i], a.slug);
        count(got);
        const label = `${caller.name} ${real[i].method.toUpperCase()} ${real[i].path}`;
        expect({ label, status: got.status }).toEqual({ label, status: real[i].kind === 'resource' ? 404 : 200 });
        expect({ label, answer: normalized(got, bIds, a.slug) }).toEqual({ label, answer: normalized(none, absentIds, a.slug) });
        // Nothing of B beyond what the caller sent (a correlation id is echoed back as given).
        expect(normalized(got, bIds, a.slug)).not.toContain(b.id);
        expect(got.text).not.toContain('b secret detail');
      }
    }
    expect(await fingerprint(admin, b)).toEqual(before);
  });

  it('B’s slug: every route answers as for a tenant that does not exist (404 TENANT_NOT_FOUND)', async () => {
    const before = await fingerprint(admin, b);
    const extra: Probe[] = [
      { method: 'get', path: '/installations', kind: 'resource' },
      { method: 'post', path: '/installations', body: { package_slug: DIGEST_PACKAGE_SLUG }, kind: 'resource' },
      { method: 'get', path: '/executions', kind: 'resource' },
      { method: 'get', path: '/directives', kind: 'resource' },
      { method: 'get', path: '/signals', kind: 'resource' },
      { method: 'post', path: '/signals', body: { signals: [{ type: 'agent.execution.failed' }] }, kind: 'resource' },
      { method: 'get', path: '/api-tokens', kind: 'resource' },
      { method: 'post', path: '/api-tokens', body: { name: 'x', role: 'owner' }, kind: 'resource' },
    ];
    const ghost = `ghost-${randomUUID().slice(0, 8)}`;
    for (const caller of callers()) {
      for (const p of [...extra, ...probes(bIds)]) {
        const got = await caller.send(p, b.slug);
        const none = await caller.send(p, ghost);
        count(got);
        const label = `${caller.name} ${p.method.toUpperCase()} /tenants/<B>${p.path}`;
        expect({ label, status: got.status, code: got.body.error?.code }).toEqual({ label, status: 404, code: 'TENANT_NOT_FOUND' });
        expect({ label, answer: got.text.split(b.slug).join('<slug>') }).toEqual({ label, answer: none.text.split(ghost).join('<slug>') });
      }
    }
    expect(await fingerprint(admin, b)).toEqual(before);
  });

  it('A’s lists never show B’s rows, and B’s tokens do not work on A either', async () => {
    for (const path of ['/installations', '/executions', '/directives', '/signals?limit=200', '/api-tokens']) {
      const res = await request(s.app).get(`/api/tenants/${a.slug}${path}`).set(auth(a));
      expect(res.status).toBe(200);
      for (const v of [b.id, ...Object.values(bIds)]) expect(res.text).not.toContain(v);
    }
    const reverse = await request(s.app).get(`/api/tenants/${a.slug}/installations`).set(auth(b));
    expect([reverse.status, reverse.body.error.code]).toEqual([404, 'TENANT_NOT_FOUND']);
    // B's member token is no key to A either, whatever A's resource.
    const member = await request(s.app).get(`/api/tenants/${a.slug}/executions`).set(auth(b, 'member'));
    expect(member.status).toBe(404);
  });

  it('afterwards B is untouched: its installation, credential and schedule as before, and nothing was posted for it', async () => {
    const res = await request(s.app).get(`/api/tenants/${b.slug}/installations/${bIds.inst}`).set(auth(b));
    expect(res.body).toMatchObject({ status: 'installed' });
    expect(res.body.config).toMatchObject({ enabled: true, channel: null });
    const credential = await request(s.app).get(`/api/tenants/${b.slug}/installations/${bIds.inst}/credential`).set(auth(b));
    expect(credential.body.credential.status).toBe('connected');
    const executions = await withTenant(s.handle.db, b.id, (tx) => tx.execution.findMany({}));
    expect(executions.map((e) => e.id)).toEqual([bIds.exec]);
    const tokens = await request(s.app).get(`/api/tenants/${b.slug}/api-tokens`).set(auth(b));
    expect(tokens.body.items.find((t: { id: string }) => t.id === bIds.tok).revoked_at).toBeNull();
    const bHookId = bHook.split('/hooks/')[1];
    expect(s.fake.received().filter((p) => p.hookId === bHookId)).toHaveLength(1); // B's own run
  });
});
