// Connection status from evidence. `invalid` means Mattermost has definitively refused the
// credential: its own answer refused it (a 401 for a token; for a webhook the 400
// `web.incoming_webhook.invalid.app_error`, the wrapped 400 of newer servers, or the 403 "the
// hook's creator may not post") twice, at least REFUSAL_CONFIRM_MS apart, with no success in
// between. One refusal is not proof: Mattermost's HandleIncomingWebhook
// (server/channels/app/webhook.go) answers 400 invalid.app_error for *any* failure to load the
// hook, a database hiccup included. Any later success (a post, a verification) returns the
// credential to `connected`. A 403 for a token (its user is not in the channel) is a permission
// on the channel, not a refusal of the credential, and changes nothing here.
import { sqlExecute, sqlRow, type SqlClient } from '../db/raw-sql';
import type { Tx } from '../db/with-tenant';
import type { MattermostError } from '../mattermost';
import { SIGNAL_TYPES } from '../signals/catalogue';
import { emitSignal } from '../signals/emit-signal';

export const REFUSAL_CONFIRM_MS = 60_000;

/** The refusal's code when Mattermost itself refused the credential, else null. */
export function refusalCode(err: MattermostError): string | null {
  if (!err.errorId) return null; // not Mattermost's own AppError: a proxy, a web page, a guess
  if (err.code === 'INVALID_WEBHOOK' || err.code === 'TOKEN_INVALID') return err.code;
  if (err.code === 'FORBIDDEN' && err.status === 403) return err.code; // the hook's creator may not post
  return null;
}

export type RefusalVerdict = 'first_refusal' | 'awaiting_confirmation' | 'invalid' | 'not_connected';

/** Records one refusal. `invalid` when this one confirms an earlier one. */
export async function recordRefusal(
  tx: Tx,
  input: { tenantId: string; credentialId: string; code: string; correlationId?: string; confirmMs?: number; now?: Date },
): Promise<RefusalVerdict> {
  const now = input.now ?? new Date();
  const row = await tx.integrationCredential.findUnique({ where: { id: input.credentialId } });
  if (!row || row.status === 'revoked') return 'not_connected';
  if (row.status === 'invalid') return 'invalid';
  const first = row.refusalCount > 0 && row.firstRefusedAt ? row.firstRefusedAt : null;
  const confirmMs = input.confirmMs ?? REFUSAL_CONFIRM_MS;
  if (first && now.getTime() - first.getTime() >= confirmMs) {
    await tx.integrationCredential.update({
      where: { id: row.id },
      data: {
        status: 'invalid',
        refusalCount: row.refusalCount + 1,
        lastRefusalCode: input.code,
        lastError: `Mattermost refused this credential (${input.code}) at ${first.toISOString()} and again at ${now.toISOString()}.`,
      },
    });
    await emitSignal(tx, {
      tenantId: input.tenantId,
      type: SIGNAL_TYPES.credentialRevoked,
      source: 'fleetprompt.digest',
      subject: `credential:${row.id}`,
      correlationId: input.correlationId ?? `credential:${row.id}`,
      dedupeKey: `${row.id}:refused:${first.toISOString()}`,
      payload: { credential_id: row.id, kind: row.kind, host: row.host, fingerprint: row.fingerprint, reason: 'rejected_by_server', code: input.code },
    });
    return 'invalid';
  }
  await tx.integrationCredential.update({
    where: { id: row.id },
    data: {
      refusalCount: row.refusalCount + 1,
      firstRefusedAt: first ?? now,
      lastRefusalCode: input.code,
      lastError: `Mattermost refused this credential once (${input.code}); checking again before marking it invalid.`,
    },
  });
  return first ? 'awaiting_confirmation' : 'first_refusal';
}

/** Mattermost accepted the credential: clears refusals, and `invalid` becomes `connected`. Returns true if the status changed. */
export async function recordAccepted(tx: SqlClient, input: { credentialId: string; now?: Date }): Promise<boolean> {
  const now = input.now ?? new Date();
  // Every post's case (connected, no refusal on record) in one raw statement (issue 12); updated_at as Prisma's @updatedAt set it.
  const verified = await sqlExecute(
    tx,
    `update integration_credentials set last_verified_at = $2::timestamptz, updated_at = $3::timestamptz
      where id = $1::uuid and status = 'connected' and refusal_count = 0`,
    [input.credentialId, now, new Date()],
  );
  if (verified > 0) return false;
  const row = await sqlRow<{ status: string }>(tx, `select status from integration_credentials where id = $1::uuid`, [input.credentialId]);
  if (!row || row.status === 'revoked') return false;
  await sqlExecute(
    tx,
    `update integration_credentials set status = 'connected', refusal_count = 0, first_refused_at = null, last_refusal_code = null, last_error = null,
       last_verified_at = $2::timestamptz, updated_at = $3::timestamptz
      where id = $1::uuid`,
    [input.credentialId, now, new Date()],
  );
  return row.status !== 'connected';
}
