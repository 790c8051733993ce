// Every stored history (test/workflows/histories) replays against today's workflow code. A change
// that fails here would break the runs in flight when it is deployed: ship it behind patched()
// (later deprecatePatch) or as a new workflow type, and keep the old histories (README,
// "Changing a workflow").
import { Worker, type InjectedSinks, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { TelemetrySinks } from '../../lib/temporal/contract';
import { allScenarios } from './scenarios';
import { listStoredHistories } from './support/stored-histories';
import { bundleWorkflows, installQuietRuntime } from './support/workflow-env';

const stored = listStoredHistories();
let bundle: WorkflowBundleWithSourceMap;

// Sinks are not called during replay; registering them keeps the replay worker from warning.
const sinks: InjectedSinks<TelemetrySinks> = {
  telemetry: { workflowFinished: { fn: () => undefined, callDuringReplay: false }, activityRetriesExhausted: { fn: () => undefined, callDuringReplay: false } },
};

beforeAll(async () => {
  installQuietRuntime();
  bundle = await bundleWorkflows();
}, 120_000);

describe('stored workflow histories', () => {
  test('there is at least one stored history of every branch the workflow tests run', () => {
    const names = new Set(stored.map((h) => `${h.workflow}/${h.branch}`));
    const missing = allScenarios.map((s) => `${s.workflow}/${s.branch}`).filter((n) => !names.has(n));
    expect(missing).toEqual([]);
  });

  test(`all ${stored.length} replay against the current workflow code`, async () => {
    expect(stored.length).toBeGreaterThan(0);
    const failures: string[] = [];
    let replayed = 0;
    for await (const result of Worker.runReplayHistories(
      { workflowBundle: bundle, sinks, replayName: 'stored-histories' },
      stored.map((h) => ({ workflowId: h.workflowId, history: h.history })),
    )) {
      replayed++;
      if (result.error) {
        const name = stored.find((h) => h.workflowId === result.workflowId)?.name ?? result.workflowId;
        failures.push(`${name}: ${result.error.message}`);
      }
    }
    expect(failures).toEqual([]);
    expect(replayed).toBe(stored.length);
  }, 120_000);
});
