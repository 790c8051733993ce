// The migration that makes integrations the tenant's, on a database that has per-installation
// credentials: rows seeded at the previous migration, then migrated. Nothing is lost — every
// credential row (ciphertext included) and every installation's binding and config are as
// before, the secrets still decrypt — and each tenant's newest working, used credential becomes
// its one connection.
import { randomUUID } from 'node:crypto';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { decryptSecret, encryptSecret } from '../../../lib/crypto/secret-box';
import { DEFAULT_MIGRATIONS_DIR, migrate, readMigrations } from '../../../lib/db/migrator';
import { TEST_KEYRING } from '../../helpers/app';
import { adminClient, migrationDatabaseUrl } from '../../helpers/db';

const MIGRATION = '20261201100300_tenant_integrations';

async function freshDatabase(): Promise<string> {
  const name = `mig_ti_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
  const admin = await adminClient();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(migrationDatabaseUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

describe('migration: integrations belong to the tenant', () => {
  it('keeps every credential and binding, and names one connection per tenant', async () => {
    const url = await freshDatabase();
    // The database as it was before this migration.
    const before = await mkdtemp(path.join(os.tmpdir(), 'migrations-before-'));
    const names = (await readMigrations()).map((m) => m.name);
    expect(names).toContain(MIGRATION);
    for (const name of names.slice(0, names.indexOf(MIGRATION)))
      await cp(path.join(DEFAULT_MIGRATIONS_DIR, name), path.join(before, name), { recursive: true });
    await migrate(url, before);
    await rm(before, { recursive: true, force: true });

    const pg = await adminClient(url);
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    for (const [id, slug] of [
      [a, 'ta'],
      [b, 'tb'],
      [c, 'tc'],
    ])
      await pg.query(`insert into tenants (id, slug, name) values ($1, $2, $2)`, [id, `${slug}-${id.slice(0, 6)}`]);
    const credential = async (tenantId: string, status: string, verifiedAt: string, secret: string) => {
      const id = randomUUID();
      const sealed = encryptSecret(TEST_KEYRING, secret, { tenantId, credentialId: id });
      await pg.query(
        `insert into integration_credentials (id, tenant_id, provider, kind, ciphertext, nonce, auth_tag, key_id, host, fingerprint, metadata, status, last_verified_at, updated_at)
         values ($1, $2, 'mattermost', 'webhook', $3, $4, $5, $6, 'chat.example', null, '{}', $7, $8, now())`,
        [id, tenantId, sealed.ciphertext, sealed.nonce, sealed.authTag, sealed.keyId, status, verifiedAt],
      );
      return id;
    };
    const installation = async (tenantId: string, slug: string, credentialId: string | null, config: object, status = 'installed') => {
      const id = randomUUID();
      await pg.query(
        `insert into installations (id, tenant_id, package_slug, package_version, status, config, credential_id, updated_at) values ($1, $2, $3, '1.0.0', $4, $5, $6, now())`,
        [id, tenantId, slug, status, JSON.stringify(config), credentialId],
      );
      return id;
    };
    // Tenant A: two installations with their own webhooks; the digest's was verified last.
    const aOld = await credential(
      a,
      'connected',
      '2026-11-01T10:00:00Z',
      JSON.stringify({ kind: 'webhook', webhook_url: 'https://chat.example/hooks/aaaaaaaaaaaaaaaaaaaaaaaaaa' }),
    );
    const aNew = await credential(
      a,
      'connected',
      '2026-11-20T10:00:00Z',
      JSON.stringify({ kind: 'webhook', webhook_url: 'https://chat.example/hooks/bbbbbbbbbbbbbbbbbbbbbbbbbb' }),
    );
    const aAlerts = await installation(a, 'mattermost_failure_alerts', aOld, { channel: 'ops', mattermost_credential_id: aOld });
    const aDigest = await installation(a, 'mattermost_daily_ops_digest', aNew, {
      channel: 'town-square',
      schedule_time: '07:30',
      mattermost_credential_id: aNew,
    });
    // Tenant B: its only credential was revoked. Tenant C: a credential nobody uses (uninstalled).
    const bRevoked = await credential(b, 'revoked', '2026-11-20T10:00:00Z', '{}');
    await installation(b, 'mattermost_daily_ops_digest', bRevoked, { channel: null });
    const cUnused = await credential(
      c,
      'connected',
      '2026-11-20T10:00:00Z',
      JSON.stringify({ kind: 'webhook', webhook_url: 'https://chat.example/hooks/cccccccccccccccccccccccccc' }),
    );
    await installation(c, 'mattermost_daily_ops_digest', cUnused, {}, 'uninstalled');

    const snapshot = async () => ({
      credentials: (
        await pg.query(
          `select id, tenant_id, provider, kind, encode(ciphertext, 'hex') as ct, encode(nonce, 'hex') as n, encode(auth_tag, 'hex') as t, key_id, status, last_verified_at from integration_credentials order by id`,
        )
      ).rows,
      installations: (await pg.query(`select id, tenant_id, package_slug, credential_id, config, status from installations order by id`)).rows,
    });
    const seeded = await snapshot();

    const result = await migrate(url);
    expect(result.applied).toContain(MIGRATION);

    // Nothing lost or rewritten.
    expect(await snapshot()).toEqual(seeded);
    for (const row of (
      await pg.query(`select id, tenant_id, ciphertext, nonce, auth_tag, key_id, status from integration_credentials where status = 'connected'`)
    ).rows) {
      expect(() =>
        decryptSecret(
          TEST_KEYRING,
          { ciphertext: row.ciphertext, nonce: row.nonce, authTag: row.auth_tag, keyId: row.key_id },
          { tenantId: row.tenant_id, credentialId: row.id },
        ),
      ).not.toThrow();
    }
    // One connection per tenant: A's newest used, working credential; none for B (revoked) or C (unused).
    const links = (await pg.query(`select tenant_id, provider, credential_id from tenant_integrations order by tenant_id`)).rows;
    expect(links).toEqual([{ tenant_id: a, provider: 'mattermost', credential_id: aNew }]);
    // A second connection for the same tenant is refused by the database (one workspace per tenant).
    await expect(
      pg.query(`insert into tenant_integrations (id, tenant_id, provider, credential_id, updated_at) values ($1, $2, 'mattermost', $3, now())`, [
        randomUUID(),
        a,
        aOld,
      ]),
    ).rejects.toThrow(/duplicate key/);
    // The bindings: the digest is on the tenant connection, the alerts keep their own webhook.
    const bound = (await pg.query(`select id, credential_id from installations where tenant_id = $1 order by id`, [a])).rows;
    expect(new Map(bound.map((r) => [r.id, r.credential_id]))).toEqual(
      new Map([
        [aAlerts, aOld],
        [aDigest, aNew],
      ]),
    );
    // Row-level security on the new table, as on every tenant table.
    const policies = (await pg.query(`select policyname from pg_policies where tablename = 'tenant_integrations'`)).rows;
    expect(policies).toEqual([{ policyname: 'tenant_isolation' }]);
    await pg.end();
  });
});
