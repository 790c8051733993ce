// Signal retention: app_purge_signals deletes old signals in bounded batches and nothing recent;
// the retention workflow loops it through a heartbeating activity; the daily Schedule is created
// idempotently (an operator's pause survives a worker restart); and a digest still runs after a
// purge, counting only what is left.
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Client } from 'pg';
import { ensureSignalRetentionSchedule, RETENTION_HOUR_UTC, RETENTION_MINUTE_UTC } from '../../../../lib/temporal/signal-retention-schedule';
import { withTenant } from '../../../../lib/db/with-tenant';
import { emitSignals } from '../../../../lib/signals/emit-signal';
import { SIGNAL_TYPES } from '../../../../lib/signals/catalogue';
import type { SignalRetentionResult } from '../../../../lib/temporal/contract';
import { adminClient, createTestTenant } from '../../../../test/helpers/db';
import { auth, openDigestStack, postsWithMarker, waitForExecution, type DigestStack } from '../../../../test/helpers/digest-stack';
import { installedTenant } from '../helpers/installed-digest';

const DAY = 86_400_000;

describe('signal retention', () => {
  let s: DigestStack;
  let admin: Client;
  beforeAll(async () => {
    s = await openDigestStack();
    admin = await adminClient();
  });
  afterAll(async () => {
    await admin.end();
    await s.close();
  });

  /** `n` signals of one tenant, `ageDays` old (spread over the following hour), written as the owner (RLS bypassed). */
  async function seed(tenantId: string, n: number, ageDays: number, type = 'agent.execution.completed') {
    await admin.query(
      `insert into signals (id, tenant_id, type, occurred_at, source, payload)
       select gen_random_uuid(), $1::uuid, $2, now() - make_interval(days => $3::int) + (g * interval '1 second'), 'test.retention', '{}'::jsonb
         from generate_series(1, $4::int) g`,
      [tenantId, type, ageDays, n],
    );
  }
  const count = async (tenantId: string, olderThanDays: number, newer = false) =>
    Number(
      (
        await admin.query(
          `select count(*)::int as n from signals where tenant_id = $1 and occurred_at ${newer ? '>=' : '<'} now() - make_interval(days => $2::int)`,
          [tenantId, olderThanDays],
        )
      ).rows[0].n,
    );

  it('app_purge_signals: one bounded batch, oldest first, never the last day; the app role still cannot DELETE', async () => {
    const tenant = await createTestTenant(s.handle, 'ret');
    await seed(tenant.id, 25, 50);
    await seed(tenant.id, 5, 2);
    const purge = (before: string, batch: number) => s.handle.db.$queryRawUnsafe<{ n: number }[]>(`select app_purge_signals(${before}, ${batch}) as n`);

    // As fleetprompt_app (the application's own connection).
    const [first] = await purge(`now() - interval '40 days'`, 10);
    expect(first.n).toBeLessThanOrEqual(10);
    await expect(purge(`now() - interval '1 hour'`, 10)).rejects.toThrow(/at least one day in the past/);
    await expect(purge(`now() - interval '40 days'`, 0)).rejects.toThrow(/between 1 and 50000/);
    await expect(s.handle.db.$executeRawUnsafe(`delete from signals where tenant_id = '${tenant.id}'`)).rejects.toThrow(/permission denied/);

    // Loop to the end: everything older than the cutoff goes (across tenants), the 2-day-old rows stay.
    for (let i = 0; i < 1000; i++) if ((await purge(`now() - interval '40 days'`, 10))[0].n < 10) break;
    expect(await count(tenant.id, 40)).toBe(0);
    expect(await count(tenant.id, 40, true)).toBe(5);
  });

  it('the retention workflow deletes signals older than the retention period, in batches, and keeps recent ones', async () => {
    const a = await createTestTenant(s.handle, 'reta');
    const b = await createTestTenant(s.handle, 'retb');
    for (const t of [a, b]) {
      await seed(t.id, 230, 45); // old: go
      await seed(t.id, 7, 31, 'package.install.completed'); // just past 30 days: go
      await seed(t.id, 11, 29); // inside retention: stay
      await seed(t.id, 3, 0); // today: stay
    }
    const result = await s.t.temporal.client.workflow.execute<(i: unknown) => Promise<SignalRetentionResult>>('signalRetentionWorkflow', {
      taskQueue: s.t.temporal.taskQueue,
      workflowId: `test-retention-${randomUUID()}`,
      args: [{ retentionDays: 30, batchSize: 40, pauseMs: 1 }],
      workflowExecutionTimeout: '2 minutes',
    });
    expect(result.deleted).toBeGreaterThanOrEqual(2 * 237);
    expect(Date.parse(result.cutoff)).toBeGreaterThan(Date.now() - 30 * DAY - 120_000);
    expect(Date.parse(result.cutoff)).toBeLessThan(Date.now() - 30 * DAY + 1000);
    for (const t of [a, b]) {
      expect(await count(t.id, 30)).toBe(0);
      expect(await count(t.id, 30, true)).toBe(14);
    }
  });

  it('the daily schedule is created once and updated in place; a pause set by an operator survives', async () => {
    const scheduleId = `test-signal-retention-${randomUUID()}`;
    const settings = { taskQueue: s.t.temporal.taskQueue, retentionDays: 30, scheduleId };
    const client = s.t.temporal.client;
    try {
      expect(await ensureSignalRetentionSchedule(client, settings)).toBe(scheduleId);
      expect(await ensureSignalRetentionSchedule(client, settings)).toBe(scheduleId); // idempotent
      const handle = client.schedule.getHandle(scheduleId);
      let d = await handle.describe();
      expect(d.spec.calendars?.map((c) => [c.hour, c.minute])).toEqual([
        [[{ start: RETENTION_HOUR_UTC, end: RETENTION_HOUR_UTC, step: 1 }], [{ start: RETENTION_MINUTE_UTC, end: RETENTION_MINUTE_UTC, step: 1 }]],
      ]);
      expect(d.policies.overlap).toBe('SKIP');
      expect(d.action).toMatchObject({ type: 'startWorkflow', workflowType: 'signalRetentionWorkflow', args: [{ retentionDays: 30 }] });
      const next = d.info.nextActionTimes[0];
      expect(next.getUTCHours()).toBe(RETENTION_HOUR_UTC);
      expect(next.getTime() - Date.now()).toBeLessThanOrEqual(DAY);

      await handle.pause('maintenance');
      await ensureSignalRetentionSchedule(client, { ...settings, retentionDays: 14 });
      d = await handle.describe();
      expect(d.state.paused).toBe(true);
      expect(d.action).toMatchObject({ args: [{ retentionDays: 14 }] });
    } finally {
      await client.schedule
        .getHandle(scheduleId)
        .delete()
        .catch(() => undefined);
    }
  });

  it('a digest still works after a purge, and counts only the signals that are left', async () => {
    s.fake.reset();
    const { tenant, installationId } = await installedTenant(s);
    await seed(tenant.id, 300, 40, 'agent.execution.failed');
    await withTenant(s.handle.db, tenant.id, (tx) =>
      emitSignals(tx, [
        { tenantId: tenant.id, type: SIGNAL_TYPES.agentExecutionCompleted, source: 'test', occurredAt: new Date(Date.now() - 3_600_000), payload: {} },
      ]),
    );
    await s.t.temporal.client.workflow.execute('signalRetentionWorkflow', {
      taskQueue: s.t.temporal.taskQueue,
      workflowId: `test-retention-${randomUUID()}`,
      args: [{ retentionDays: 30, batchSize: 100, pauseMs: 0 }],
    });
    expect(await count(tenant.id, 30)).toBe(0);

    const res = await request(s.app).post(`/api/tenants/${tenant.slug}/installations/${installationId}/runs`).set(auth(tenant)).send({});
    expect(res.status).toBe(202);
    const execution = await waitForExecution(s, tenant, res.body.execution.id);
    expect(execution.status).toBe('succeeded');
    const [post] = postsWithMarker(s.fake);
    expect(post.text).toContain('Agent executions: 1 completed · 0 failed');
  });
});
