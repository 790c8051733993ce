// Exactly once, as far as Mattermost allows: forced retries, dropped connections after the server
// accepted the post, concurrent runs with one dedupe key, and every failure kind.
import { randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import request from 'supertest';
import { createDigestActivities } from '../../activities';
import type { DigestRunContext, PostDigestResult } from '../../activities/digest-run-types';
import { withTenant } from '../../../../lib/db/with-tenant';
import { auth, openDigestStack, postsWithMarker, signalsOf, waitForExecution, type DigestStack } from '../../../../test/helpers/digest-stack';
import { installedTenant } from '../helpers/installed-digest';
import type { TestTenant } from '../../../../test/helpers/db';

describe('posting exactly once', () => {
  let s: DigestStack;
  beforeAll(async () => {
    s = await openDigestStack();
  });
  afterAll(() => s.close());
  beforeEach(() => s.fake.reset());

  const runNow = async (tenant: TestTenant, installationId: string) => {
    const res = await request(s.app).post(`/api/tenants/${tenant.slug}/installations/${installationId}/runs`).set(auth(tenant)).send({});
    expect(res.status).toBe(202);
    return waitForExecution(s, tenant, res.body.execution.id, 60_000);
  };
  const ledger = (tenant: TestTenant, dedupeKey: string) =>
    withTenant(s.handle.db, tenant.id, (tx) => tx.outboundMessage.findUniqueOrThrow({ where: { tenantId_dedupeKey: { tenantId: tenant.id, dedupeKey } } }));

  it('503 twice then success: retried by Temporal, one message', async () => {
    const { tenant, installationId } = await installedTenant(s);
    s.fake.failNext(2, '5xx', { route: 'hooks', status: 503 });
    const execution = await runNow(tenant, installationId);
    expect(execution.status).toBe('succeeded');
    expect(postsWithMarker(s.fake)).toHaveLength(1);
    expect((await ledger(tenant, execution.dedupeKey!)).attempts).toBe(3);
  });

  it('429 with Retry-After: honoured, then one message', async () => {
    const { tenant, installationId } = await installedTenant(s);
    s.fake.failNext(1, '429', { route: 'hooks', retryAfterSec: 1 });
    const execution = await runNow(tenant, installationId);
    expect(execution.status).toBe('succeeded');
    expect(postsWithMarker(s.fake)).toHaveLength(1);
    const detail = await request(s.app).get(`/api/tenants/${tenant.slug}/executions/${execution.id}`).set(auth(tenant));
    const warn = detail.body.logs.find((l: { level: string }) => l.level === 'warn');
    expect(warn.data).toMatchObject({ kind: 'rate_limit', retry_after_ms: 1000 });
  });

  it('webhook: the server posts and the connection drops before the answer → one message, outcome unknown, not re-posted', async () => {
    const { tenant, installationId } = await installedTenant(s);
    s.fake.failNext(1, 'drop-after-read', { route: 'hooks' });
    const execution = await runNow(tenant, installationId);
    expect(execution).toMatchObject({ status: 'failed', errorKind: 'unknown' });
    expect(postsWithMarker(s.fake)).toHaveLength(1);
    expect((await ledger(tenant, execution.dedupeKey!)).status).toBe('unknown');
    const health = await request(s.app).get(`/api/tenants/${tenant.slug}/installations/${installationId}/health`).set(auth(tenant));
    expect(health.body).toMatchObject({ last_error_kind: 'unknown' });
    expect(health.body.hint).toMatch(/Check the channel before you Retry/);
  });

  it('token: after a dropped connection the next attempt finds its own post by marker → one message, succeeded', async () => {
    const { tenant, installationId } = await installedTenant(s, { connect: 'pat', channel: 'town-square' });
    s.fake.reset();
    s.fake.failNext(1, 'drop-after-read', { route: 'api', method: 'POST', path: '/api/v4/posts' });
    const execution = await runNow(tenant, installationId);
    expect(execution.status).toBe('succeeded');
    expect(postsWithMarker(s.fake)).toHaveLength(1);
    const detail = await request(s.app).get(`/api/tenants/${tenant.slug}/executions/${execution.id}`).set(auth(tenant));
    expect(detail.body.logs.map((l: { message: string }) => l.message)).toContain('Message posted to Mattermost (found by marker after an unknown outcome)');
  });

  it('two concurrent retries of one failed run share its dedupe key → one message', async () => {
    const { tenant, installationId } = await installedTenant(s);
    s.fake.failNext(1, '5xx', { route: 'hooks', status: 502 }); // a proxy's 502: outcome unknown → failed
    const failed = await runNow(tenant, installationId);
    expect(failed.status).toBe('failed');
    s.fake.reset();
    s.fake.failNext(1, 'slow', { route: 'hooks', delayMs: 600 }); // both posters overlap
    const retries = await Promise.all(
      [1, 2].map(() => request(s.app).post(`/api/tenants/${tenant.slug}/executions/${failed.id}/retry`).set(auth(tenant)).send({})),
    );
    expect(retries.map((r) => r.status)).toEqual([202, 202]);
    const finished = await Promise.all(retries.map((r) => waitForExecution(s, tenant, r.body.execution.id, 60_000)));
    expect(finished.map((e) => e.status).sort()).toEqual(['skipped', 'succeeded']);
    expect(postsWithMarker(s.fake)).toHaveLength(1);
  });

  it('a retry after success posts nothing', async () => {
    const { tenant, installationId } = await installedTenant(s);
    const first = await runNow(tenant, installationId);
    const activities = createDigestActivities(s.activityDeps);
    const ctx: DigestRunContext = {
      tenantId: tenant.id,
      installationId,
      executionId: first.id,
      correlationId: first.correlationId,
      dedupeKey: first.dedupeKey!,
    };
    const env = new MockActivityEnvironment();
    const result: PostDigestResult = await env.run(activities.postDigest, {
      ctx,
      digest: { text: 'again', contentHash: 'x', lineCount: 1, truncated: false, totalSignals: 0 },
    });
    expect(result.outcome).toBe('already_posted');
    expect(postsWithMarker(s.fake)).toHaveLength(1);
  });

  describe('each failure kind', () => {
    it('auth: an invalid hook fails the run, marks the credential invalid and emits failed + revoked signals', async () => {
      const { tenant, installationId } = await installedTenant(s);
      // Refused, and refused again on the confirming attempt (TEST_REFUSAL_CONFIRM_MS later).
      s.fake.failNext(2, 'invalid-hook', { route: 'hooks' });
      const execution = await runNow(tenant, installationId);
      expect(execution).toMatchObject({ status: 'failed', errorKind: 'auth' });
      const credential = await withTenant(s.handle.db, tenant.id, async (tx) => tx.integrationCredential.findFirstOrThrow({}));
      expect(credential.status).toBe('invalid');
      const types = (await signalsOf(s, tenant, execution.correlationId)).map((x) => x.type);
      expect(types).toEqual(expect.arrayContaining(['mattermost.message.failed', 'integration.credential.revoked']));
      const failedSignal = (await signalsOf(s, tenant, execution.correlationId)).find((x) => x.type === 'mattermost.message.failed')!;
      expect(failedSignal.payload).toMatchObject({ error_kind: 'auth' });
    });

    it('validation: a channel the server does not know', async () => {
      const { tenant, installationId } = await installedTenant(s, { channel: 'no-such-channel' });
      const execution = await runNow(tenant, installationId);
      expect(execution).toMatchObject({ status: 'failed', errorKind: 'validation' });
      expect(postsWithMarker(s.fake)).toHaveLength(0);
    });

    it('validation: incoming webhooks disabled on the server (501)', async () => {
      const { tenant, installationId } = await installedTenant(s);
      s.fake.settings.enableIncomingWebhooks = false;
      const execution = await runNow(tenant, installationId);
      expect(execution).toMatchObject({ status: 'failed', errorKind: 'validation' });
    });

    const activityRun = async (mode: 'network' | 'rate_limit') => {
      const { tenant, installationId } = await installedTenant(s);
      const executionId = randomUUID();
      const dedupeKey = `mattermost_post:${tenant.id}:manual:${executionId}`;
      await withTenant(s.handle.db, tenant.id, (tx) =>
        tx.execution.create({
          data: {
            id: executionId,
            tenantId: tenant.id,
            installationId,
            kind: 'mattermost_digest',
            trigger: 'manual',
            correlationId: `c:${executionId}`,
            dedupeKey,
            windowStart: new Date(0),
            windowEnd: new Date(),
          },
        }),
      );
      if (mode === 'network') s.fake.failNext(1, '5xx', { route: 'hooks', status: 503 });
      else s.fake.failNext(1, '429', { route: 'hooks', retryAfterSec: 7 });
      const env = new MockActivityEnvironment();
      const activities = createDigestActivities(s.activityDeps);
      const ctx: DigestRunContext = { tenantId: tenant.id, installationId, executionId, correlationId: `c:${executionId}`, dedupeKey };
      const error = await env
        .run(activities.postDigest, { ctx, digest: { text: 'hello', contentHash: 'h', lineCount: 1, truncated: false, totalSignals: 0 } })
        .catch((e: unknown) => e);
      return { error: error as { type: string; nonRetryable: boolean; nextRetryDelay?: unknown }, ledgerRow: await ledger(tenant, dedupeKey) };
    };

    it('network: a 503 is retryable and the ledger says failed (certainly not posted)', async () => {
      const { error, ledgerRow } = await activityRun('network');
      expect(error).toMatchObject({ type: 'network', nonRetryable: false });
      expect(ledgerRow).toMatchObject({ status: 'failed', lastErrorKind: 'network' });
    });

    it('rate_limit: a 429 is retryable after the server’s hint', async () => {
      const { error, ledgerRow } = await activityRun('rate_limit');
      expect(error).toMatchObject({ type: 'rate_limit', nonRetryable: false });
      expect(error.nextRetryDelay).toBe(7000);
      expect(ledgerRow).toMatchObject({ status: 'failed', lastErrorKind: 'rate_limit' });
    });
  });
});
