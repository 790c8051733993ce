// The credential-encryption keyring: "kid1:base64key,kid2:base64key" (32-byte AES-256 keys)
// plus the id of the key new ciphertexts use. Old keys stay listed so rows written with them
// still decrypt until they are re-encrypted (rotation). Errors name the entry by position and
// key id only: key material never appears in a message.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, openSync, readFileSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';

export const KEY_BYTES = 32;
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
// Strict base64 (standard alphabet, padding optional) so a typo is not silently decoded.
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export interface Keyring {
  readonly keys: ReadonlyMap<string, Buffer>;
  readonly activeKeyId: string;
}

export class KeyringError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid encryption keyring:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'KeyringError';
  }
}

/**
 * Parses the keyring. The active key defaults to the last one listed, so rotation is
 * "append a new key"; pass `activeKeyId` to choose another.
 */
export function parseKeyring(spec: string, activeKeyId?: string): Keyring {
  const problems: string[] = [];
  const keys = new Map<string, Buffer>();
  const seen = new Set<string>();
  const entries = spec.split(',').map((e) => e.trim());
  if (spec.trim() === '') {
    throw new KeyringError(['the keyring is empty: expected "keyId:base64key[,keyId:base64key…]"']);
  }
  entries.forEach((entry, index) => {
    const where = `entry ${index + 1}`;
    if (entry === '') {
      problems.push(`${where} is empty (stray comma?)`);
      return;
    }
    const colon = entry.indexOf(':');
    if (colon < 0) {
      problems.push(`${where} has no "keyId:" prefix`);
      return;
    }
    const kid = entry.slice(0, colon).trim();
    const encoded = entry.slice(colon + 1).trim();
    if (!KEY_ID.test(kid)) {
      problems.push(`${where} has an invalid key id (1-32 characters of A-Z a-z 0-9 _ -)`);
      return;
    }
    if (seen.has(kid)) {
      problems.push(`${where}: key id "${kid}" is listed twice`);
      return;
    }
    seen.add(kid);
    if (encoded.length % 4 === 1 || !BASE64.test(encoded)) {
      problems.push(`${where} (key id "${kid}"): the key is not valid base64`);
      return;
    }
    const key = Buffer.from(encoded, 'base64');
    if (key.length !== KEY_BYTES) {
      problems.push(`${where} (key id "${kid}"): the key is ${key.length} bytes, expected ${KEY_BYTES}`);
      return;
    }
    keys.set(kid, key);
  });
  const active = activeKeyId?.trim() || entries[entries.length - 1]?.split(':')[0]?.trim() || '';
  if (problems.length === 0 && !keys.has(active)) {
    const shown = KEY_ID.test(active) ? `"${active}"` : '(invalid id)';
    problems.push(`the active key id ${shown} is not in the keyring`);
  }
  if (problems.length > 0) throw new KeyringError(problems);
  return Object.freeze({ keys, activeKeyId: active });
}

/** A fresh random key as a keyring entry, "kid:base64". */
export function generateKeyringEntry(kid: string): string {
  if (!KEY_ID.test(kid)) throw new KeyringError(['invalid key id (1-32 characters of A-Z a-z 0-9 _ -)']);
  return `${kid}:${randomBytes(KEY_BYTES).toString('base64')}`;
}

/**
 * For `npm start` on a developer machine only: reads `<dataDir>/encryption-keys`, or creates it
 * (mode 0600) with one fresh key on first start, and returns the keyring string. Production
 * sets ENCRYPTION_KEYS instead; losing this file makes stored credentials unreadable.
 */
export function loadOrCreateDevKeyring(dataDir: string): string {
  const file = join(dataDir, 'encryption-keys');
  mkdirSync(dataDir, { recursive: true });
  try {
    // 'wx' fails if the file exists, so two processes starting at once cannot overwrite a key.
    const fd = openSync(file, 'wx', 0o600);
    try {
      writeSync(fd, `${generateKeyringEntry(`dev${new Date().toISOString().slice(0, 10).replace(/-/g, '')}`)}\n`);
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  // Tighten a file someone created or copied with looser permissions.
  chmodSync(file, 0o600);
  const spec = readFileSync(file, 'utf8').trim();
  parseKeyring(spec); // fail at boot, not at the first decrypt
  return spec;
}
