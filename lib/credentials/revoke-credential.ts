// Revoking a credential: the secret material is destroyed (not just flagged), the status says
// why, and a signal records it. Also used when Mattermost itself rejects the credential.
import type { Tx } from '../db/with-tenant';
import { SIGNAL_TYPES } from '../signals/catalogue';
import { emitSignal } from '../signals/emit-signal';

export async function revokeCredential(tx: Tx, input: { tenantId: string; credentialId: string; reason: 'user_revoked' | 'rejected_by_server'; correlationId?: string }): Promise<void> {
  const row = await tx.integrationCredential.findUnique({ where: { id: input.credentialId } });
  const byUser = input.reason === 'user_revoked';
  // A user's revoke destroys the secret whatever Mattermost thought of it (an `invalid` row
  // still holds a decryptable ciphertext); the server's rejection only marks a connected one.
  if (!row || row.status === 'revoked' || (!byUser && row.status !== 'connected')) return;
  await tx.integrationCredential.update({
    where: { id: row.id },
    data: byUser
      ? { status: 'revoked', ciphertext: new Uint8Array(0), nonce: new Uint8Array(0), authTag: new Uint8Array(0), lastError: 'Revoked by a tenant admin.' }
      : { status: 'invalid', lastError: row.provider === 'mattermost' ? 'Mattermost rejected this credential.' : 'The provider rejected this credential.' },
  });
  await emitSignal(tx, {
    tenantId: input.tenantId,
    type: SIGNAL_TYPES.credentialRevoked,
    source: byUser ? 'fleetprompt.api' : 'fleetprompt.digest',
    subject: `credential:${row.id}`,
    correlationId: input.correlationId ?? `credential:${row.id}`,
    dedupeKey: byUser ? null : `${row.id}:rejected:${row.updatedAt.toISOString()}`,
    payload: { credential_id: row.id, kind: row.kind, host: row.host, fingerprint: row.fingerprint, reason: input.reason },
  });
}
