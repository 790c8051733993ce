// Cancelling a workflow mid-step leaves the records consistent: the cleanup that records the
// outcome runs although the workflow was cancelled (CancellationScope.nonCancellable, behind
// patched('non-cancellable-cleanup')), so nothing stays `running` or `installing` for ever, and
// nothing is posted twice afterwards. Real Postgres, real Temporal, real activities.
import { CancelledFailure, WorkflowFailedError } from '@temporalio/client';
import request from 'supertest';
import { withTenant } from '../../../../lib/db/with-tenant';
import { DIGEST_PACKAGE_SLUG } from '../../definition';
import { adminClient, createTestTenant, waitFor } from '../../../../test/helpers/db';
import { auth, openDigestStack, postsWithMarker, waitForExecution, type DigestStack } from '../../../../test/helpers/digest-stack';
import { installedTenant } from '../helpers/installed-digest';

async function expectCancelled(result: Promise<unknown>): Promise<void> {
  const err = await result.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowFailedError);
  expect((err as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
}

describe('cancellation mid-step', () => {
  let s: DigestStack;
  beforeAll(async () => {
    // The fake holds the post for 15 s; the client waits up to 20 s, so the post is in flight
    // (claimed in the ledger, request sent) when the run is cancelled. The post is a local
    // activity: the cancel reaches it with the workflow task's next heartbeat (8 s into the task,
    // 80 % of its 10 s timeout), so the post must outlast that to be cancelled mid-post.
    s = await openDigestStack({ mattermostTimeoutMs: 20_000 });
  });
  afterAll(() => s.close());
  beforeEach(() => s.fake.reset());

  it('a digest run cancelled mid-post ends failed (not running), and a Retry posts nothing twice', async () => {
    const { tenant, installationId } = await installedTenant(s);
    s.fake.failNext(1, 'slow', { route: 'hooks', delayMs: 15_000 });
    const res = await request(s.app).post(`/api/tenants/${tenant.slug}/installations/${installationId}/runs`).set(auth(tenant)).send({});
    expect(res.status).toBe(202);
    const executionId = res.body.execution.id as string;
    const execution = await withTenant(s.handle.db, tenant.id, (tx) => tx.execution.findUniqueOrThrow({ where: { id: executionId } }));

    // Mid-post: the ledger row is claimed and the request is on its way.
    await waitFor(
      async () =>
        (await withTenant(s.handle.db, tenant.id, (tx) => tx.outboundMessage.findFirst({ where: { dedupeKey: execution.dedupeKey! } })))?.status === 'posting',
    );
    const handle = s.t.temporal.client.workflow.getHandle(execution.workflowId!);
    await handle.cancel();
    await expectCancelled(handle.result());

    const ended = await waitForExecution(s, tenant, executionId);
    expect(ended.status).toBe('failed');
    expect(ended.errorKind).toBe('unknown');
    expect(ended.finishedAt).not.toBeNull();
    expect((ended.summary as { error?: string }).error).toMatch(/cancelled before it finished\. If it was posting, Mattermost may or may not have the digest/);
    const installation = await withTenant(s.handle.db, tenant.id, (tx) => tx.installation.findUniqueOrThrow({ where: { id: installationId } }));
    expect(installation.lastErrorKind).toBe('unknown');

    // The request that was already sent settles the ledger (the fake recorded the post).
    const ledger = await waitFor(async () => {
      const row = await withTenant(s.handle.db, tenant.id, (tx) => tx.outboundMessage.findFirst({ where: { dedupeKey: execution.dedupeKey! } }));
      return row && row.status !== 'posting' ? row : undefined;
    }, 20_000);
    expect(ledger.status).toBe('posted');
    expect(postsWithMarker(s.fake)).toHaveLength(1);

    // Retry: the ledger knows it was posted, so nothing is posted again.
    const retry = await request(s.app).post(`/api/tenants/${tenant.slug}/executions/${executionId}/retry`).set(auth(tenant)).send({});
    expect(retry.status).toBe(202);
    const retried = await waitForExecution(s, tenant, retry.body.execution.id);
    expect(retried.status).toBe('skipped');
    expect(postsWithMarker(s.fake)).toHaveLength(1);
  }, 90_000);

  it('an install cancelled mid-provision ends failed (directive and installation), never stuck installing', async () => {
    const tenant = await createTestTenant(s.handle, 'cx');
    // Provisioning writes the package's workflow templates: hold that table so it waits there.
    const admin = await adminClient();
    try {
      await admin.query('begin');
      await admin.query('lock table workflow_templates in exclusive mode');
      const res = await request(s.app).post(`/api/tenants/${tenant.slug}/installations`).set(auth(tenant)).send({ package_slug: DIGEST_PACKAGE_SLUG });
      expect(res.status).toBe(202);
      const directiveId = res.body.directive.id as string;
      const installationId = res.body.installation.id as string;
      // Mid-provision: the directive is running and provisioning waits for the lock.
      await waitFor(
        async () => (await withTenant(s.handle.db, tenant.id, (tx) => tx.directive.findUnique({ where: { id: directiveId } })))?.status === 'running',
      );
      await waitFor(async () => {
        const waiting = await admin.query<{ n: number }>(
          `select count(*)::int as n from pg_locks where not granted and relation = 'workflow_templates'::regclass`,
        );
        return waiting.rows[0].n > 0;
      });
      const handle = s.t.temporal.client.workflow.getHandle(res.body.directive.workflow_id as string);
      await handle.cancel();
      await expectCancelled(handle.result());

      const directive = await withTenant(s.handle.db, tenant.id, (tx) => tx.directive.findUniqueOrThrow({ where: { id: directiveId } }));
      expect(directive).toMatchObject({ status: 'failed', errorKind: 'unknown', error: 'The package.install was cancelled before it finished.' });
      expect(directive.completedAt).not.toBeNull();
      const installation = await withTenant(s.handle.db, tenant.id, (tx) => tx.installation.findUniqueOrThrow({ where: { id: installationId } }));
      expect(installation).toMatchObject({ status: 'failed', lastErrorKind: 'unknown' });
      const signals = await withTenant(s.handle.db, tenant.id, (tx) => tx.signal.findMany({ where: { correlationId: directive.correlationId } }));
      expect(signals.map((x) => x.type)).toEqual(expect.arrayContaining(['package.install.failed', 'directive.failed']));
    } finally {
      await admin.query('rollback').catch(() => undefined);
      await admin.end();
    }
  }, 90_000);
});
