// Signals: ingest from a tenant's own systems (agent.execution.*, workflow.run.*), and the
// filterable list the admin/support view reads.
//
// Role gate for ingest: owner or admin, like every other write. A reporting system gets its own
// admin token (revocable on its own); member tokens stay read-only everywhere.
import express, { Router } from 'express';
import type { Prisma } from '../../lib/db/generated/client';
import { withTenant } from '../../lib/db/with-tenant';
import { decodeCursor, encodeCursor } from '../../lib/pagination/cursor';
import { ingestSignals } from '../../lib/signals/ingest-signals';
import type { AppDeps } from '../app';
import { principalOf, requireRole, tenantOf } from '../middleware/auth';
import { parseInput } from '../middleware/parse';
import { presentSignal } from '../presenters';
import { ZIngestBody, ZSignalListQuery } from './signals.schemas';

/** An ingest batch may be larger than other requests (500 signals). Mount before the API's own JSON parser. */
export const INGEST_BODY_LIMIT = '1mb';
export function ingestBodyParser() {
  return express.json({ limit: INGEST_BODY_LIMIT, strict: true });
}

export function signalsRouter(deps: Pick<AppDeps, 'db'>): Router {
  const router = Router({ mergeParams: true });

  router.post('/', requireRole('owner', 'admin'), async (req, res) => {
    const body = parseInput(ZIngestBody, req.body ?? {}, 'signal batch');
    const tenant = tenantOf(res);
    const principal = principalOf(res);
    const defaultSource = principal.kind === 'token' ? `token:${principal.tokenId}` : `user:${principal.userId}`;
    const result = await ingestSignals(deps.db, { tenantId: tenant.id, items: body.signals, defaultSource });
    res.status(200).json(result);
  });

  router.get('/', async (req, res) => {
    const q = parseInput(ZSignalListQuery, req.query, 'query');
    const tenant = tenantOf(res);
    // Newest first by when it happened; the cursor is (occurred_at, id).
    const cursor = q.cursor ? decodeCursor(q.cursor) : undefined;
    const where: Prisma.SignalWhereInput = {
      ...(q.type ? (q.type.endsWith('.') ? { type: { startsWith: q.type } } : { type: q.type }) : {}),
      ...(q.correlation_id ? { correlationId: q.correlation_id } : {}),
      ...(q.subject ? { subject: q.subject } : {}),
      ...(q.source ? { source: q.source } : {}),
      ...(cursor ? { OR: [{ occurredAt: { lt: cursor.createdAt } }, { occurredAt: cursor.createdAt, id: { lt: cursor.id } }] } : {}),
    };
    const rows = await withTenant(deps.db, tenant.id, (tx) => tx.signal.findMany({ where, orderBy: [{ occurredAt: 'desc' }, { id: 'desc' }], take: q.limit + 1 }));
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    res.json({ items: page.map(presentSignal), next_cursor: rows.length > q.limit && last ? encodeCursor({ createdAt: last.occurredAt, id: last.id }) : null });
  });

  return router;
}
