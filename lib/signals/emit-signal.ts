// The one way a signal is written. Signals are append-only; a dedupe key makes re-emitting
// the same fact (a retried activity, a replayed workflow) a no-op.
import type { PoolClient } from 'pg';
import { sqlExecute, sqlRows, type SqlClient } from '../db/raw-sql';
import type { Prisma } from '../db/generated/client';
import { assertJsonSafePayload } from './json-safe';
import type { SignalType } from './catalogue';
import { isTelemetryEvent, recordSignalEvents } from '../metrics/telemetry';

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

// One statement for any number of rows: the columns travel as ten arrays (unnest), so the cost
// does not grow with the bind parameters. Prisma's createMany spent ~2-5 ms of CPU per row here
// (a 500-signal ingest batch took seconds; bench/signal-ingest.ts). ON CONFLICT DO NOTHING is
// exactly createMany's skipDuplicates. The id is generated here as Prisma's @default(uuid()) does.
const INSERT_SIGNALS = `insert into signals (id, tenant_id, type, occurred_at, correlation_id, causation_id, dedupe_key, source, subject, payload)
  select gen_random_uuid(), * from unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::jsonb[])
  on conflict do nothing`;

export function byDedupeKey(a: Prisma.SignalCreateManyInput, b: Prisma.SignalCreateManyInput): number {
  const x = a.dedupeKey ?? '';
  const y = b.dedupeKey ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

function insertParams(rows: Prisma.SignalCreateManyInput[]): unknown[] {
  return [
    rows.map((r) => r.tenantId),
    rows.map((r) => r.type),
    rows.map((r) => new Date(r.occurredAt!).toISOString()),
    rows.map((r) => r.correlationId ?? null),
    rows.map((r) => r.causationId ?? null),
    rows.map((r) => r.dedupeKey ?? null),
    rows.map((r) => r.source),
    rows.map((r) => r.subject ?? null),
    rows.map((r) => JSON.stringify(r.payload)),
  ];
}

/** Runs the insert: returns the row count, or (returning) the dedupe keys written. */
interface SignalWriter {
  execute(sql: string, params: unknown[]): Promise<number>;
  queryKeys(sql: string, params: unknown[]): Promise<{ dedupeKey: string | null }[]>;
}

/** The signals as rows checked by toSignalRow, in dedupe-key order (see emitSignals). */
export function toSignalRows(inputs: SignalInput[]): Prisma.SignalCreateManyInput[] {
  return inputs.map(toSignalRow).sort(byDedupeKey);
}

async function writeSignalRows(writer: SignalWriter, inputs: SignalInput[], rows: Prisma.SignalCreateManyInput[]): Promise<number> {
  if (rows.length === 0) return 0;
  if (!inputs.some((i) => isTelemetryEvent(i.type))) return writer.execute(INSERT_SIGNALS, insertParams(rows));
  const written = await writer.queryKeys(`${INSERT_SIGNALS} returning dedupe_key as "dedupeKey"`, insertParams(rows));
  const newKeys = new Set(written.map((w) => w.dedupeKey));
  recordSignalEvents(inputs.filter((i) => i.dedupeKey == null || newKeys.delete(i.dedupeKey)));
  return written.length;
}

/**
 * Inserts the signals (skipping any whose dedupe key exists); returns how many were new. Newly
 * written lifecycle signals also count as telemetry events (lib/metrics/telemetry.ts).
 * Inserted in dedupe-key order: two concurrent batches sharing keys then wait on each other in
 * one direction only (in input order, A holding k1 and B holding k2 would each wait for the
 * other's key: a deadlock). The hourly-rollup trigger takes its row locks in key order too.
 */
export async function emitSignals(tx: SqlClient, inputs: SignalInput[]): Promise<number> {
  return writeSignalRows(
    { execute: (sql, params) => sqlExecute(tx, sql, params), queryKeys: (sql, params) => sqlRows(tx, sql, params) },
    inputs,
    toSignalRows(inputs),
  );
}

/**
 * emitSignals on a plain pg client inside withTenantPg (the ingest path), for rows already made
 * by toSignalRows from these inputs.
 */
export async function emitSignalRowsPg(client: PoolClient, inputs: SignalInput[], rows: Prisma.SignalCreateManyInput[]): Promise<number> {
  return writeSignalRows(
    {
      execute: async (sql, params) => (await client.query(sql, params)).rowCount ?? 0,
      queryKeys: async (sql, params) => (await client.query<{ dedupeKey: string | null }>(sql, params)).rows,
    },
    inputs,
    rows,
  );
}

export async function emitSignal(tx: SqlClient, input: SignalInput): Promise<boolean> {
  return (await emitSignals(tx, [input])) === 1;
}
