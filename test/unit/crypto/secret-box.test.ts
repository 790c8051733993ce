import { parseKeyring } from '../../../lib/crypto/keyring';
import {
  decryptSecret,
  encryptSecret,
  isSecretDecryptError,
  needsReencryption,
  reencryptSecret,
  type SealedSecret,
  type SecretDecryptError,
} from '../../../lib/crypto/secret-box';

const key = (fill: number) => Buffer.alloc(32, fill).toString('base64');
const OLD = parseKeyring(`old:${key(1)}`);
const ROTATED = parseKeyring(`old:${key(1)},new:${key(2)}`);
const NEW_ONLY = parseKeyring(`new:${key(2)}`);

const SECRET = 'https://mm.example.com/hooks/xk3p9q7rj7fz8dm1tq5w3a6y9c';
const ROW = { tenantId: 'tenant-a', credentialId: 'cred-1' };

function decryptError(fn: () => unknown): SecretDecryptError {
  try {
    fn();
  } catch (err) {
    expect(isSecretDecryptError(err)).toBe(true);
    const e = err as SecretDecryptError;
    expect(e.name).toBe('SecretDecryptError');
    expect(e.message).not.toContain(SECRET);
    expect(e.message).not.toContain('xk3p9q7rj7');
    expect(e.message).not.toContain(key(1));
    expect(e.message).not.toContain(key(2));
    return e;
  }
  throw new Error('expected decryption to fail');
}

const copy = (s: SealedSecret): SealedSecret => ({
  ciphertext: Buffer.from(s.ciphertext),
  nonce: Buffer.from(s.nonce),
  authTag: Buffer.from(s.authTag),
  keyId: s.keyId,
});

describe('encryptSecret / decryptSecret', () => {
  it('round-trips with the active key and hides the plaintext', () => {
    const sealed = encryptSecret(OLD, SECRET, ROW);
    expect(sealed.keyId).toBe('old');
    expect(sealed.nonce).toHaveLength(12);
    expect(sealed.authTag).toHaveLength(16);
    expect(sealed.ciphertext.toString('utf8')).not.toContain('hooks');
    expect(decryptSecret(OLD, sealed, ROW)).toBe(SECRET);
  });

  it('round-trips unicode and empty strings', () => {
    for (const text of ['', 'tök€n 🔑']) {
      expect(decryptSecret(OLD, encryptSecret(OLD, text, ROW), ROW)).toBe(text);
    }
  });

  it('uses a fresh nonce on every call', () => {
    const nonces = new Set<string>();
    const ciphertexts = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const sealed = encryptSecret(OLD, SECRET, ROW);
      nonces.add(sealed.nonce.toString('hex'));
      ciphertexts.add(sealed.ciphertext.toString('hex'));
    }
    expect(nonces.size).toBe(50);
    expect(ciphertexts.size).toBe(50);
  });

  it('fails on a tampered ciphertext, tag or nonce', () => {
    const sealed = encryptSecret(OLD, SECRET, ROW);
    const flip = (b: Buffer, i: number) => {
      b[i] ^= 0x01;
      return b;
    };
    const a = copy(sealed);
    flip(a.ciphertext, 5);
    expect(decryptError(() => decryptSecret(OLD, a, ROW)).reason).toBe('authentication_failed');
    const b = copy(sealed);
    flip(b.authTag, 0);
    expect(decryptError(() => decryptSecret(OLD, b, ROW)).reason).toBe('authentication_failed');
    const c = copy(sealed);
    flip(c.nonce, 11);
    expect(decryptError(() => decryptSecret(OLD, c, ROW)).reason).toBe('authentication_failed');
  });

  it('refuses a truncated tag rather than accepting a weaker one', () => {
    const sealed = copy(encryptSecret(OLD, SECRET, ROW));
    sealed.authTag = sealed.authTag.subarray(0, 4);
    expect(decryptError(() => decryptSecret(OLD, sealed, ROW)).reason).toBe('malformed');
  });

  it('fails when the row is copied to another tenant or credential id', () => {
    const sealed = encryptSecret(OLD, SECRET, ROW);
    expect(decryptError(() => decryptSecret(OLD, sealed, { ...ROW, tenantId: 'tenant-b' })).reason).toBe('authentication_failed');
    expect(decryptError(() => decryptSecret(OLD, sealed, { ...ROW, credentialId: 'cred-2' })).reason).toBe('authentication_failed');
  });

  it('keeps ids with colons unambiguous in the associated data', () => {
    const sealed = encryptSecret(OLD, SECRET, { tenantId: 'a:b', credentialId: 'c' });
    decryptError(() => decryptSecret(OLD, sealed, { tenantId: 'a', credentialId: 'b:c' }));
  });

  it('fails with a typed error for an unknown key id', () => {
    const sealed = encryptSecret(OLD, SECRET, ROW);
    const err = decryptError(() => decryptSecret(NEW_ONLY, sealed, ROW));
    expect(err.reason).toBe('unknown_key');
    expect(err.message).toContain('"old"');
  });

  it('fails when the same key id holds a different key', () => {
    const other = parseKeyring(`old:${key(3)}`);
    const sealed = encryptSecret(OLD, SECRET, ROW);
    expect(decryptError(() => decryptSecret(other, sealed, ROW)).reason).toBe('authentication_failed');
  });
});

describe('rotation', () => {
  it('re-encrypts with the new active key while old rows still decrypt until rotated', () => {
    const oldRow = encryptSecret(OLD, SECRET, ROW);
    // After appending "new", old rows still decrypt, and are flagged for rotation.
    expect(decryptSecret(ROTATED, oldRow, ROW)).toBe(SECRET);
    expect(needsReencryption(ROTATED, oldRow)).toBe(true);

    const rotated = reencryptSecret(ROTATED, oldRow, ROW);
    expect(rotated.keyId).toBe('new');
    expect(needsReencryption(ROTATED, rotated)).toBe(false);
    expect(rotated.nonce.equals(oldRow.nonce)).toBe(false);
    expect(decryptSecret(ROTATED, rotated, ROW)).toBe(SECRET);

    // Once every row is rotated the old key can be removed.
    expect(decryptSecret(NEW_ONLY, rotated, ROW)).toBe(SECRET);
    expect(decryptError(() => decryptSecret(NEW_ONLY, oldRow, ROW)).reason).toBe('unknown_key');
  });

  it('keeps the binding when re-encrypting', () => {
    const rotated = reencryptSecret(ROTATED, encryptSecret(OLD, SECRET, ROW), ROW);
    decryptError(() => decryptSecret(ROTATED, rotated, { ...ROW, tenantId: 'tenant-b' }));
  });
});
