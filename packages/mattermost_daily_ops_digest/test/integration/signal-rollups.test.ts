// Hourly signal rollups (migration 20261201083500_signal_hourly_rollups): kept by triggers in the
// same transaction as every signal insert and delete, they must always equal a recount of the
// signals, and the rollup-based digest aggregation must equal the raw scan it replaced — on
// random data, with duplicate dedupe keys sent by concurrent transactions, rolled-back inserts and
// the retention purge.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { Client } from 'pg';
import type { DbHandle } from '../../../../lib/db/client';
import { withTenantSql } from '../../../../lib/db/raw-sql';
import { withTenant } from '../../../../lib/db/with-tenant';
import { collectDigestStats } from '../../collect-digest-stats';
import { SIGNAL_TYPES, type SignalType } from '../../../../lib/signals/catalogue';
import { emitSignals, type SignalInput } from '../../../../lib/signals/emit-signal';
import { ingestSignals } from '../../../../lib/signals/ingest-signals';
import { adminClient, createTestTenant, testDb } from '../../../../test/helpers/db';
import { collectDigestStatsFromSignals } from '../helpers/raw-digest-stats';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// Old enough for app_purge_signals (which refuses the last day) and older than any other test's signals.
// Hour-aligned, so offsets of whole hours are UTC hour boundaries (the rollups' own).
const ORIGIN = Math.floor((Date.now() - 60 * DAY) / HOUR) * HOUR;
// Short, so random signals are dense enough that every window edge has signals near it.
const SPAN = 8 * HOUR;

const TYPES = Object.values(SIGNAL_TYPES) as SignalType[];
const KINDS = ['timeout', 'network', 'auth', 'rate_limit', '', 'x'.repeat(3_000)];

interface Draft {
  type: SignalType;
  offsetMs: number;
  key: number | null;
  payload: Record<string, unknown>;
}

const payloadArb = fc.oneof(
  fc.constant({}),
  fc.record({
    cost_usd: fc.oneof(
      fc.integer({ min: 0, max: 1_000_000 }).map((n) => n / 10_000),
      fc.constant(0),
      fc.constant(12345678.1234),
    ),
  }),
  fc.record({ cost_usd: fc.constantFrom('0.5', null, true) }),
  fc.record({ error_kind: fc.constantFrom(...KINDS), error: fc.string({ maxLength: 20 }) }, { requiredKeys: [] }),
  fc.record({ error_type: fc.constantFrom(...KINDS), message: fc.string({ maxLength: 20 }) }, { requiredKeys: ['error_type'] }),
  fc.record({ error_kind: fc.constantFrom(...KINDS), cost_usd: fc.integer({ min: 0, max: 999 }).map((n) => n / 1000) }),
);

const draftArb: fc.Arbitrary<Draft> = fc.record({
  type: fc.constantFrom(...TYPES),
  // Clustered near hour boundaries half of the time, where an off-by-one would show.
  offsetMs: fc.oneof(
    fc.integer({ min: 0, max: SPAN - 1 }),
    fc.tuple(fc.integer({ min: 1, max: 7 }), fc.integer({ min: -2, max: 1 })).map(([h, d]) => h * HOUR + d),
  ),
  // A small key space: the same key arrives many times, in one batch and across batches.
  key: fc.option(fc.integer({ min: 0, max: 40 }), { nil: null, freq: 3 }),
  payload: payloadArb,
});

/** A window inside [ORIGIN, ORIGIN + SPAN): whole hours, partial hours, within one hour, empty. */
const windowArb = fc.oneof(
  fc.tuple(fc.integer({ min: 0, max: SPAN }), fc.integer({ min: 0, max: SPAN })).map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const),
  fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 1, max: 8 })).map(([h, n]) => [h * HOUR, (h + n) * HOUR] as const),
  // Edges a millisecond either side of an hour boundary.
  fc
    .tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: -1, max: 1 }), fc.integer({ min: -1, max: 1 }))
    .map(([h, n, d, e]) => [Math.max(0, h * HOUR + d), (h + n) * HOUR + e] as const),
  fc.tuple(fc.integer({ min: 0, max: SPAN - HOUR }), fc.integer({ min: 0, max: HOUR })).map(([a, n]) => [a, a + n] as const),
);

