// Mattermost ids: 26 characters of base32 (NewId's alphabet), lowercase. Hook ids, user ids,
// channel ids, post ids and request ids all look like this.
import { randomBytes } from 'node:crypto';

const ALPHABET = 'ybndrfg8ejkmcpqxot1uwisza345h769';

export function newId(): string {
  const bytes = randomBytes(26);
  let out = '';
  for (let i = 0; i < 26; i++) out += ALPHABET[bytes[i] % 32];
  return out;
}

export function isValidId(value: string): boolean {
  return /^[a-z0-9]{26}$/.test(value);
}
