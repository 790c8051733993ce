// The posting ledger (one row per message that must reach a provider exactly once).
// A poster claims the row under a row lock; only a claim lets it send. Outcomes that cannot be
// known (the request went out, no answer came back) are recorded as `unknown`, never retried
// blindly.
import type { OutboundMessage } from '../db/generated/client';
import type { Tx } from '../db/with-tenant';
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

export async function claimOutboundMessage(tx: Tx, input: ClaimInput): Promise<ClaimResult> {
  await tx.outboundMessage.createMany({
    data: [
      {
        tenantId: input.tenantId,
        executionId: input.executionId,
        provider: input.provider,
        destination: input.destination,
        dedupeKey: input.dedupeKey,
        contentHash: input.contentHash,
      },
    ],
    skipDuplicates: true,
  });
  const [locked] = await tx.$queryRaw<{ id: string }[]>`
    select id from outbound_messages where tenant_id = ${input.tenantId}::uuid and dedupe_key = ${input.dedupeKey} for update`;
  const message = await tx.outboundMessage.findUniqueOrThrow({ where: { id: locked.id } });

  if (message.status === 'posted') return { state: 'already_posted', message };
  if (message.status === 'posting') {
    const fresh = message.claimedAt && Date.now() - message.claimedAt.getTime() < input.staleAfterMs;
    if (fresh) return { state: 'in_flight', message };
    // The previous poster died after claiming: it may or may not have sent the request.
    const unknown = await tx.outboundMessage.update({ where: { id: message.id }, data: { status: 'unknown', lastErrorKind: 'unknown' } });
    if (!input.acceptUnknown) return { state: 'unknown', message: unknown };
  }
  if (message.status === 'unknown' && !input.acceptUnknown) return { state: 'unknown', message };

  const claimed = await tx.outboundMessage.update({
    where: { id: message.id },
    data: { status: 'posting', attempts: { increment: 1 }, claimedAt: new Date(), executionId: input.executionId, contentHash: input.contentHash },
  });
  return { state: 'claimed', message: claimed };
}

export async function markOutboundPosted(tx: Tx, id: string): Promise<OutboundMessage> {
  return tx.outboundMessage.update({ where: { id }, data: { status: 'posted', postedAt: new Date(), lastErrorKind: null } });
}

/** The provider certainly did not post: a later attempt may claim the row again. */
export async function markOutboundFailed(tx: Tx, id: string, kind: FailureKind): Promise<void> {
  await tx.outboundMessage.update({ where: { id }, data: { status: 'failed', lastErrorKind: kind } });
}

/** The provider may have posted: nobody re-posts until that is established. */
export async function markOutboundUnknown(tx: Tx, id: string): Promise<void> {
  await tx.outboundMessage.update({ where: { id }, data: { status: 'unknown', lastErrorKind: 'unknown' } });
}