describe('hourly signal rollups', () => {
  let handle: DbHandle;
  let admin: Client;

  beforeAll(async () => {
    handle = testDb();
    admin = await adminClient();
  });
  afterAll(async () => {
    await admin.end();
    await handle.close();
  });

  const toInput =
    (tenantId: string, run: string) =>
    (d: Draft): SignalInput => ({
      tenantId,
      type: d.type,
      occurredAt: new Date(ORIGIN + d.offsetMs),
      dedupeKey: d.key === null ? null : `${run}:${d.key}`,
      source: 'test.rollups',
      payload: d.payload,
    });

  /** The rollup rows of a tenant, and the same recounted from its signals (as the superuser). */
  async function rollupsAndRecount(tenantId: string) {
    const rollups = await admin.query(
      `select hour, type, error_kind_hash, error_kind, n::text, cost_n::text, trim_scale(cost_sum)::text as cost_sum from signal_hourly_rollups where tenant_id = $1 order by 1, 2, 3`,
      [tenantId],
    );
    const recount = await admin.query(
      `select date_trunc('hour', occurred_at, 'UTC') as hour, type, md5(k) as error_kind_hash, k as error_kind, count(*)::text as n,
              count(app_signal_cost(payload))::text as cost_n, trim_scale(coalesce(sum(app_signal_cost(payload)), 0))::text as cost_sum
         from (select *, app_signal_error_kind(type, payload) as k from signals where tenant_id = $1) s
        group by 1, 2, 3, 4 order by 1, 2, 3`,
      [tenantId],
    );
    return { rollups: rollups.rows, recount: recount.rows };
  }

  async function expectSameStats(tenantId: string, windows: (readonly [number, number])[]) {
    for (const [a, b] of windows) {
      const input = { tenantId, tenantName: 't', timezone: 'UTC', windowStart: new Date(ORIGIN + a), windowEnd: new Date(ORIGIN + b) };
      const viaRollups = await withTenant(handle.db, tenantId, (tx) => collectDigestStats(tx, input));
      // As the worker runs it: on the pg pool, as named statements with generic plans.
      const viaPool = await withTenantSql(handle.db, tenantId, (client) => collectDigestStats(client, input));
      const viaSignals = await withTenant(handle.db, tenantId, (tx) => collectDigestStatsFromSignals(tx, input));
      expect({ window: [a, b], stats: viaRollups }).toEqual({ window: [a, b], stats: viaSignals });
      expect({ window: [a, b], stats: viaPool }).toEqual({ window: [a, b], stats: viaSignals });
    }
  }

  it('equal a recount of the signals, and the digest equals the raw scan, after concurrent, duplicate and rolled-back inserts', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(draftArb, { minLength: 20, maxLength: 120 }), { minLength: 2, maxLength: 6 }),
        fc.array(draftArb, { maxLength: 20 }),
        fc.array(windowArb, { minLength: 1, maxLength: 5 }),
        async (batches, rolledBack, windows) => {
          const tenant = await createTestTenant(handle, 'rollup');
          const run = randomUUID();
          const convert = toInput(tenant.id, run);
          // All batches at once, each in its own transaction; keys overlap across batches.
          await Promise.all([
            ...batches.map((batch) => withTenant(handle.db, tenant.id, (tx) => emitSignals(tx, batch.map(convert)))),
            withTenant(handle.db, tenant.id, async (tx) => {
              await emitSignals(
                tx,
                rolledBack.map((d) => ({ ...convert(d), dedupeKey: `rolled-back:${randomUUID()}` })),
              );
              throw new Error('roll back');
            }).catch((err: Error) => expect(err.message).toBe('roll back')),
          ]);
          const { rollups, recount } = await rollupsAndRecount(tenant.id);
          expect(rollups).toEqual(recount);
          // Every key stored once, and every keyless signal kept.
          const keys = new Set(
            batches
              .flat()
              .filter((d) => d.key !== null)
              .map((d) => d.key),
          );
          const keyless = batches.flat().filter((d) => d.key === null).length;
          const stored = await admin.query<{ n: string }>(`select count(*)::text as n from signals where tenant_id = $1`, [tenant.id]);
          expect(Number(stored.rows[0].n)).toBe(keys.size + keyless);
          await expectSameStats(tenant.id, windows);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('the retention purge takes its signals out of the rollups (emptied hours disappear)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(draftArb, { minLength: 30, maxLength: 200 }),
        fc.integer({ min: 0, max: SPAN }),
        fc.integer({ min: 7, max: 60 }),
        async (drafts, cutMs, batch) => {
          const tenant = await createTestTenant(handle, 'rollup-purge');
          const run = randomUUID();
          await withTenant(handle.db, tenant.id, (tx) => emitSignals(tx, drafts.map(toInput(tenant.id, run))));
          // Purge (as the retention activity does, through the app role) in small batches.
          const before = new Date(ORIGIN + cutMs);
          for (;;) {
            const rows = await handle.db.$queryRaw<{ n: number }[]>`select app_purge_signals(${before}::timestamptz, ${batch}::integer) as n`;
            if (Number(rows[0].n) < batch) break;
          }
          const { rollups, recount } = await rollupsAndRecount(tenant.id);
          expect(rollups).toEqual(recount);
          expect(rollups.every((r) => Number(r.n) > 0)).toBe(true);
          await expectSameStats(tenant.id, [
            [0, SPAN],
            [cutMs - 5 * HOUR, cutMs + 5 * HOUR + 1234],
          ]);
        },
      ),
      { numRuns: 15 },
    );
  });

  it('concurrent ingest of the same batch through the ingest path stores and counts it once', async () => {
    const tenant = await createTestTenant(handle, 'rollup-ingest');
    const now = Date.now();
    const items = Array.from({ length: 300 }, (_, i) => ({
      type: i % 3 === 0 ? 'agent.execution.failed' : 'agent.execution.completed',
      occurred_at: new Date(now - (i % 7) * HOUR - 1000).toISOString(),
      dedupe_key: `k-${i}`,
      payload: i % 3 === 0 ? { error_kind: `kind-${i % 4}` } : { cost_usd: (i % 10) / 100 },
    }));
    // The same 300 signals sent 6 times at once, in different orders.
    const orders = Array.from({ length: 6 }, (_, j) => {
      const rotated = [...items.slice(j * 50), ...items.slice(0, j * 50)];
      return j % 2 ? rotated.reverse() : rotated;
    });
    const results = await Promise.all(orders.map((o) => ingestSignals(handle.db, { tenantId: tenant.id, items: o, defaultSource: 'test' })));
    expect(results.reduce((s, r) => s + r.accepted, 0)).toBe(300);
    expect(results.reduce((s, r) => s + r.duplicates, 0)).toBe(5 * 300);
    const { rollups, recount } = await rollupsAndRecount(tenant.id);
    expect(rollups).toEqual(recount);
    expect(rollups.reduce((s, r) => s + Number(r.n), 0)).toBe(300);
    const stats = await withTenant(handle.db, tenant.id, (tx) =>
      collectDigestStats(tx, { tenantId: tenant.id, tenantName: 't', timezone: 'UTC', windowStart: new Date(now - DAY), windowEnd: new Date(now) }),
    );
    expect(stats.executions).toEqual({ completed: 200, failed: 100 });
    expect(stats.topErrors).toEqual([0, 1, 2, 3].map((k) => ({ errorKind: `kind-${k}`, count: 25 })));
  });

  it('tenant A reads none of tenant B’s rollups, and the application cannot write rollups', async () => {
    const a = await createTestTenant(handle, 'rollup-a');
    const b = await createTestTenant(handle, 'rollup-b');
    await withTenant(handle.db, b.id, (tx) =>
      emitSignals(tx, [{ tenantId: b.id, type: 'agent.execution.completed', source: 'test', payload: { cost_usd: 1 } }]),
    );
    const seenByA = await withTenant(handle.db, a.id, (tx) => tx.$queryRawUnsafe<{ tenant_id: string }[]>(`select tenant_id from signal_hourly_rollups`));
    expect(seenByA).toEqual([]);
    const seenByB = await withTenant(handle.db, b.id, (tx) => tx.$queryRawUnsafe<{ n: bigint }[]>(`select n from signal_hourly_rollups`));
    expect(seenByB.map((r) => Number(r.n))).toEqual([1]);
    await expect(withTenant(handle.db, b.id, (tx) => tx.$executeRawUnsafe(`update signal_hourly_rollups set n = n + 1`))).rejects.toThrow(/permission denied/);
    await expect(
      withTenant(handle.db, b.id, (tx) => tx.$executeRawUnsafe(`insert into signal_hourly_rollups values ($1::uuid, now(), 'x', 'h', '', 1, 0, 0)`, b.id)),
    ).rejects.toThrow(/permission denied/);
  });
});
