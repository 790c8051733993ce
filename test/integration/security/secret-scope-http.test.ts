// Security probe finding 3: a PAT connect with an arbitrary "token" was refused (422), but the
// string had joined a process-wide redaction list: every tenant's logs and errors then showed
// "[redacted]" for it until restart, and the list grew without bound. Now a typed secret is
// known only while verifying it, a verified one only to the request (or activity) holding it.
import net from 'node:net';
import request from 'supertest';
import type { DbHandle } from '../../../lib/db/client';
import { withTenant } from '../../../lib/db/with-tenant';
import { createLogger } from '../../../lib/log/logger';
import { aRegisteredPackage } from '../../helpers/registered-package';
import { buildTestApp } from '../../helpers/app';
import { memoryStream } from '../../helpers/canary';
import { createTestTenant, testDb, type TestTenant } from '../../helpers/db';

/** Any package will do here (the first the registry lists): what is tested is the core's. */
const PKG = aRegisteredPackage();

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe('secret redaction is scoped to the work that owns the secret', () => {
  let handle: DbHandle;
  let a: TestTenant;
  let b: TestTenant;
  const logs = memoryStream();
  let app: ReturnType<typeof buildTestApp>;

  const install = (t: TestTenant) =>
    withTenant(handle.db, t.id, (tx) =>
      tx.installation.create({
        data: {
          tenantId: t.id,
          packageSlug: PKG.slug,
          packageVersion: PKG.first.version,
          status: 'installed',
          installedAt: new Date(),
          config: { ...PKG.defaults(PKG.first.version), channel: 'ops' },
        },
      }),
    );

  beforeAll(async () => {
    handle = testDb();
    a = await createTestTenant(handle, 'scopea');
    b = await createTestTenant(handle, 'scopeb');
    app = buildTestApp({ db: handle.db, overrides: { logger: createLogger({ level: 'info', destination: logs.stream }) } });
  });
  afterAll(() => handle.close());

  it('tenant A’s refused "token" (tenant B’s id, and a word) does not censor tenant B’s log lines or errors', async () => {
    const installation = await install(a);
    const port = await closedPort();
    for (const token of [b.id, '"tenantId"', `http://127.0.0.1:${port}`]) {
      const res = await request(app)
        .put(`/api/tenants/${a.slug}/installations/${installation.id}/credential`)
        .set('authorization', `Bearer ${a.tokens.owner}`)
        .send({ kind: 'pat', base_url: `http://127.0.0.1:${port}`, token, team: 'fleet' });
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('CREDENTIAL_REJECTED');
    }

    const seen = logs.lines().length;
    const bInstallation = await install(b);
    const res = await request(app).get(`/api/tenants/${b.slug}/installations/${bInstallation.id}`).set('authorization', `Bearer ${b.tokens.member}`);
    expect(res.status).toBe(200);
    // B's refusal names its own URL, untouched by A's strings.
    const refused = await request(app)
      .put(`/api/tenants/${b.slug}/installations/${bInstallation.id}/credential`)
      .set('authorization', `Bearer ${b.tokens.owner}`)
      .send({ kind: 'pat', base_url: `http://127.0.0.1:${port}`, token: 'b-own-token-Zq81mVv0', team: 'fleet' });
    expect(refused.status).toBe(422);
    expect(JSON.stringify(refused.body)).not.toContain('[redacted]');

    const lines = logs
      .lines()
      .slice(seen)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const bLines = lines.filter((l) => l.msg === 'request');
    expect(bLines.length).toBeGreaterThanOrEqual(2);
    for (const line of bLines) expect(line.tenantId).toBe(b.id);
    expect(lines.map((l) => JSON.stringify(l)).join('\n')).not.toMatch(/"tenantId":"\[redacted\]"/);
  });
});
