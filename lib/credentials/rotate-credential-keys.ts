// Key rotation: re-encrypts every stored credential with the keyring's active key. Run after
// appending a new key to ENCRYPTION_KEYS; once it reports 0 remaining, the old key can go.
import type { Keyring } from '../crypto/keyring';
import { isSecretDecryptError, needsReencryption, reencryptSecret } from '../crypto/secret-box';
import type { Db } from '../db/client';
import { withTenant } from '../db/with-tenant';

export interface RotationReport {
  tenants: number;
  reencrypted: number;
  alreadyCurrent: number;
  /** Rows whose key is not in the keyring (or that fail to decrypt): left as they are, listed here. */
  unreadable: string[];
}

export async function rotateCredentialKeys(db: Db, keyring: Keyring): Promise<RotationReport> {
  const report: RotationReport = { tenants: 0, reencrypted: 0, alreadyCurrent: 0, unreadable: [] };
  const tenants = await db.tenant.findMany({ select: { id: true } });
  for (const { id: tenantId } of tenants) {
    report.tenants++;
    await withTenant(db, tenantId, async (tx) => {
      const rows = await tx.integrationCredential.findMany({ where: { status: { not: 'revoked' } } });
      for (const row of rows) {
        const sealed = { ciphertext: Buffer.from(row.ciphertext), nonce: Buffer.from(row.nonce), authTag: Buffer.from(row.authTag), keyId: row.keyId };
        if (!needsReencryption(keyring, sealed)) {
          report.alreadyCurrent++;
          continue;
        }
        let next;
        try {
          next = reencryptSecret(keyring, sealed, { tenantId, credentialId: row.id });
        } catch (err) {
          if (!isSecretDecryptError(err)) throw err;
          report.unreadable.push(row.id);
          continue;
        }
        await tx.integrationCredential.update({
          where: { id: row.id },
          data: { ciphertext: new Uint8Array(next.ciphertext), nonce: new Uint8Array(next.nonce), authTag: new Uint8Array(next.authTag), keyId: next.keyId },
        });
        report.reencrypted++;
      }
    });
  }
  return report;
}
