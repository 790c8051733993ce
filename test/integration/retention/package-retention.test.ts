// Retention of package-owned data is a package hook (PackageModule.retention): the core's purge
// activity, on the real database, calls each package's purges with the signals' own cutoff once
// the signals are done — each until a batch comes back short — heartbeating as it goes, and not
// before the signals are done (the workflow calls again, and the packages' turn comes then).
import type { Client } from 'pg';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createPurgeSignals, type PurgeSignalsInput, type PurgeSignalsResult } from '../../../activities/retention/purge-signals';
import type { DbHandle } from '../../../lib/db/client';
import { createLogger } from '../../../lib/log/logger';
import type { RetentionPurge } from '../../../lib/retention/retention-purge';
import type { PackageModule } from '../../../packages/module';
import { PACKAGE_MODULES } from '../../../packages/registry';
import { adminClient, createTestTenant, testDb } from '../../helpers/db';

const DAY = 86_400_000;
const logger = createLogger({ level: 'silent' });

/** A package purge over `rows` pretend rows older than any cutoff: records each call. */
function recordingPurge(name: string, rows: number) {
  const calls: Array<{ before: Date; batchSize: number }> = [];
  let left = rows;
  const purge: RetentionPurge = {
    name,
    purgeBatch: async (_db, before, batchSize) => {
      calls.push({ before, batchSize });
      const n = Math.min(left, batchSize);
      left -= n;
      return n;
    },
  };
  return { purge, calls };
}

describe('package retention hook', () => {
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

  it("calls every package's purges with the signals' cutoff, each until a short batch, only once the signals are done", async () => {
    const tenant = await createTestTenant(handle, 'pret');
    // 25 old signals: with batches of 10, one batch leaves some, and the packages must wait.
    await admin.query(
      `insert into signals (id, tenant_id, type, occurred_at, source, payload)
       select gen_random_uuid(), $1::uuid, 'agent.execution.completed', now() - interval '40 days' + g * interval '1 second', 'test.retention', '{}'::jsonb
         from generate_series(1, 25) g`,
      [tenant.id],
    );
    const messages = recordingPurge('pkg_messages', 23);
    const blobs = recordingPurge('pkg_blobs', 0);
    const base = PACKAGE_MODULES[0].definition;
    const packages: PackageModule[] = [{ definition: base, retention: [messages.purge, blobs.purge] }, { definition: base }];
    const purgeSignals = createPurgeSignals({ db: handle.db, logger, packages });
    const input: PurgeSignalsInput = { before: new Date(Date.now() - 30 * DAY).toISOString(), batchSize: 10, maxBatches: 1, pauseMs: 1 };

    const first: PurgeSignalsResult = await new MockActivityEnvironment().run(purgeSignals, input);
    expect(first).toMatchObject({ deleted: 10, batches: 1, done: false });
    expect(messages.calls).toEqual([]);
    expect(blobs.calls).toEqual([]);

    const env = new MockActivityEnvironment();
    const heartbeats: unknown[] = [];
    env.on('heartbeat', (d: unknown) => heartbeats.push(d));
    const second: PurgeSignalsResult = await env.run(purgeSignals, { ...input, maxBatches: 100 });
    expect(second.done).toBe(true);
    expect(second.deleted).toBeGreaterThanOrEqual(15);
    const cutoff = new Date(input.before);
    // 23 rows in batches of 10: 10, 10, 3 (short: done); an empty one is asked once.
    expect(messages.calls).toEqual([1, 2, 3].map(() => ({ before: cutoff, batchSize: 10 })));
    expect(blobs.calls).toEqual([{ before: cutoff, batchSize: 10 }]);
    expect(heartbeats.at(-1)).toEqual({ deleted: second.deleted, batches: second.batches, packageData: { pkg_messages: 23, pkg_blobs: 0 } });
    expect(Number((await admin.query(`select count(*)::int as n from signals where tenant_id = $1`, [tenant.id])).rows[0].n)).toBe(0);
  });
});
