// The failure-alert workflow on Temporal's test environment (@temporalio/testing, on the dev
// server global setup started), with fake activities typed from the real factory: what it does
// for each plan, that notices wake it, that it ends when idle or gone, that continue-as-new
// carries the pending notice, that a failed post is recorded and the workflow goes on, and that
// its recorded history replays.
import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { WORKFLOWS_PATH } from '../../../../worker';
import type { FailureAlertActivities } from '../../activities';
import type { AlertPlan, FailureAlertInput } from '../../alert-types';
import { failureAlertWorkflow, failuresArrivedSignal } from '../../workflow';

type Calls = { name: string; arg: unknown }[];

function fakeActivities(plans: AlertPlan[], calls: Calls, post: () => Promise<void> = async () => undefined): FailureAlertActivities {
  const record = (name: string, arg: unknown) => calls.push({ name, arg });
  return {
    planFailureAlert: async (ref) => {
      record('plan', ref);
      return plans.length > 1 ? plans.shift()! : plans[0];
    },
    openFailureAlert: async (input) => {
      record('open', input);
      return { executionId: randomUUID(), correlationId: 'alert:x', total: 1 };
    },
    postFailureAlert: async (input) => {
      record('post', input);
      await post();
      return { outcome: 'posted', attempts: 1 };
    },
    finishFailureAlert: async (input) => {
      record('finish', input);
    },
  };
}

describe('failureAlertWorkflow', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await TestWorkflowEnvironment.createFromExistingServer({ address: process.env.TEMPORAL_ADDRESS!, namespace: 'default' });
  });
  afterAll(async () => {
    await env?.teardown();
  });

  async function run(
    activities: FailureAlertActivities,
    input: Partial<FailureAlertInput>,
    drive?: (handle: Awaited<ReturnType<typeof env.client.workflow.start>>) => Promise<void>,
  ) {
    const taskQueue = `fa-${randomUUID()}`;
    const worker = await Worker.create({ connection: env.nativeConnection, namespace: 'default', taskQueue, workflowsPath: WORKFLOWS_PATH, activities });
    const workflowId = `failure-alerts:test:${randomUUID()}`;
    return worker.runUntil(async () => {
      const handle = await env.client.workflow.start(failureAlertWorkflow, {
        taskQueue,
        workflowId,
        args: [{ tenantId: 't', installationId: 'i', idleTimeoutMs: 300, ...input }],
      });
      if (drive) await drive(handle);
      const result = await handle.result();
      const history = await handle.fetchHistory();
      return { result, history, workflowId, handle };
    });
  }

  it('waits, posts one alert when due, then ends idle; its history replays', async () => {
    const calls: Calls = [];
    const plans: AlertPlan[] = [{ kind: 'wait', waitMs: 200, reason: 'window' }, { kind: 'due' }, { kind: 'idle' }];
    const { result, history, workflowId } = await run(fakeActivities(plans, calls), { pending: true });
    expect(result).toEqual({ reason: 'idle', alerts: 1 });
    expect(calls.map((c) => c.name)).toEqual(['plan', 'plan', 'open', 'post', 'finish', 'plan', 'plan']);
    expect(calls.find((c) => c.name === 'finish')!.arg).toMatchObject({ status: 'succeeded' });
    await Worker.runReplayHistory({ workflowsPath: WORKFLOWS_PATH }, history, workflowId);
  });

  it('sleeps when nothing is pending and is woken by the failuresArrived notice', async () => {
    const calls: Calls = [];
    const plans: AlertPlan[] = [{ kind: 'due' }, { kind: 'idle' }];
    const { result } = await run(fakeActivities(plans, calls), { idleTimeoutMs: 5_000 }, async (handle) => {
      await new Promise((r) => setTimeout(r, 300));
      expect(calls).toHaveLength(0); // nothing happens before a notice
      await handle.signal(failuresArrivedSignal, { count: 2, latestAt: new Date().toISOString() });
    });
    expect(result.alerts).toBe(1);
    expect(calls.slice(0, 4).map((c) => c.name)).toEqual(['plan', 'open', 'post', 'finish']);
  });

  it('passes why an alert was held (quiet hours, hourly limit) to the window it opens', async () => {
    const calls: Calls = [];
    const plans: AlertPlan[] = [{ kind: 'wait', waitMs: 100, reason: 'quiet_hours' }, { kind: 'due' }, { kind: 'idle' }];
    await run(fakeActivities(plans, calls), { pending: true });
    expect(calls.find((c) => c.name === 'open')!.arg).toMatchObject({ heldBy: 'quiet_hours' });
  });

  it('ends at once when the installation is gone', async () => {
    const calls: Calls = [];
    const { result } = await run(fakeActivities([{ kind: 'gone', reason: 'disabled' }], calls), { pending: true });
    expect(result).toEqual({ reason: 'gone', alerts: 0 });
    expect(calls.map((c) => c.name)).toEqual(['plan']);
  });

  it('records a failed post and goes on (its failures go into the next alert)', async () => {
    const calls: Calls = [];
    const plans: AlertPlan[] = [{ kind: 'due' }, { kind: 'idle' }];
    const { result } = await run(
      fakeActivities(plans, calls, async () => {
        throw ApplicationFailure.nonRetryable('Mattermost is rate limiting', 'rate_limit');
      }),
      { pending: true },
    );
    expect(result).toEqual({ reason: 'idle', alerts: 0 });
    expect(calls.find((c) => c.name === 'finish')!.arg).toMatchObject({ status: 'failed', errorKind: 'rate_limit', message: 'Mattermost is rate limiting' });
  });

  it('stops on a permanent failure (auth): the credential must be reconnected first', async () => {
    const calls: Calls = [];
    const plans: AlertPlan[] = [{ kind: 'due' }];
    await expect(
      run(
        fakeActivities(plans, calls, async () => {
          throw ApplicationFailure.nonRetryable('token rejected', 'auth');
        }),
        { pending: true },
      ),
    ).rejects.toThrow();
    expect(calls.find((c) => c.name === 'finish')!.arg).toMatchObject({ status: 'failed', errorKind: 'auth' });
  });

  it('continues as new after alertsPerRun alerts, carrying the pending notice', async () => {
    const calls: Calls = [];
    const plans: AlertPlan[] = [{ kind: 'due' }, { kind: 'due' }, { kind: 'idle' }];
    const { result, handle } = await run(fakeActivities(plans, calls), { pending: true, alertsPerRun: 1 });
    expect(result).toEqual({ reason: 'idle', alerts: 0 }); // the third run: each earlier one continued as new after its alert
    expect(calls.filter((c) => c.name === 'post')).toHaveLength(2);
    const first = await env.client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId).describe();
    expect(first.status.name).toBe('CONTINUED_AS_NEW');
  });
});
