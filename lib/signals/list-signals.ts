// Reading a tenant's signals in time order, for the admin view and for replay: filtered by time
// range, type (or type prefix), correlation id, subject and source, and paged with a keyset
// cursor over (occurred_at, id).
//
// Stable under concurrent inserts: the first page fixes a snapshot instant (`as_of`, carried in
// the cursor) and every page reads only signals recorded by then (created_at <= as_of). A signal
// reported later — even one whose occurred_at lies in the range already paged — is never mixed
// in, so a replay sees every signal of its snapshot exactly once, none twice, none skipped.
import type { Signal } from '../db/generated/client';
import type { Prisma } from '../db/generated/client';
import type { Db } from '../db/client';
import { withTenant } from '../db/with-tenant';
import { AppError } from '../errors/app-error';

export type SignalOrder = 'asc' | 'desc';

export interface SignalFilter {
  /** An exact type, or a prefix ending in "." (e.g. "mattermost."). */
  type?: string;
  correlationId?: string;
  subject?: string;
  source?: string;
  /** occurred_at >= from */
  from?: Date;
  /** occurred_at < to */
  to?: Date;
  order: SignalOrder;
}

export interface SignalCursor {
  occurredAt: Date;
  id: string;
  asOf: Date;
  order: SignalOrder;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function encodeSignalCursor(c: SignalCursor): string {
  return Buffer.from(JSON.stringify({ v: 1, t: c.occurredAt.toISOString(), i: c.id, a: c.asOf.toISOString(), o: c.order })).toString('base64url');
}

export function decodeSignalCursor(raw: string, order: SignalOrder): SignalCursor {
  const invalid = (message: string) => new AppError('VALIDATION_FAILED', `The cursor is not valid: ${message}.`, { details: [{ path: 'cursor', message }] });
  let parsed: { v?: unknown; t?: unknown; i?: unknown; a?: unknown; o?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as typeof parsed;
  } catch {
    throw invalid('use next_cursor from a previous page');
  }
  const occurredAt = new Date(String(parsed?.t));
  const asOf = new Date(String(parsed?.a));
  if (parsed?.v !== 1 || typeof parsed.i !== 'string' || !UUID.test(parsed.i) || Number.isNaN(occurredAt.getTime()) || Number.isNaN(asOf.getTime())) {
    throw invalid('use next_cursor from a previous page');
  }
  if (parsed.o !== order) throw invalid(`it was made for order=${String(parsed.o)}; keep the same query parameters while paging`);
  return { occurredAt, id: parsed.i, asOf, order };
}

export function signalWhere(filter: SignalFilter, cursor: SignalCursor | undefined, asOf: Date): Prisma.SignalWhereInput {
  const and: Prisma.SignalWhereInput[] = [{ createdAt: { lte: asOf } }];
  if (filter.type) and.push(filter.type.endsWith('.') ? { type: { startsWith: filter.type } } : { type: filter.type });
  if (filter.correlationId) and.push({ correlationId: filter.correlationId });
  if (filter.subject) and.push({ subject: filter.subject });
  if (filter.source) and.push({ source: filter.source });
  if (filter.from) and.push({ occurredAt: { gte: filter.from } });
  if (filter.to) and.push({ occurredAt: { lt: filter.to } });
  if (cursor) {
    const beyond = filter.order === 'asc' ? 'gt' : 'lt';
    and.push({ OR: [{ occurredAt: { [beyond]: cursor.occurredAt } }, { occurredAt: cursor.occurredAt, id: { [beyond]: cursor.id } }] });
  }
  return { AND: and };
}

export interface SignalPage {
  items: Signal[];
  next: SignalCursor | null;
  asOf: Date;
}

/** One page; `next` is null on the last. */
export async function listSignalsPage(
  db: Db,
  tenantId: string,
  filter: SignalFilter,
  page: { limit: number; cursor?: SignalCursor; now?: Date },
): Promise<SignalPage> {
  const { rows, asOf } = await withTenant(db, tenantId, async (tx) => {
    // The snapshot instant comes from the database clock, the same clock that sets created_at.
    const asOf = page.cursor?.asOf ?? page.now ?? (await tx.$queryRaw<{ now: Date }[]>`select clock_timestamp() as now`)[0].now;
    const rows = await tx.signal.findMany({
      where: signalWhere(filter, page.cursor, asOf),
      orderBy: [{ occurredAt: filter.order }, { id: filter.order }],
      take: page.limit + 1,
    });
    return { rows, asOf };
  });
  const items = rows.slice(0, page.limit);
  const last = items[items.length - 1];
  return { items, asOf, next: rows.length > page.limit && last ? { occurredAt: last.occurredAt, id: last.id, asOf, order: filter.order } : null };
}

/** Every matching signal of one snapshot, page by page (for streaming replay). */
export async function* iterateSignals(
  db: Db,
  tenantId: string,
  filter: SignalFilter,
  options: { pageSize?: number; cursor?: SignalCursor } = {},
): AsyncGenerator<Signal> {
  let cursor = options.cursor;
  let asOf: Date | undefined;
  for (;;) {
    const page = await listSignalsPage(db, tenantId, filter, { limit: options.pageSize ?? 500, cursor, now: asOf });
    asOf = page.asOf;
    yield* page.items;
    if (!page.next) return;
    cursor = page.next;
  }
}
