// `npm run -s keys:generate -- <kid>`: prints a fresh keyring entry "kid:base64" for ENCRYPTION_KEYS.
import { generateKeyringEntry } from '../lib/crypto/keyring';

console.log(generateKeyringEntry(process.argv[2] ?? `k${new Date().toISOString().slice(0, 10).replace(/-/g, '')}`));
