// The posting ledger (one row per message that must reach a provider exactly once).
// A poster claims the row under a row lock; only a claim lets it send. Outcomes that cannot be
// known (the request went out, no answer came back) are recorded as `unknown`, never retried
// blindly.
// Raw SQL (lib/db/raw-sql.ts) on a pg client or a Prisma transaction: every post claims and marks
// a row, and Prisma's model queries cost more CPU than these statements (issue 12).
import type { OutboundMessage } from '../db/generated/client';
import { sqlExecute, sqlRow, type SqlClient } from '../db/raw-sql';
import type { FailureKind } from '../errors/failure-kind';

export type ClaimResult =
  | { state: 'claimed'; message: OutboundMessage }
  | { state: 'already_posted'; message: OutboundMessage }
  | { state: 'in_flight'; message: OutboundMessage }
  | { state: 'unknown'; message: OutboundMessage };

export interface ClaimInput {
  tenantId: string;
  executionId: string;
  provider: string;
  destination: string;
  dedupeKey: string;
  contentHash: string;
  /** A `posting` claim older than this belongs to a poster that died mid-request. */
  staleAfterMs: number;
  /** The caller has established (or the user decided) that an unknown outcome may be re-posted. */
  acceptUnknown?: boolean;
}

/** Every column, named as the Prisma model's fields. */
const COLUMNS = `id, tenant_id as "tenantId", execution_id as "executionId", provider, destination, dedupe_key as "dedupeKey", status, attempts,
  content_hash as "contentHash", last_error_kind as "lastErrorKind", claimed_at as "claimedAt", posted_at as "postedAt", created_at as "createdAt",
  updated_at as "updatedAt"`;

/** Sets the columns (and updated_at, as Prisma's @updatedAt did) of one row; returns it. */
async function update(tx: SqlClient, id: string, set: string, params: unknown[]): Promise<OutboundMessage> {
  const row = await sqlRow<OutboundMessage>(tx, `update outbound_messages set ${set}, updated_at = $2::timestamptz where id = $1::uuid returning ${COLUMNS}`, [
    id,
    new Date(),
    ...params,
  ]);
  if (!row) throw new Error(`The ledger row ${id} no longer exists.`);
  return row;
}

export async function claimOutboundMessage(tx: SqlClient, input: ClaimInput): Promise<ClaimResult> {
  // The row, unless it exists (createMany with skipDuplicates, as it was); the id as Prisma's @default(uuid()) made it.
  await sqlExecute(
    tx,
    `insert into outbound_messages (id, tenant_id, execution_id, provider, destination, dedupe_key, content_hash, updated_at)
     values (gen_random_uuid(), $1::uuid, $2::uuid, $3, $4, $5, $6, $7::timestamptz) on conflict do nothing`,
    [input.tenantId, input.executionId, input.provider, input.destination, input.dedupeKey, input.contentHash, new Date()],
  );
  // Locked and read in one statement.
  const message = await sqlRow<OutboundMessage>(tx, `select ${COLUMNS} from outbound_messages where tenant_id = $1::uuid and dedupe_key = $2 for update`, [
    input.tenantId,
    input.dedupeKey,
  ]);
  if (!message) throw new Error('The ledger row was not found after its insert.');

  if (message.status === 'posted') return { state: 'already_posted', message };
  if (message.status === 'posting') {
    const fresh = message.claimedAt && Date.now() - message.claimedAt.getTime() < input.staleAfterMs;
    if (fresh) return { state: 'in_flight', message };
    // The previous poster died after claiming: it may or may not have sent the request.
    const unknown = await update(tx, message.id, `status = 'unknown', last_error_kind = 'unknown'`, []);
    if (!input.acceptUnknown) return { state: 'unknown', message: unknown };
  }
  if (message.status === 'unknown' && !input.acceptUnknown) return { state: 'unknown', message };

  const claimed = await update(
    tx,
    message.id,
    `status = 'posting', attempts = attempts + 1, claimed_at = $3::timestamptz, execution_id = $4::uuid, content_hash = $5`,
    [new Date(), input.executionId, input.contentHash],
  );
  return { state: 'claimed', message: claimed };
}

export async function markOutboundPosted(tx: SqlClient, id: string): Promise<OutboundMessage> {
  return update(tx, id, `status = 'posted', posted_at = $3::timestamptz, last_error_kind = null`, [new Date()]);
}

/** The provider certainly did not post: a later attempt may claim the row again. */
export async function markOutboundFailed(tx: SqlClient, id: string, kind: FailureKind): Promise<void> {
  await update(tx, id, `status = 'failed', last_error_kind = $3`, [kind]);
}

/** The provider may have posted: nobody re-posts until that is established. */
export async function markOutboundUnknown(tx: SqlClient, id: string): Promise<void> {
  await update(tx, id, `status = 'unknown', last_error_kind = 'unknown'`, []);
}
