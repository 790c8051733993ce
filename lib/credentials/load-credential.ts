// Decrypts a credential inside the process that needs it (an activity, or the API while
// connecting). The plaintext joins the secret scope of the work that decrypted it (its logs and
// errors are scrubbed of it) and is never returned to callers outside this boundary in any
// serialisable form other than the target.
import type { Keyring } from '../crypto/keyring';
import { decryptSecret } from '../crypto/secret-box';
import type { Tx } from '../db/with-tenant';
import { AppError } from '../errors/app-error';
import { rememberSecrets } from '../secrets/secret-scope';
import { ZCredentialSecret, secretValues, type TCredentialSecret } from './credential-secret';

/** A credential row's sealed secret and the ids its associated data binds it to. */
export interface SealedCredential {
  id: string;
  tenantId: string;
  status: string;
  ciphertext: Uint8Array;
  nonce: Uint8Array;
  authTag: Uint8Array;
  keyId: string;
}

export async function loadCredentialSecret(tx: Tx, keyring: Keyring, credentialId: string) {
  const row = await tx.integrationCredential.findUnique({ where: { id: credentialId } });
  const secret = openCredential(keyring, row);
  return { row: row!, secret };
}

/** Opens a credential read by any means (Prisma or a raw statement); null = the row is gone. */
export function openCredential(keyring: Keyring, row: SealedCredential | null): TCredentialSecret {
  if (!row) throw new AppError('CREDENTIAL_NOT_FOUND', 'The Mattermost credential no longer exists; connect Mattermost again.');
  if (row.status === 'revoked') throw new AppError('NOT_CONFIGURED', 'The Mattermost credential was revoked; connect Mattermost again.');
  const plaintext = decryptSecret(
    keyring,
    { ciphertext: Buffer.from(row.ciphertext), nonce: Buffer.from(row.nonce), authTag: Buffer.from(row.authTag), keyId: row.keyId },
    { tenantId: row.tenantId, credentialId: row.id },
  );
  const secret: TCredentialSecret = ZCredentialSecret.parse(JSON.parse(plaintext));
  rememberSecrets(secretValues(secret));
  return secret;
}
