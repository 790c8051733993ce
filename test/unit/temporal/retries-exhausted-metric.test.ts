// The worker end of the activityRetriesExhausted sink: the counter an operator alerts on, with
// closed label sets (no ids), and one warning line naming the workflow.
import type { WorkflowInfo } from '@temporalio/workflow';
import { createLogger } from '../../../lib/log/logger';
import { registry } from '../../../lib/metrics/registry';
import { telemetrySinks } from '../../../lib/temporal/telemetry-sinks';

async function exhaustedSeries(): Promise<Array<{ labels: Record<string, string | number>; value: number }>> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === 'fleetprompt_activity_retries_exhausted_total');
  return (metric?.values ?? []) as Array<{ labels: Record<string, string | number>; value: number }>;
}

test('an activity that gave up is counted by workflow type, activity type and retry state', async () => {
  const lines: string[] = [];
  const logger = createLogger({ level: 'warn', destination: { write: (l: string) => void lines.push(l) } });
  const sink = telemetrySinks(logger).telemetry.activityRetriesExhausted;
  const info = {
    workflowType: 'digestRunWorkflow',
    workflowId: 'digest:6d1f3c2a-1b7e-4c59-a0f4-3e2b9c8d7a11:manual:f3e2d1c0-b9a8-4765-8432-10fedcba9876',
    runId: 'r1',
  } as WorkflowInfo;
  await sink.fn(info, { activityType: 'postDigest', retryState: 'MAXIMUM_ATTEMPTS_REACHED' });
  await sink.fn(info, { activityType: 'postDigest', retryState: 'MAXIMUM_ATTEMPTS_REACHED' });
  await sink.fn({ ...info, workflowType: 'somethingElse' }, { activityType: 'not a name!', retryState: 'WEIRD' });
  const series = await exhaustedSeries();
  expect(series).toEqual(
    expect.arrayContaining([
      { labels: { workflow_type: 'digestRunWorkflow', activity_type: 'postDigest', retry_state: 'MAXIMUM_ATTEMPTS_REACHED' }, value: 2 },
      { labels: { workflow_type: 'other', activity_type: 'other', retry_state: 'other' }, value: 1 },
    ]),
  );
  expect(sink.callDuringReplay).toBe(false);
  expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>)[0]).toMatchObject({
    msg: 'activity gave up: retries or its overall time bound exhausted',
    workflowId: info.workflowId,
    activityType: 'postDigest',
    tenantId: '6d1f3c2a-1b7e-4c59-a0f4-3e2b9c8d7a11',
  });
});
