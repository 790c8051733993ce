// Signals: ingest from a tenant's own systems (agent.execution.*, workflow.run.*), and the
// filterable list the admin/support view reads, which also replays a range in order (ndjson).
//
// Role gate for ingest: owner or admin, like every other write. A reporting system gets its own
// admin token (revocable on its own); member tokens stay read-only everywhere.
import express, { Router, type Response } from 'express';
import type { Signal } from '../../lib/db/generated/client';
import { notifySignalTriggers } from '../../lib/packages/signal-triggers';
import { INGEST_SOURCE_PREFIX, ingestSignals } from '../../lib/signals/ingest-signals';
import { decodeSignalCursor, encodeSignalCursor, iterateSignals, listSignalsPage, type SignalFilter } from '../../lib/signals/list-signals';
import type { ComposedAppDeps } from '../app-deps';
import { principalOf, requireRole, tenantOf } from '../middleware/auth';
import { parseInput } from '../middleware/parse';
import { setRequestCorrelationId } from '../middleware/request-context';
import { presentSignal } from '../presenters';
import { ZIngestBody, ZSignalListQuery } from './signals.schemas';

/** An ingest batch may be larger than other requests (up to 5,000 signals). Mount before the API's own JSON parser. */
export const INGEST_BODY_LIMIT = '10mb';
export function ingestBodyParser() {
  return express.json({ limit: INGEST_BODY_LIMIT, strict: true });
}

export function signalsRouter(deps: Pick<ComposedAppDeps, 'db' | 'packages' | 'packageSignaller' | 'logger'>): Router {
  const router = Router({ mergeParams: true });

  router.post('/', requireRole('owner', 'admin'), async (req, res) => {
    const body = parseInput(ZIngestBody, req.body ?? {}, 'signal batch');
    const tenant = tenantOf(res);
    const principal = principalOf(res);
    const defaultSource = principal.kind === 'token' ? `token:${principal.tokenId}` : `user:${principal.userId}`;
    const result = await ingestSignals(deps.db, { tenantId: tenant.id, items: body.signals, defaultSource });
    // Committed: wake the event-driven packages that want these (failure alerts). Best effort, counts only.
    await notifySignalTriggers(
      { db: deps.db, packages: deps.packages, signaller: deps.packageSignaller, logger: deps.logger },
      tenant.id,
      body.signals.map((s) => ({
        type: s.type,
        source: `${INGEST_SOURCE_PREFIX}${s.source ?? defaultSource}`,
        occurredAt: s.occurred_at ? new Date(s.occurred_at) : undefined,
      })),
    );
    res.status(200).json(result);
  });

  // List and replay (lib/signals/list-signals.ts): time range, type or type prefix, correlation
  // id; newest first or oldest first; pages of a stable snapshot, or one ndjson stream.
  router.get('/', async (req, res) => {
    const q = parseInput(ZSignalListQuery, req.query, 'query');
    const tenant = tenantOf(res);
    if (q.correlation_id) setRequestCorrelationId(res, q.correlation_id);
    const filter: SignalFilter = {
      type: q.type,
      correlationId: q.correlation_id,
      subject: q.subject,
      source: q.source,
      from: q.from ? new Date(q.from) : undefined,
      to: q.to ? new Date(q.to) : undefined,
      order: q.order,
    };
    const cursor = q.cursor ? decodeSignalCursor(q.cursor, q.order) : undefined;
    if (q.format === 'ndjson') {
      await streamNdjson(res, iterateSignals(deps.db, tenant.id, filter, { pageSize: Math.max(q.limit, 100), cursor }));
      return;
    }
    const page = await listSignalsPage(deps.db, tenant.id, filter, { limit: q.limit, cursor });
    res.json({ items: page.items.map(presentSignal), next_cursor: page.next ? encodeSignalCursor(page.next) : null });
  });

  return router;
}

/** Writes one JSON line per signal, honouring backpressure; stops if the client goes away. */
async function streamNdjson(res: Response, signals: AsyncIterable<Signal>): Promise<void> {
  res.status(200).set({ 'Content-Type': 'application/x-ndjson; charset=utf-8', 'Cache-Control': 'no-store' });
  let started = false;
  try {
    for await (const signal of signals) {
      if (res.destroyed) return;
      started = true;
      if (!res.write(`${JSON.stringify(presentSignal(signal))}\n`)) await drained(res);
    }
    res.end();
  } catch (err) {
    if (!started) throw err; // nothing sent yet: the error handler answers
    res.destroy(err instanceof Error ? err : new Error(String(err))); // mid-stream: cut it, never a half line as success
  }
}

function drained(res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
