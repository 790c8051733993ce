// Disconnecting a credential: the secret material is destroyed (not just flagged), the row says
// who disconnected it, when and why, and a signal records it. A user's Disconnect and an
// uninstall both end here. Mattermost refusing the digest's credential goes through
// credential-evidence.ts instead (one refusal is not proof); `rejected_by_server` remains for
// other providers' callers (the LLM integration), which mark the credential invalid at once.
import type { Tx } from '../db/with-tenant';
import { SIGNAL_TYPES } from '../signals/catalogue';
import { emitSignal } from '../signals/emit-signal';

export type DisconnectReason = 'user_disconnected' | 'uninstalled';

export async function revokeCredential(
  tx: Tx,
  input: {
    tenantId: string;
    credentialId: string;
    reason: DisconnectReason | 'user_revoked' | 'rejected_by_server';
    userId?: string | null;
    /** A Disconnect sent with a bearer API token: the token (it has no user). */
    tokenId?: string | null;
    correlationId?: string;
  },
): Promise<boolean> {
  const row = await tx.integrationCredential.findUnique({ where: { id: input.credentialId } });
  const byServer = input.reason === 'rejected_by_server';
  // A person's disconnect destroys the secret whatever the provider thought of it; the server's
  // rejection only marks a connected one.
  if (!row || row.status === 'revoked' || (byServer && row.status !== 'connected')) return false;
  const reason: DisconnectReason | 'rejected_by_server' = input.reason === 'user_revoked' ? 'user_disconnected' : input.reason;
  await tx.integrationCredential.update({
    where: { id: row.id },
    data: byServer
      ? { status: 'invalid', lastError: row.provider === 'mattermost' ? 'Mattermost rejected this credential.' : 'The provider rejected this credential.' }
      : {
          status: 'revoked',
          ciphertext: new Uint8Array(0),
          nonce: new Uint8Array(0),
          authTag: new Uint8Array(0),
          lastError: null,
          disconnectedAt: new Date(),
          disconnectedByUserId: input.userId ?? null,
          disconnectedByTokenId: input.tokenId ?? null,
          disconnectReason: reason,
        },
  });
  await emitSignal(tx, {
    tenantId: input.tenantId,
    type: SIGNAL_TYPES.credentialRevoked,
    source: byServer ? 'fleetprompt.digest' : 'fleetprompt.api',
    subject: `credential:${row.id}`,
    correlationId: input.correlationId ?? `credential:${row.id}`,
    dedupeKey: byServer ? `${row.id}:rejected:${row.updatedAt.toISOString()}` : null,
    payload: {
      credential_id: row.id,
      kind: row.kind,
      host: row.host,
      fingerprint: row.fingerprint,
      reason,
      by_user_id: input.userId ?? null,
      by_token_id: input.tokenId ?? null,
    },
  });
  return true;
}
