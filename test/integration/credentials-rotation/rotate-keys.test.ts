// Key rotation re-encrypts every credential with the new active key; the old key is then unneeded.
import { parseKeyring } from '../../../lib/crypto/keyring';
import { decryptSecret, encryptSecret } from '../../../lib/crypto/secret-box';
import { randomUUID } from 'node:crypto';
import { rotateCredentialKeys } from '../../../lib/credentials/rotate-credential-keys';
import { withTenant } from '../../../lib/db/with-tenant';
import type { DbHandle } from '../../../lib/db/client';
import { createTestTenant, testDb } from '../../helpers/db';

const k1 = `old:${Buffer.alloc(32, 1).toString('base64')}`;
const k2 = `new:${Buffer.alloc(32, 2).toString('base64')}`;

describe('encryption key rotation', () => {
  let handle: DbHandle;
  beforeAll(() => {
    handle = testDb();
  });
  afterAll(() => handle.close());

  it('re-encrypts with the active key; afterwards the new key alone decrypts every credential', async () => {
    const tenant = await createTestTenant(handle, 'rot');
    const oldRing = parseKeyring(k1);
    const id = randomUUID();
    const sealed = encryptSecret(oldRing, '{"kind":"webhook","webhook_url":"https://mm.example.com/hooks/abcdefghijklmnopqrstuvwxyz"}', {
      tenantId: tenant.id,
      credentialId: id,
    });
    await withTenant(handle.db, tenant.id, (tx) =>
      tx.integrationCredential.create({
        data: {
          id,
          tenantId: tenant.id,
          provider: 'mattermost',
          kind: 'webhook',
          ciphertext: new Uint8Array(sealed.ciphertext),
          nonce: new Uint8Array(sealed.nonce),
          authTag: new Uint8Array(sealed.authTag),
          keyId: sealed.keyId,
          host: 'mm.example.com',
          fingerprint: 'f',
          status: 'connected',
        },
      }),
    );

    const report = await rotateCredentialKeys(handle.db, parseKeyring(`${k1},${k2}`));
    expect(report.reencrypted).toBeGreaterThanOrEqual(1);
    const row = await withTenant(handle.db, tenant.id, (tx) => tx.integrationCredential.findUniqueOrThrow({ where: { id } }));
    expect(row.keyId).toBe('new');
    const plaintext = decryptSecret(
      parseKeyring(k2),
      { ciphertext: Buffer.from(row.ciphertext), nonce: Buffer.from(row.nonce), authTag: Buffer.from(row.authTag), keyId: row.keyId },
      { tenantId: tenant.id, credentialId: id },
    );
    expect(JSON.parse(plaintext).webhook_url).toMatch(/\/hooks\/abcdefghijklmnopqrstuvwxyz$/);

    const again = await rotateCredentialKeys(handle.db, parseKeyring(`${k1},${k2}`));
    expect(again.reencrypted).toBe(0);
  });
});
