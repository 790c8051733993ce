// Answers that get lost between the parts, each leaving a state that tells the truth:
//   - "Run now" whose workflow start reached Temporal but whose answer did not: if the API closed
//     the execution first (and said nothing was posted), the workflow that runs anyway must not
//     post; if the workflow began the run first, the run is live and the API says it started;
//   - a post attempt whose success never reached Temporal (the server restarted): the retried
//     attempt finds the ledger posted by this same run and the run counts as succeeded, not skipped.
import { MockActivityEnvironment } from '@temporalio/testing';
import request from 'supertest';
import { startRunWorkflow } from '../../../../client';
import { createDigestActivities } from '../../activities';
import type { DigestRunContext, PostDigestResult } from '../../activities/digest-run-types';
import { withTenant } from '../../../../lib/db/with-tenant';
import { waitFor } from '../../../../test/helpers/db';
import { auth, openDigestStack, postsWithMarker, signalsOf, waitForExecution, type DigestStack } from '../../../../test/helpers/digest-stack';
import { installedTenant } from '../helpers/installed-digest';

jest.setTimeout(90_000);

describe('lost answers', () => {
  let s: DigestStack;
  // How the next start's answer gets lost: 'before-begin' — the start reaches Temporal only after
  // the API gave up on it; 'after-begin' — the workflow began the run before the answer was lost.
  let loseStartAnswer: 'before-begin' | 'after-begin' | null = null;
  let lateStart: Promise<void> | null = null;
  beforeAll(async () => {
    s = await openDigestStack({
      appOverrides: {
        runNowLimitPerHour: 100,
        runStarter: {
          start: async (run) => {
            const lose = loseStartAnswer;
            if (lose === 'before-begin') {
              lateStart = new Promise((resolve) => setTimeout(resolve, 300)).then(() => startRunWorkflow(s.t.temporal, run));
              throw new Error('14 UNAVAILABLE: the answer was lost');
            }
            await startRunWorkflow(s.t.temporal, run);
            if (lose === 'after-begin') {
              const { tenantId, executionId } = run;
              await waitFor(
                async () =>
                  (await withTenant(s.handle.db, tenantId, (tx) => tx.execution.findUniqueOrThrow({ where: { id: executionId } }))).status !== 'pending',
              );
              throw new Error('14 UNAVAILABLE: the answer was lost');
            }
          },
        },
      },
    });
  });
  afterAll(() => s.close());
  beforeEach(() => s.fake.reset());

  it('a Run now the API reported as failed ("nothing was posted") posts nothing, even though its workflow started', async () => {
    const { tenant, installationId } = await installedTenant(s);
    loseStartAnswer = 'before-begin';
    const res = await request(s.app).post(`/api/tenants/${tenant.slug}/installations/${installationId}/runs`).set(auth(tenant)).send({});
    loseStartAnswer = null;
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('DEPENDENCY_UNAVAILABLE');
    await lateStart;

    const execution = await withTenant(s.handle.db, tenant.id, (tx) => tx.execution.findFirstOrThrow({}));
    // The workflow did start and runs to its end…
    const result = await s.t.temporal.client.workflow.getHandle(execution.workflowId!).result();
    expect(result).toEqual({ status: 'skipped' });
    // …without posting, and without changing what the user was told.
    expect(postsWithMarker(s.fake)).toHaveLength(0);
    const after = await withTenant(s.handle.db, tenant.id, (tx) => tx.execution.findUniqueOrThrow({ where: { id: execution.id } }));
    expect(after).toMatchObject({ status: 'failed', errorKind: 'network', startedAt: null });
    expect((await signalsOf(s, tenant, execution.correlationId)).map((x) => x.type)).toEqual([]);
    const shown = await request(s.app).get(`/api/tenants/${tenant.slug}/executions/${execution.id}`).set(auth(tenant));
    expect(shown.body).toMatchObject({ status: 'failed', error_kind: 'network' });
  });

  it('a Run now whose workflow began the run before the start answer was lost is reported as started (202), and posts once', async () => {
    const { tenant, installationId } = await installedTenant(s);
    loseStartAnswer = 'after-begin';
    const res = await request(s.app).post(`/api/tenants/${tenant.slug}/installations/${installationId}/runs`).set(auth(tenant)).send({});
    loseStartAnswer = null;
    expect(res.status).toBe(202);
    const done = await waitForExecution(s, tenant, res.body.execution.id, 60_000);
    expect(done.status).toBe('succeeded');
    expect(postsWithMarker(s.fake)).toHaveLength(1);
  });

  it('an attempt repeated after its success was lost reports the post as this run’s, and posts nothing more', async () => {
    const { tenant, installationId } = await installedTenant(s);
    const res = await request(s.app).post(`/api/tenants/${tenant.slug}/installations/${installationId}/runs`).set(auth(tenant)).send({});
    const first = await waitForExecution(s, tenant, res.body.execution.id, 60_000);
    expect(first.status).toBe('succeeded');
    const activities = createDigestActivities(s.activityDeps);
    const digest = { text: 'again', contentHash: 'x', lineCount: 1, truncated: false, totalSignals: 0 };
    const same: DigestRunContext = {
      tenantId: tenant.id,
      installationId,
      executionId: first.id,
      correlationId: first.correlationId,
      dedupeKey: first.dedupeKey!,
    };
    const repeated: PostDigestResult = await new MockActivityEnvironment().run(activities.postDigest, { ctx: same, digest });
    expect(repeated).toMatchObject({ outcome: 'already_posted', postedByThisRun: true });
    // Another run with the same dedupe key (a Retry) did not post it: already posted, not by it.
    const other: PostDigestResult = await new MockActivityEnvironment().run(activities.postDigest, {
      ctx: { ...same, executionId: '00000000-0000-4000-8000-000000000001' },
      digest,
    });
    expect(other).toMatchObject({ outcome: 'already_posted', postedByThisRun: false });
    expect(postsWithMarker(s.fake)).toHaveLength(1);
  });
});
