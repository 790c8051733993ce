// signalRetentionWorkflow, branch by branch, on stubbed activities (time-skipping test server).
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { signalRetentionScenarios } from './scenarios/signal-retention';
import { runScenario } from './support/scenario';
import { bundleWorkflows, openTimeSkippingEnv } from './support/workflow-env';

let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleWithSourceMap;

beforeAll(async () => {
  [env, bundle] = await Promise.all([openTimeSkippingEnv(), bundleWorkflows()]);
}, 120_000);

afterAll(async () => {
  await env?.teardown();
});

describe('signalRetentionWorkflow', () => {
  test.each(signalRetentionScenarios.map((s) => [s.branch, s] as const))('%s', async (_branch, s) => {
    s.check(await runScenario(env, bundle, s));
  }, 120_000);
});
