// `npm run keys:rotate`: re-encrypts every credential with the active key of ENCRYPTION_KEYS.
// With the embedded stack, run it while `npm start` is up (it reads the dev keyring from DATA_DIR).
// `npm run keys:rotate -- --new-key <kid>` first appends a fresh key to the dev keyring file.
import { appendFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../lib/config';
import { generateKeyringEntry, loadOrCreateDevKeyring, parseKeyring } from '../lib/crypto/keyring';
import { enableAppLogin } from '../lib/db/app-login-role';
import { createDb } from '../lib/db/client';
import { rotateCredentialKeys } from '../lib/credentials/rotate-credential-keys';
import { PROJECT_ROOT } from './dev-stack/temporal';

async function main() {
  const config = loadConfig();
  const newKeyIndex = process.argv.indexOf('--new-key');
  let spec = config.ENCRYPTION_KEYS;
  if (!spec) {
    const dataDir = path.resolve(PROJECT_ROOT, config.DATA_DIR);
    spec = loadOrCreateDevKeyring(dataDir);
    if (newKeyIndex > 0) {
      const kid = process.argv[newKeyIndex + 1] ?? `k${Date.now()}`;
      appendFileSync(path.join(dataDir, 'encryption-keys'), `,${generateKeyringEntry(kid)}`);
      spec = readFileSync(path.join(dataDir, 'encryption-keys'), 'utf8').trim();
    }
  } else if (newKeyIndex > 0) {
    throw new Error('With ENCRYPTION_KEYS set, add the new key there yourself (npm run -s keys:generate -- <kid> prints one).');
  }
  const keyring = parseKeyring(spec, config.ENCRYPTION_ACTIVE_KEY_ID);
  const url =
    config.DATABASE_URL ?? (await enableAppLogin(`postgresql://postgres:postgres@127.0.0.1:${config.EMBEDDED_PG_PORT}/fleetprompt`, 'fleetprompt-dev'));
  const { db, close } = createDb({ url, max: 2 });
  try {
    const report = await rotateCredentialKeys(db, keyring);
    console.log(
      `active key ${keyring.activeKeyId}: re-encrypted ${report.reencrypted} credential(s), ${report.alreadyCurrent} already current, ${report.fingerprinted} fingerprint(s) computed, across ${report.tenants} tenant(s)`,
    );
    if (report.unreadable.length > 0) {
      console.error(
        `${report.unreadable.length} credential(s) could not be decrypted with this keyring (their key is missing): ${report.unreadable.join(', ')}`,
      );
      process.exitCode = 2;
    }
  } finally {
    await close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
