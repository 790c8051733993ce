// Security probe finding 1: the sign-in email was a pattern (ILIKE: "_wner@…" signed in as
// "owner@…" once the exact address was rate-limited), the limiter keyed the string as typed,
// lived in one process's memory, evicted live locks after 10,000 keys, and behind a proxy saw
// every client as the proxy. Now: exact normalised identity, limits in Postgres per account,
// per address and per both, shared by every API process, TRUST_PROXY for the client address.
import type { Express } from 'express';
import fc from 'fast-check';
import request from 'supertest';
import { createLoginRateLimiter, loginRateKeys } from '../../../lib/auth/login-rate-limit';
import type { DbHandle } from '../../../lib/db/client';
import { buildTestApp } from '../../helpers/app';
import { adminClient, createTestTenant, testDb, type TestTenant } from '../../helpers/db';
import { createTestUser, TEST_PASSWORD, type TestUser } from '../../helpers/session';

jest.setTimeout(180_000);

const login = (app: Express, email: string, password: string, forwardedFor?: string) => {
  const req = request(app).post('/api/auth/login');
  if (forwardedFor) req.set('x-forwarded-for', forwardedFor);
  return req.send({ email, password });
};

describe('sign-in identity and limits', () => {
  let handle: DbHandle;
  let tenant: TestTenant;

  beforeAll(async () => {
    handle = testDb();
    tenant = await createTestTenant(handle, 'loginid');
  });
  afterAll(() => handle.close());

  const newUser = (email?: string) => createTestUser(handle, { email, memberships: [{ tenantId: tenant.id, role: 'owner' }] });

  it('the probe: once the exact address is limited, "_" and "%" variants with the right password do not sign in', async () => {
    const app = buildTestApp({ db: handle.db });
    const owner = await newUser(`owner-${Date.now()}@probe.example.test`);
    for (let i = 0; i < 10; i++) expect((await login(app, owner.email, `wrong-${i}`)).status).toBe(401);
    expect((await login(app, owner.email, TEST_PASSWORD)).status).toBe(429);
    const [local, domain] = owner.email.split('@');
    for (const pattern of [
      `_${local.slice(1)}@${domain}`,
      `${local.slice(0, -1)}_@${domain}`,
      `%@${domain}`,
      `${'_'.repeat(local.length)}@${domain}`,
      `${local}@%`,
      `${local.slice(0, 3)}%@${domain}`,
    ]) {
      const res = await login(app, pattern, TEST_PASSWORD);
      // "_" makes a well-formed address that is no account (401); "%" is not an address (400).
      expect([
        [401, 'INVALID_CREDENTIALS'],
        [400, 'VALIDATION_FAILED'],
      ]).toContainEqual([res.status, res.body.error?.code]);
      expect(res.headers['set-cookie']).toBeUndefined();
    }
    // Another spelling of the same address is the same account, so the same (live) limit.
    expect((await login(app, `  ${owner.email.toUpperCase()} `, TEST_PASSWORD)).status).toBe(429);
  });

  it('the database keeps one spelling per address: a mixed-case email cannot be stored', async () => {
    const pg = await adminClient();
    try {
      await expect(
        pg.query(`insert into users (id, email, name, password_hash) values (gen_random_uuid(), 'Mixed.Case@Example.test', 'x', 'x')`),
      ).rejects.toThrow(/users_email_normalized/);
      await expect(pg.query(`insert into users (id, email, name, password_hash) values (gen_random_uuid(), ' pad@example.test', 'x', 'x')`)).rejects.toThrow(
        /users_email_normalized/,
      );
    } finally {
      await pg.end();
    }
  });

  it('property: any email other than an exact case-insensitive match of an account fails; a match succeeds', async () => {
    const app = buildTestApp({
      db: handle.db,
      overrides: { auth: { loginLimiter: createLoginRateLimiter(handle.db, { perAccountAndAddress: 1e6, perAccount: 1e6, perAddress: 1e6 }) } },
    });
    const stamp = Date.now().toString(36);
    const accounts: TestUser[] = [];
    for (const local of ['owner', 'a_b', 'a.b', 'o_ner', 'ownerr', 'Kelvin'.toLowerCase()]) accounts.push(await newUser(`${local}-${stamp}@demo.example.test`));
    const emails = new Set(accounts.map((a) => a.email));

    const flipCase = (s: string, mask: boolean[]) => [...s].map((c, i) => (mask[i % mask.length] ? c.toUpperCase() : c)).join('');
    const mutate = fc.oneof(
      // Case variants of an account (must succeed).
      fc.tuple(fc.constantFrom(...accounts.map((a) => a.email)), fc.array(fc.boolean(), { minLength: 1, maxLength: 8 })).map(([e, mask]) => flipCase(e, mask)),
      // One character replaced by a wildcard, a lookalike or anything.
      fc
        .tuple(
          fc.constantFrom(...accounts.map((a) => a.email)),
          fc.nat(),
          fc.constantFrom(
            '_',
            '%',
            '\\',
            '*',
            '?',
            '.',
            '-',
            'O',
            '0',
            'ο',
            'К',
            'ſ',
            '\u212A',
            'K',
            fc.sample(fc.string({ minLength: 1, maxLength: 1 }), 1)[0],
          ),
        )
        .map(([e, i, c]) => {
          const at = i % e.length;
          return e.slice(0, at) + c + e.slice(at + 1);
        }),
      // A character inserted or removed.
      fc.tuple(fc.constantFrom(...accounts.map((a) => a.email)), fc.nat(), fc.constantFrom('_', '%', 'x', '')).map(([e, i, c]) => {
        const at = i % e.length;
        return c === '' ? e.slice(0, at) + e.slice(at + 1) : e.slice(0, at) + c + e.slice(at);
      }),
      // Patterns over the whole domain.
      fc.constantFrom(
        `%@demo.example.test`,
        `%`,
        `_%`,
        `%-${stamp}@demo.example.test`,
        `______-${stamp}@demo.example.test`,
        `_____-${stamp}@demo.example.test`,
      ),
    );
    await fc.assert(
      fc.asyncProperty(mutate, async (candidate) => {
        const res = await login(app, candidate, TEST_PASSWORD);
        const shouldMatch = emails.has(candidate.trim().toLowerCase());
        if (shouldMatch) {
          expect(res.status).toBe(200);
          expect(res.body.user.email).toBe(candidate.trim().toLowerCase());
        } else {
          // A malformed address is a 400; a well-formed one that is not an account is a 401.
          expect([400, 401]).toContain(res.status);
          expect(res.headers['set-cookie']).toBeUndefined();
        }
      }),
      { numRuns: 150 },
    );
  });

  it('two API processes on the same Postgres share the limit (no in-memory state)', async () => {
    const otherHandle = testDb(); // its own connection pool, as another replica would have
    try {
      // The per-address limit is lifted: every test file signs in from 127.0.0.1 against this one
      // database, so earlier files' failures would count. The per-account limits under test stay.
      const a = buildTestApp({ db: handle.db, overrides: { auth: { loginLimiter: createLoginRateLimiter(handle.db, { perAddress: 1e6 }) } } });
      const b = buildTestApp({ db: otherHandle.db, overrides: { auth: { loginLimiter: createLoginRateLimiter(otherHandle.db, { perAddress: 1e6 }) } } });
      const user = await newUser();
      for (let i = 0; i < 10; i++) expect((await login(i % 2 === 0 ? a : b, user.email, `wrong-${i}`)).status).toBe(401);
      const onA = await login(a, user.email, TEST_PASSWORD);
      const onB = await login(b, user.email, TEST_PASSWORD);
      expect([onA.status, onB.status]).toEqual([429, 429]);
      expect(Number(onB.headers['retry-after'])).toBeGreaterThan(800);
    } finally {
      await otherHandle.close();
    }
  });

  it('parallel guesses cannot outrun the limit: of 40 concurrent wrong passwords, exactly 10 are checked', async () => {
    const app = buildTestApp({ db: handle.db });
    const user = await newUser();
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => login(app, user.email, `wrong-${i}`)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(30);
  });

  it('no amount of junk attempts frees a live lock (no eviction)', async () => {
    const limiter = createLoginRateLimiter(handle.db, { perAddress: 1e6 });
    const app = buildTestApp({ db: handle.db, overrides: { auth: { loginLimiter: limiter } } });
    const user = await newUser();
    for (let i = 0; i < 10; i++) expect((await login(app, user.email, `wrong-${i}`)).status).toBe(401);
    for (let batch = 0; batch < 60; batch++) {
      await Promise.all(
        Array.from({ length: 200 }, (_, i) => limiter.attempt({ email: `junk-${batch}-${i}@x.test`, address: `10.${batch}.${i >> 8}.${i & 255}` })),
      );
    }
    expect((await login(app, user.email, TEST_PASSWORD)).status).toBe(429);
    const pg = await adminClient();
    try {
      const { rows } = await pg.query('select attempts from login_throttles where key = $1', [
        loginRateKeys({ email: user.email, address: undefined }).account,
      ]);
      expect(rows[0].attempts).toBeGreaterThanOrEqual(11);
      expect(Number((await pg.query('select count(*) from login_throttles')).rows[0].count)).toBeGreaterThan(12_000);
    } finally {
      await pg.end();
    }
  });

  it('per address: one client spraying many accounts is limited, and its own good sign-in does not reset that', async () => {
    let now = Date.parse('2026-12-01T09:00:00Z');
    const app = buildTestApp({
      db: handle.db,
      overrides: { http: { trustProxy: 1 }, auth: { loginLimiter: createLoginRateLimiter(handle.db, { perAddress: 5, now: () => now }) } },
    });
    const sprayer = '203.0.113.77';
    const mine = await newUser();
    for (let i = 0; i < 5; i++) expect((await login(app, `victim-${i}-${now}@x.test`, 'guess', sprayer)).status).toBe(401);
    expect((await login(app, mine.email, TEST_PASSWORD, sprayer)).status).toBe(429);
    expect((await login(app, `victim-9-${now}@x.test`, 'guess', sprayer)).status).toBe(429);
    // Another client is unaffected; after the window the sprayer may try again.
    expect((await login(app, mine.email, TEST_PASSWORD, '198.51.100.8')).status).toBe(200);
    now += 15 * 60_000;
    expect((await login(app, mine.email, TEST_PASSWORD, sprayer)).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await login(app, `victim-${i}-${now}@x.test`, 'guess', sprayer)).status).toBe(401);
    expect((await login(app, `victim-8-${now}@x.test`, 'guess', sprayer)).status).toBe(429);
  });

  it('TRUST_PROXY: behind a proxy, one client’s failures limit that client, not everyone signing in to the account', async () => {
    const behindProxy = buildTestApp({ db: handle.db, overrides: { http: { trustProxy: 1 } } });
    const user = await newUser();
    for (let i = 0; i < 10; i++) expect((await login(behindProxy, user.email, `wrong-${i}`, '203.0.113.5')).status).toBe(401);
    expect((await login(behindProxy, user.email, TEST_PASSWORD, '203.0.113.5')).status).toBe(429);
    expect((await login(behindProxy, user.email, TEST_PASSWORD, '198.51.100.7')).status).toBe(200);

    // Without TRUST_PROXY the header is not believed: a client cannot pick a fresh address per guess.
    const direct = buildTestApp({ db: handle.db });
    const other = await newUser();
    for (let i = 0; i < 10; i++) expect((await login(direct, other.email, `wrong-${i}`, `192.0.2.${i}`)).status).toBe(401);
    expect((await login(direct, other.email, TEST_PASSWORD, '192.0.2.200')).status).toBe(429);
  });
});
