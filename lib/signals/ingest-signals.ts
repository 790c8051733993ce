// Signals reported by a tenant's own systems (agent executions, workflow runs) through the ingest
// API. The batch is all-or-nothing: every signal is validated first (the catalogue, JSON-safe
// payloads); then one insert skips those whose dedupe key was seen before.
//
// Two things keep reported signals apart from the platform's own:
//   - the source is stored as "ingest:<source>", so a report can never pass for fleetprompt.*;
//   - the dedupe key is stored as "ingest:<key>", so a report can never claim (and so suppress)
//     a dedupe key the platform will use.
import { poolOf, type Db } from '../db/client';
import type { Prisma } from '../db/generated/client';
import { withTenant } from '../db/with-tenant';
import { withTenantPg } from '../db/with-tenant-pg';
import { AppError, isAppError } from '../errors/app-error';
import type { FieldIssue } from '../errors/zod-issues';
import type { SignalType } from './catalogue';
import { byDedupeKey, emitSignalRowsPg, emitSignals, toSignalRow, type SignalInput } from './emit-signal';

export const INGEST_SOURCE_PREFIX = 'ingest:';
export const INGEST_DEDUPE_PREFIX = 'ingest:';

export interface IngestSignalItem {
  type: string;
  occurred_at?: string;
  dedupe_key?: string;
  correlation_id?: string;
  causation_id?: string;
  subject?: string;
  source?: string;
  payload?: Record<string, unknown>;
}

export interface IngestResult {
  received: number;
  accepted: number;
  duplicates: number;
}

export function toIngestedSignal(tenantId: string, item: IngestSignalItem, defaultSource: string): SignalInput {
  return {
    tenantId,
    // The route's schema admits only catalogue types with an ingestible prefix.
    type: item.type as SignalType,
    occurredAt: item.occurred_at ? new Date(item.occurred_at) : undefined,
    dedupeKey: item.dedupe_key ? `${INGEST_DEDUPE_PREFIX}${item.dedupe_key}` : null,
    correlationId: item.correlation_id ?? null,
    causationId: item.causation_id ?? null,
    subject: item.subject ?? null,
    source: `${INGEST_SOURCE_PREFIX}${item.source ?? defaultSource}`,
    payload: item.payload ?? {},
  };
}

export async function ingestSignals(db: Db, input: { tenantId: string; items: IngestSignalItem[]; defaultSource: string }): Promise<IngestResult> {
  const issues: FieldIssue[] = [];
  const signals: SignalInput[] = [];
  const rows: Prisma.SignalCreateManyInput[] = [];
  input.items.forEach((item, i) => {
    const signal = toIngestedSignal(input.tenantId, item, input.defaultSource);
    try {
      rows.push(toSignalRow(signal)); // assertJsonSafePayload, as for every signal the platform writes
      signals.push(signal);
    } catch (err) {
      if (!isAppError(err)) throw err;
      const details = Array.isArray(err.details) ? (err.details as FieldIssue[]) : [{ path: '(root)', message: err.message }];
      for (const d of details) issues.push({ path: `signals.${i}.payload${d.path === '(root)' ? '' : `.${d.path}`}`, message: d.message });
    }
  });
  if (issues.length > 0) {
    throw new AppError(
      'VALIDATION_FAILED',
      `The signal batch is invalid: ${issues
        .slice(0, 5)
        .map((x) => `${x.path}: ${x.message}`)
        .join('; ')}${issues.length > 5 ? ` (and ${issues.length - 5} more)` : ''}. Nothing was stored.`,
      { details: issues },
    );
  }
  rows.sort(byDedupeKey);
  // Straight through pg when the client has a pool (createDb): Prisma's raw-query layer cost more
  // CPU per signal than the insert itself (bench/signal-ingest.ts).
  const pool = poolOf(db);
  const accepted = pool
    ? await withTenantPg(pool, input.tenantId, (client) => emitSignalRowsPg(client, signals, rows))
    : await withTenant(db, input.tenantId, (tx) => emitSignals(tx, signals));
  return { received: signals.length, accepted, duplicates: signals.length - accepted };
}
