// Credential encryption at rest: AES-256-GCM with a fresh 96-bit nonce per call. The associated
// data names the tenant and the credential row, so a ciphertext copied into another row (or
// another tenant) fails authentication instead of decrypting there.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Keyring } from './keyring';

const ALGORITHM = 'aes-256-gcm';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export interface SealedSecret {
  ciphertext: Buffer;
  nonce: Buffer;
  authTag: Buffer;
  keyId: string;
}

/** The row a secret belongs to; bound into the ciphertext as associated data. */
export interface SecretBinding {
  tenantId: string;
  credentialId: string;
}

export type SecretDecryptFailure = 'unknown_key' | 'malformed' | 'authentication_failed';

/** Decryption failed. The message names the reason and key id, never the secret or the key. */
export class SecretDecryptError extends Error {
  constructor(
    readonly reason: SecretDecryptFailure,
    readonly keyId: string,
  ) {
    super(
      reason === 'unknown_key'
        ? `cannot decrypt credential: key id "${safeKeyId(keyId)}" is not in the keyring`
        : reason === 'malformed'
          ? 'cannot decrypt credential: the stored nonce or tag has the wrong length'
          : 'cannot decrypt credential: authentication failed (tampered, wrong key, or copied from another row)',
    );
    this.name = 'SecretDecryptError';
  }
}

export function isSecretDecryptError(err: unknown): err is SecretDecryptError {
  return err instanceof Error && err.name === 'SecretDecryptError';
}

// Each id is URI-encoded so "a:b"+"c" and "a"+"b:c" cannot produce the same associated data.
export function associatedData({ tenantId, credentialId }: SecretBinding): Buffer {
  if (!tenantId || !credentialId) throw new TypeError('tenantId and credentialId are required');
  return Buffer.from(`fleetprompt:credential:v1:${encodeURIComponent(tenantId)}:${encodeURIComponent(credentialId)}`, 'utf8');
}

export function encryptSecret(keyring: Keyring, plaintext: string, binding: SecretBinding): SealedSecret {
  const keyId = keyring.activeKeyId;
  const key = keyring.keys.get(keyId);
  if (!key) throw new Error('the active key is missing from the keyring');
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData(binding));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return { ciphertext, nonce, authTag: cipher.getAuthTag(), keyId };
}

export function decryptSecret(keyring: Keyring, sealed: SealedSecret, binding: SecretBinding): string {
  const key = keyring.keys.get(sealed.keyId);
  if (!key) throw new SecretDecryptError('unknown_key', sealed.keyId);
  if (sealed.nonce.length !== NONCE_BYTES || sealed.authTag.length !== TAG_BYTES) {
    throw new SecretDecryptError('malformed', sealed.keyId);
  }
  try {
    const decipher = createDecipheriv(ALGORITHM, key, sealed.nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(associatedData(binding));
    decipher.setAuthTag(sealed.authTag);
    return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString('utf8');
  } catch {
    // node's own message ("Unsupported state or unable to authenticate data") is replaced so
    // nothing about the input leaks; the cause is deliberately dropped.
    throw new SecretDecryptError('authentication_failed', sealed.keyId);
  }
}

/** True when the row was sealed with a key other than the active one. */
export function needsReencryption(keyring: Keyring, sealed: Pick<SealedSecret, 'keyId'>): boolean {
  return sealed.keyId !== keyring.activeKeyId;
}

/** Rotation: decrypts with whichever key sealed the row and seals again with the active key. */
export function reencryptSecret(keyring: Keyring, sealed: SealedSecret, binding: SecretBinding): SealedSecret {
  return encryptSecret(keyring, decryptSecret(keyring, sealed, binding), binding);
}

function safeKeyId(keyId: string): string {
  return /^[A-Za-z0-9_-]{1,32}$/.test(keyId) ? keyId : '(invalid)';
}
