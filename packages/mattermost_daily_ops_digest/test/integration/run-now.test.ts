// "Run now" end to end: API → Temporal → activities → Postgres → the Mattermost fake.
import request from 'supertest';
import { withTenant } from '../../../../lib/db/with-tenant';
import { emitSignals } from '../../../../lib/signals/emit-signal';
import { SIGNAL_TYPES } from '../../../../lib/signals/catalogue';
import { auth, openDigestStack, postsWithMarker, signalsOf, waitForExecution, type DigestStack } from '../../../../test/helpers/digest-stack';
import { installedTenant } from '../helpers/installed-digest';

describe('digest run now', () => {
  let s: DigestStack;
  beforeAll(async () => {
    s = await openDigestStack();
  });
  afterAll(() => s.close());
  beforeEach(() => s.fake.reset());

  it('posts one digest with the window’s activity, and records signals, logs and health', async () => {
    const { tenant, installationId } = await installedTenant(s, { config: { timezone: 'Europe/Berlin', schedule_time: '08:00' } });
    const now = Date.now();
    await withTenant(s.handle.db, tenant.id, (tx) =>
      emitSignals(tx, [
        { tenantId: tenant.id, type: SIGNAL_TYPES.agentExecutionCompleted, source: 'test', occurredAt: new Date(now - 3_600_000), payload: { cost_usd: 0.25 } },
        {
          tenantId: tenant.id,
          type: SIGNAL_TYPES.agentExecutionFailed,
          source: 'test',
          subject: 'agent:summariser',
          occurredAt: new Date(now - 1_800_000),
          payload: { error_kind: 'rate_limit', error: 'upstream 429' },
        },
        { tenantId: tenant.id, type: SIGNAL_TYPES.agentExecutionCompleted, source: 'test', occurredAt: new Date(now - 30 * 3_600_000), payload: {} },
      ]),
    );

    const res = await request(s.app).post(`/api/tenants/${tenant.slug}/installations/${installationId}/runs`).set(auth(tenant)).send({});
    expect(res.status).toBe(202);
    expect(res.body.run_quota).toMatchObject({ limit: 3, remaining: 2 });
    const execution = await waitForExecution(s, tenant, res.body.execution.id);
    expect(execution.status).toBe('succeeded');
    expect(execution.trigger).toBe('manual');
    expect(execution.correlationId).toBe(`digest:${tenant.id}:manual:${execution.id}`);

    const posts = postsWithMarker(s.fake);
    expect(posts).toHaveLength(1);
    expect(posts[0].channelName).toBe('town-square');
    expect(posts[0].text).toContain('Failures (1)');
    expect(posts[0].text).toContain('rate\\_limit: 1');
    expect(posts[0].text).toContain('About $0.25');
    // The signal from 30 h ago is outside the 24 h window: one completed agent execution.
    expect(posts[0].text).toContain('Agent executions: 1 completed · **1 failed**');

    const types = (await signalsOf(s, tenant, execution.correlationId)).map((x) => x.type);
    expect(types).toEqual(['mattermost.digest.requested', 'mattermost.digest.generated', 'mattermost.message.posted', 'value.digest.posted']);

    const detail = await request(s.app).get(`/api/tenants/${tenant.slug}/executions/${execution.id}`).set(auth(tenant, 'member'));
    expect(detail.body.logs.map((l: { message: string }) => l.message)).toEqual([
      'Digest run started (manual)',
      'Digest generated',
      'Message posted to Mattermost (webhook)',
      'Digest run succeeded',
    ]);
    const health = await request(s.app).get(`/api/tenants/${tenant.slug}/installations/${installationId}/health`).set(auth(tenant, 'member'));
    expect(health.body.last_successful_post_at).not.toBeNull();
    expect(health.body.run_quota.remaining).toBe(2);
  });

  it('a run with no activity posts a short all-quiet digest', async () => {
    const { tenant, installationId } = await installedTenant(s);
    const res = await request(s.app).post(`/api/tenants/${tenant.slug}/installations/${installationId}/runs`).set(auth(tenant)).send({});
    await waitForExecution(s, tenant, res.body.execution.id);
    const [post] = postsWithMarker(s.fake);
    // Only the install's own lifecycle happened in this tenant.
    expect(post.text.split('\n').length).toBeLessThanOrEqual(40);
  });

  it('is limited to 3 per tenant per hour, exactly, even under concurrency; then 429 with Retry-After', async () => {
    const { tenant, installationId } = await installedTenant(s);
    const responses = await Promise.all(
      Array.from({ length: 8 }, () => request(s.app).post(`/api/tenants/${tenant.slug}/installations/${installationId}/runs`).set(auth(tenant)).send({})),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([202, 202, 202, 429, 429, 429, 429, 429]);
    const limited = responses.find((r) => r.status === 429)!;
    expect(limited.body.error.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(3500);
    for (const r of responses.filter((x) => x.status === 202)) await waitForExecution(s, tenant, r.body.execution.id);
  });

  it('needs owner or admin, a connected installation, and answers 404 for another tenant', async () => {
    const { tenant, installationId } = await installedTenant(s, { connect: false });
    const member = await request(s.app).post(`/api/tenants/${tenant.slug}/installations/${installationId}/runs`).set(auth(tenant, 'member')).send({});
    expect(member.status).toBe(403);
    const notConnected = await request(s.app).post(`/api/tenants/${tenant.slug}/installations/${installationId}/runs`).set(auth(tenant)).send({});
    expect(notConnected.status).toBe(422);
    expect(notConnected.body.error.code).toBe('NOT_CONFIGURED');
    const other = await installedTenant(s, { connect: false });
    const cross = await request(s.app).post(`/api/tenants/${other.tenant.slug}/installations/${installationId}/runs`).set(auth(other.tenant)).send({});
    expect(cross.status).toBe(404);
    expect(cross.body.error.code).toBe('INSTALLATION_NOT_FOUND');
  });
  it('Retry refuses another package’s failed execution (it would start a digest for it) and starts nothing', async () => {
    const { tenant, installationId } = await installedTenant(s);
    const other = await withTenant(s.handle.db, tenant.id, (tx) =>
      tx.execution.create({
        data: {
          tenantId: tenant.id,
          installationId,
          kind: 'another_package_run',
          trigger: 'scheduled',
          correlationId: 'other:1',
          dedupeKey: 'other:1',
          windowStart: new Date(Date.now() - 60_000),
          windowEnd: new Date(),
          status: 'failed',
          errorKind: 'network',
        },
      }),
    );
    const res = await request(s.app).post(`/api/tenants/${tenant.slug}/executions/${other.id}/retry`).set(auth(tenant)).send({});
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'INVALID_STATE' });
    expect(res.body.error.message).toContain('another_package_run');
    expect(await withTenant(s.handle.db, tenant.id, (tx) => tx.execution.count({ where: { retryOfExecutionId: other.id } }))).toBe(0);
    expect(postsWithMarker(s.fake)).toHaveLength(0);
  });
});
