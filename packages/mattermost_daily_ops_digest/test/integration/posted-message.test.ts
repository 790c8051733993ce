// The digest is visible in FleetPrompt: each run keeps the message it posted and the full digest
// behind the truncation pointer (purged with the signals' retention); the settings preview is
// exactly what Mattermost receives for the same settings; a failed run's hint is the
// code-specific one, on the run and on health.
import request from 'supertest';
import { withTenant } from '../../../../lib/db/with-tenant';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createPurgeSignals, type PurgeSignalsResult } from '../../../../activities/retention/purge-signals';
import { createLogger } from '../../../../lib/log/logger';
import { SIGNAL_TYPES } from '../../../../lib/signals/catalogue';
import { emitSignals } from '../../../../lib/signals/emit-signal';
import { auth, openDigestStack, postsWithMarker, waitForExecution, type DigestStack } from '../../../../test/helpers/digest-stack';
import { installedTenant } from '../helpers/installed-digest';

describe('the posted digest, kept and shown', () => {
  let s: DigestStack;
  beforeAll(async () => {
    // The API and the worker write the same public URL into digests, as in production.
    s = await openDigestStack({ appOverrides: { publicUrl: 'http://127.0.0.1:3000' } });
  });
  afterAll(() => s.close());
  beforeEach(() => s.fake.reset());

  async function failures(tenantId: string, count: number) {
    const now = Date.now();
    await withTenant(s.handle.db, tenantId, (tx) =>
      emitSignals(
        tx,
        Array.from({ length: count }, (_, i) => ({
          tenantId,
          type: SIGNAL_TYPES.agentExecutionFailed,
          source: 'test',
          subject: `agent-${i}`,
          occurredAt: new Date(now - 60_000 * (i + 1)),
          payload: { error_kind: 'validation', error: `field ${i} is missing from the invoice payload that was sent` },
        })),
      ),
    );
  }

  it('stores the posted message with the run; the preview of the same settings is what Mattermost received', async () => {
    const { tenant, installationId } = await installedTenant(s, {
      config: { max_lines: 16, post_as_username: 'ops-bot', post_icon_url: 'https://icons.example.com/bot.png' },
    });
    s.fake.settings.enablePostUsernameOverride = true;
    s.fake.settings.enablePostIconOverride = true;
    await failures(tenant.id, 30);

    const res = await request(s.app).post(`/api/tenants/${tenant.slug}/installations/${installationId}/runs`).set(auth(tenant)).send({});
    const execution = await waitForExecution(s, tenant, res.body.execution.id);
    expect(execution.status).toBe('succeeded');
    const [post] = postsWithMarker(s.fake);

    const message = await request(s.app).get(`/api/tenants/${tenant.slug}/executions/${execution.id}/message`).set(auth(tenant, 'member'));
    expect(message.status).toBe(200);
    expect(message.body.text).toBe(post.text);
    expect(message.body.run_status).toBe('succeeded');
    expect(message.body.truncated).toBe(true);
    expect(message.body.username).toBe('ops-bot');
    expect(post.username).toBe('ops-bot');
    expect(post.iconUrl).toBe('https://icons.example.com/bot.png');
    // The real total and the truncation pointer, which opens the full digest by correlation id.
    expect(post.text).toContain('##### Failures (30)');
    expect(post.text).toContain('- … and 27 more');
    const pointer = /_…truncated; see the full digest in FleetPrompt:_ (\S+)$/.exec(post.text)?.[1];
    expect(pointer).toBe(`http://127.0.0.1:3000/digest?correlation=${encodeURIComponent(execution.correlationId)}`);
    const full = await request(s.app).get(`/api/tenants/${tenant.slug}/digests`).query({ correlation_id: execution.correlationId }).set(auth(tenant, 'member'));
    expect(full.status).toBe(200);
    expect(full.body.full_text).toContain('##### Counts');
    expect(full.body.full_text).not.toContain('truncated');
    expect(full.body.full_text.split('\n').length).toBeGreaterThan(16);
    // Every failure line of the full digest (the latest 20 of 30) and the rest counted.
    expect(full.body.full_text.match(/^- \d\d-\d\d/gm)).toHaveLength(20);
    expect(full.body.full_text).toContain('- … and 10 more');

    // The settings preview for that run's window, with the same (here: unsaved, identical) settings.
    const preview = await request(s.app)
      .post(`/api/tenants/${tenant.slug}/installations/${installationId}/digest-preview`)
      .set(auth(tenant, 'member'))
      .send({ execution_id: execution.id, config: { max_lines: 16, post_as_username: 'ops-bot', post_icon_url: 'https://icons.example.com/bot.png' } });
    expect(preview.status).toBe(200);
    expect(preview.body.text).toBe(post.text);
    expect(preview.body.username).toBe(post.username);
    expect(preview.body.icon_url).toBe(post.iconUrl);

    // Unsaved changes show in the preview and nowhere else.
    const changed = await request(s.app)
      .post(`/api/tenants/${tenant.slug}/installations/${installationId}/digest-preview`)
      .set(auth(tenant, 'member'))
      .send({ execution_id: execution.id, config: { max_lines: 200, post_as_username: 'night-shift' } });
    expect(changed.body.truncated).toBe(false);
    expect(changed.body.username).toBe('night-shift');
    const saved = await request(s.app).get(`/api/tenants/${tenant.slug}/installations/${installationId}`).set(auth(tenant, 'member'));
    expect(saved.body.config.max_lines).toBe(16);

    // Invalid unsaved settings: a sentence per field with the allowed range.
    const bad = await request(s.app)
      .post(`/api/tenants/${tenant.slug}/installations/${installationId}/digest-preview`)
      .set(auth(tenant, 'member'))
      .send({ config: { max_lines: 2 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    expect(bad.body.error.details).toEqual([{ path: 'max_lines', message: expect.stringMatching(/5.*200/) }]);
  });

  it('purges stored messages with the signals’ retention, and says why one is missing', async () => {
    const { tenant, installationId } = await installedTenant(s);
    const res = await request(s.app).post(`/api/tenants/${tenant.slug}/installations/${installationId}/runs`).set(auth(tenant)).send({});
    const execution = await waitForExecution(s, tenant, res.body.execution.id);
    // Age it past retention, then run the purge the retention workflow runs (the digest declares its messages' purge: PackageModule.retention).
    await withTenant(s.handle.db, tenant.id, (tx) =>
      tx.digestMessage.update({ where: { executionId: execution.id }, data: { createdAt: new Date(Date.now() - 40 * 86_400_000) } }),
    );
    const env = new MockActivityEnvironment();
    let deleted = 0;
    env.on('heartbeat', (d: { packageData?: Record<string, number> }) => (deleted = d.packageData?.digest_messages ?? deleted));
    const purge = createPurgeSignals({ db: s.handle.db, logger: createLogger({ level: 'silent' }) });
    const result: PurgeSignalsResult = await env.run(purge, {
      before: new Date(Date.now() - 30 * 86_400_000).toISOString(),
      batchSize: 1000,
      maxBatches: 1000,
      pauseMs: 1,
    });
    expect(result.done).toBe(true);
    expect(deleted).toBeGreaterThanOrEqual(1);
    const gone = await request(s.app).get(`/api/tenants/${tenant.slug}/executions/${execution.id}/message`).set(auth(tenant, 'member'));
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('DIGEST_MESSAGE_NOT_FOUND');
    expect(gone.body.error.message).toMatch(/30-day retention/);
  });

  it('a failed run shows the code-specific hint on the run and on health, without promising a retry', async () => {
    const { tenant, installationId } = await installedTenant(s, { channel: 'no-such-channel' });
    const res = await request(s.app).post(`/api/tenants/${tenant.slug}/installations/${installationId}/runs`).set(auth(tenant)).send({});
    const execution = await waitForExecution(s, tenant, res.body.execution.id);
    expect(execution.status).toBe('failed');
    const list = await request(s.app).get(`/api/tenants/${tenant.slug}/executions`).query({ installation_id: installationId }).set(auth(tenant, 'member'));
    const run = list.body.items.find((e: { id: string }) => e.id === execution.id);
    expect(run.error_code).toBe('CHANNEL_NOT_FOUND');
    expect(run.hint).toMatch(/channel does not exist/);
    const health = await request(s.app).get(`/api/tenants/${tenant.slug}/installations/${installationId}/health`).set(auth(tenant, 'member'));
    expect(health.body.last_error_code).toBe('CHANNEL_NOT_FOUND');
    expect(health.body.hint).toBe(run.hint);
    // The message it would have posted is still there to see.
    const message = await request(s.app).get(`/api/tenants/${tenant.slug}/executions/${execution.id}/message`).set(auth(tenant, 'member'));
    expect(message.body.run_status).toBe('failed');
  });
});
