// Directive history: filterable, paginated, and each directive with its signals in order.
import { Router } from 'express';
import { withTenant } from '../../lib/db/with-tenant';
import { AppError } from '../../lib/errors/app-error';
import { afterCursor, decodeCursor, encodeCursor } from '../../lib/pagination/cursor';
import type { AppDeps } from '../app-deps';
import { tenantOf } from '../middleware/auth';
import { parseInput } from '../middleware/parse';
import { presentDirective, presentSignal } from '../presenters';
import { ZDirectiveListQuery } from './directives.schemas';
import { ZIdParam } from './installations.schemas';

export function directivesRouter(deps: AppDeps): Router {
  const router = Router({ mergeParams: true });
  const links = { temporalUiUrl: deps.temporalUiUrl, namespace: deps.namespace };

  router.get('/', async (req, res) => {
    const q = parseInput(ZDirectiveListQuery, req.query, 'query');
    const tenant = tenantOf(res);
    const cursor = q.cursor ? decodeCursor(q.cursor) : undefined;
    const rows = await withTenant(deps.db, tenant.id, (tx) =>
      tx.directive.findMany({
        where: {
          ...(q.status ? { status: q.status } : {}),
          ...(q.type ? { type: q.type } : {}),
          ...(q.installation_id ? { params: { path: ['installation_id'], equals: q.installation_id } } : {}),
          ...afterCursor(cursor),
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: q.limit + 1,
      }),
    );
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    res.json({ items: page.map((d) => presentDirective(d, links)), next_cursor: rows.length > q.limit && last ? encodeCursor(last) : null });
  });

  router.get('/:id', async (req, res) => {
    const id = parseInput(ZIdParam, req.params.id, 'directive id');
    const tenant = tenantOf(res);
    const found = await withTenant(deps.db, tenant.id, async (tx) => {
      const directive = await tx.directive.findUnique({ where: { id } });
      if (!directive) return null;
      const signals = await tx.signal.findMany({ where: { correlationId: directive.correlationId }, orderBy: [{ occurredAt: 'asc' }, { createdAt: 'asc' }] });
      return { directive, signals };
    });
    if (!found) throw new AppError('DIRECTIVE_NOT_FOUND', 'No such directive in this tenant.');
    res.json({ ...presentDirective(found.directive, links), signals: found.signals.map(presentSignal) });
  });

  return router;
}
