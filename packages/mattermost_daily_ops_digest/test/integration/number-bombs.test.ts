// Security probe finding 5: payload.cost_usd 1.7e308 in two signals made the digest's cost sum
// overflow (500 on preview; every run of that window failed), and the failed run's hint said
// Mattermost may have posted. Now ingest bounds payload numbers with a 400 naming the range,
// the sum cannot overflow even over data stored before the bound, and a run that never reached
// Mattermost says so.
import request from 'supertest';
import type { Client } from 'pg';
import type { DbHandle } from '../../../../lib/db/client';
import { withTenant } from '../../../../lib/db/with-tenant';
import { DIGEST_PACKAGE_SLUG } from '../../definition';
import { buildTestApp } from '../../../../test/helpers/app';
import { adminClient, createTestTenant, testDb, type TestTenant } from '../../../../test/helpers/db';

describe('number bombs in signal payloads', () => {
  let handle: DbHandle;
  let admin: Client;
  let tenant: TestTenant;
  let app: ReturnType<typeof buildTestApp>;
  let installationId: string;
  const ingest = (signals: unknown[]) =>
    request(app).post(`/api/tenants/${tenant.slug}/signals`).set('authorization', `Bearer ${tenant.tokens.admin}`).send({ signals });
  const storedCount = async () => Number((await admin.query('select count(*) from signals where tenant_id = $1', [tenant.id])).rows[0].count);

  beforeAll(async () => {
    handle = testDb();
    admin = await adminClient();
    tenant = await createTestTenant(handle, 'numbomb');
    app = buildTestApp({ db: handle.db });
    installationId = (
      await withTenant(handle.db, tenant.id, (tx) =>
        tx.installation.create({
          data: {
            tenantId: tenant.id,
            packageSlug: DIGEST_PACKAGE_SLUG,
            packageVersion: '1.0.0',
            status: 'installed',
            installedAt: new Date(),
            config: { timezone: 'UTC', schedule_time: '07:30', include_cost_estimates: true },
          },
        }),
      )
    ).id;
  });
  afterAll(async () => {
    await admin.end();
    await handle.close();
  });

  it.each([
    [{ cost_usd: 1.7e308 }, 'cost_usd', /from 0 to 1,000,000/],
    [{ cost_usd: -0.01 }, 'cost_usd', /from 0 to 1,000,000/],
    [{ cost_usd: 1_000_000.01 }, 'cost_usd', /from 0 to 1,000,000/],
    [{ tokens: 1e16 }, 'tokens', /from -1e15 to 1e15/],
    [{ usage: { deep: [1, -1.7e308] } }, 'usage.deep.1', /from -1e15 to 1e15/],
  ])('payload %j: a 400 VALIDATION_FAILED naming the field and its range; nothing of the batch is stored', async (payload, field, range) => {
    const before = await storedCount();
    const res = await ingest([
      { type: 'agent.execution.completed', payload: { cost_usd: 1 } },
      { type: 'agent.execution.completed', payload },
    ]);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.message).toMatch(range);
    expect(JSON.stringify(res.body.error.details)).toContain(`signals.1.payload.${field}`);
    expect(await storedCount()).toBe(before);
  });

  it('numbers within range are accepted as sent', async () => {
    const res = await ingest([{ type: 'agent.execution.completed', payload: { cost_usd: 1_000_000, tokens: -1e15, ratio: 0.5 } }]);
    expect(res.status).toBe(200);
    expect(res.body.accepted).toBe(1);
  });

  it('signals stored before the bound (1.7e308 twice) cannot break the digest: preview answers, cost clamped', async () => {
    // As the probe left them: inserted beside ingest, in a whole UTC hour (rollups) and at the window's edge (raw scan).
    const hourStart = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3 * 3_600_000);
    for (const at of [
      new Date(hourStart.getTime() + 60_000),
      new Date(hourStart.getTime() + 120_000),
      new Date(hourStart.getTime() + 3_600_000 * 2 + 30_000),
    ]) {
      await admin.query(
        `insert into signals (id, tenant_id, type, occurred_at, source, payload) values (gen_random_uuid(), $1, 'agent.execution.completed', $2, 'probe', '{"cost_usd": 1.7e308}'::jsonb)`,
        [tenant.id, at],
      );
    }
    await admin.query(
      `insert into signals (id, tenant_id, type, occurred_at, source, payload) values (gen_random_uuid(), $1, 'agent.execution.failed', $2, 'probe', '{"cost_usd": -1e300, "error_kind": "x"}'::jsonb)`,
      [tenant.id, new Date(hourStart.getTime() + 90_000)],
    );
    const windowStart = new Date(hourStart.getTime() - 30 * 60_000).toISOString();
    const windowEnd = new Date(hourStart.getTime() + 3_600_000 * 2 + 45 * 60_000).toISOString();
    const res = await request(app)
      .get(`/api/tenants/${tenant.slug}/installations/${installationId}/digest-preview`)
      .query({ window_start: windowStart, window_end: windowEnd })
      .set('authorization', `Bearer ${tenant.tokens.member}`);
    expect(res.status).toBe(200);
    expect(res.body.total_signals).toBeGreaterThanOrEqual(4);
    expect(res.body.text).not.toMatch(/Infinity|NaN|e\+/);
  });

  it('a failed run that never reached Mattermost does not say it may have posted; one with an unsettled post does', async () => {
    const run = (dedupeKey: string) =>
      withTenant(handle.db, tenant.id, (tx) =>
        tx.execution.create({
          data: {
            tenantId: tenant.id,
            installationId,
            kind: 'digest',
            trigger: 'manual',
            correlationId: `c-${dedupeKey}`,
            dedupeKey,
            windowStart: new Date(Date.now() - 86_400_000),
            windowEnd: new Date(),
            status: 'failed',
            errorKind: 'unknown',
            finishedAt: new Date(),
          },
        }),
      );
    const neverPosted = await run(`never-${Date.now()}`);
    const maybePosted = await run(`maybe-${Date.now()}`);
    await withTenant(handle.db, tenant.id, (tx) =>
      tx.outboundMessage.create({
        data: {
          tenantId: tenant.id,
          executionId: maybePosted.id,
          provider: 'mattermost',
          destination: 'webhook',
          dedupeKey: maybePosted.dedupeKey!,
          status: 'unknown',
          attempts: 1,
          contentHash: 'h',
          claimedAt: new Date(),
        },
      }),
    );
    const get = (id: string) => request(app).get(`/api/tenants/${tenant.slug}/executions/${id}`).set('authorization', `Bearer ${tenant.tokens.member}`);

    const a = await get(neverPosted.id);
    expect(a.status).toBe(200);
    expect(a.body.error_code).toBe('NOTHING_POSTED');
    expect(a.body.hint).toMatch(/nothing was posted/);
    expect(a.body.hint).not.toMatch(/may/);

    const b = await get(maybePosted.id);
    expect(b.body.error_code).toBeNull();
    expect(b.body.hint).toMatch(/may or may not have posted/);

    // The installation's health says the same for its last failure.
    await withTenant(handle.db, tenant.id, (tx) =>
      tx.installation.update({ where: { id: installationId }, data: { lastErrorKind: 'unknown', lastError: 'The digest run failed after several attempts.' } }),
    );
    const list = await request(app).get(`/api/tenants/${tenant.slug}/executions`).set('authorization', `Bearer ${tenant.tokens.member}`);
    const byId = new Map((list.body.items as { id: string; hint: string | null }[]).map((e) => [e.id, e.hint]));
    expect(byId.get(neverPosted.id)).toMatch(/nothing was posted/);
    expect(byId.get(maybePosted.id)).toMatch(/may or may not/);
  });
});
