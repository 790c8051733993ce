// The one way a signal is written. Signals are append-only; a dedupe key makes re-emitting
// the same fact (a retried activity, a replayed workflow) a no-op.
import type { Tx } from '../db/with-tenant';
import type { Prisma } from '../db/generated/client';
import { assertJsonSafePayload } from './json-safe';
import type { SignalType } from './catalogue';

export interface SignalInput {
  tenantId: string;
  type: SignalType;
  payload?: Record<string, unknown>;
  correlationId?: string | null;
  causationId?: string | null;
  dedupeKey?: string | null;
  source: string;
  subject?: string | null;
  occurredAt?: Date;
}

export function toSignalRow(input: SignalInput): Prisma.SignalCreateManyInput {
  const payload = input.payload ?? {};
  assertJsonSafePayload(payload);
  return {
    tenantId: input.tenantId,
    type: input.type,
    payload: payload as Prisma.InputJsonObject,
    correlationId: input.correlationId ?? null,
    causationId: input.causationId ?? null,
    dedupeKey: input.dedupeKey ?? null,
    source: input.source,
    subject: input.subject ?? null,
    occurredAt: input.occurredAt ?? new Date(),
  };
}

/** Inserts the signals (skipping any whose dedupe key exists); returns how many were new. */
export async function emitSignals(tx: Tx, inputs: SignalInput[]): Promise<number> {
  if (inputs.length === 0) return 0;
  const rows = inputs.map(toSignalRow);
  const { count } = await tx.signal.createMany({ data: rows, skipDuplicates: true });
  return count;
}

export async function emitSignal(tx: Tx, input: SignalInput): Promise<boolean> {
  return (await emitSignals(tx, [input])) === 1;
}
