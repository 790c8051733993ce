// Key rotation: re-encrypts every stored credential with the keyring's active key. Run after
// appending a new key to ENCRYPTION_KEYS; once it reports 0 remaining, the old key can go.
// The credential's fingerprint is keyed with the key that seals it (lib/crypto/fingerprint.ts),
// so it is recomputed with each re-encryption, and for any row that has none (rows from before
// fingerprints were keyed: the migration removed their unkeyed ones).
import { secretFingerprint } from '../crypto/fingerprint';
import type { Keyring } from '../crypto/keyring';
import { decryptSecret, isSecretDecryptError, needsReencryption, reencryptSecret } from '../crypto/secret-box';
import type { Db } from '../db/client';
import { withTenant } from '../db/with-tenant';

export interface RotationReport {
  tenants: number;
  reencrypted: number;
  alreadyCurrent: number;
  /** Rows whose fingerprint was (re)computed. */
  fingerprinted: number;
  /** Rows whose key is not in the keyring (or that fail to decrypt): left as they are, listed here. */
  unreadable: string[];
}

/** The secret value a stored credential's fingerprint is over, whatever its provider. */
function fingerprintSourceOf(plaintext: string): string | null {
  const secret = JSON.parse(plaintext) as Record<string, unknown>;
  for (const field of ['webhook_url', 'token', 'api_key']) if (typeof secret[field] === 'string') return secret[field];
  return null;
}

export async function rotateCredentialKeys(db: Db, keyring: Keyring): Promise<RotationReport> {
  const report: RotationReport = { tenants: 0, reencrypted: 0, alreadyCurrent: 0, fingerprinted: 0, unreadable: [] };
  const tenants = await db.tenant.findMany({ select: { id: true } });
  for (const { id: tenantId } of tenants) {
    report.tenants++;
    await withTenant(db, tenantId, async (tx) => {
      const rows = await tx.integrationCredential.findMany({ where: { status: { not: 'revoked' } } });
      for (const row of rows) {
        const sealed = { ciphertext: Buffer.from(row.ciphertext), nonce: Buffer.from(row.nonce), authTag: Buffer.from(row.authTag), keyId: row.keyId };
        const current = !needsReencryption(keyring, sealed);
        if (current && row.fingerprint !== null) {
          report.alreadyCurrent++;
          continue;
        }
        let next;
        let source: string | null;
        try {
          next = current ? sealed : reencryptSecret(keyring, sealed, { tenantId, credentialId: row.id });
          source = fingerprintSourceOf(decryptSecret(keyring, sealed, { tenantId, credentialId: row.id }));
        } catch (err) {
          if (!isSecretDecryptError(err)) throw err;
          report.unreadable.push(row.id);
          continue;
        }
        const fingerprint = source === null ? null : secretFingerprint(source, { keyring, keyId: next.keyId, tenantId });
        await tx.integrationCredential.update({
          where: { id: row.id },
          data: {
            ciphertext: new Uint8Array(next.ciphertext),
            nonce: new Uint8Array(next.nonce),
            authTag: new Uint8Array(next.authTag),
            keyId: next.keyId,
            fingerprint,
          },
        });
        if (current) report.alreadyCurrent++;
        else report.reencrypted++;
        if (fingerprint !== null) report.fingerprinted++;
      }
    });
  }
  return report;
}
