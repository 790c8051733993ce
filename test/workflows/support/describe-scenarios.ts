// One Jest test per scenario, on one time-skipping test server and one workflow bundle per file.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { runScenario, type Scenario } from './scenario';
import { bundleWorkflows, openTimeSkippingEnv } from './workflow-env';

export function describeScenarios(title: string, scenarios: readonly Scenario[]): void {
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundleWithSourceMap;

  beforeAll(async () => {
    [env, bundle] = await Promise.all([openTimeSkippingEnv(), bundleWorkflows()]);
  }, 120_000);

  afterAll(async () => {
    await env?.teardown();
  });

  describe(title, () => {
    test.each(scenarios.map((s) => [s.branch, s] as const))(
      '%s',
      async (_branch, s) => {
        s.check(await runScenario(env, bundle, s));
      },
      120_000,
    );
  });
}
