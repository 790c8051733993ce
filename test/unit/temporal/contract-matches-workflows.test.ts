// The contract's workflow references stand for the real workflows: same registered name, and
// (checked by the compiler, since this file is type-checked) the same signature.
import * as contract from '../../../lib/temporal/contract';
import * as coreWorkflows from '../../../workflows';
import * as digestContract from '../../../packages/mattermost_daily_ops_digest/workflows/contract';
import { digestRunWorkflow } from '../../../packages/mattermost_daily_ops_digest/workflows/digest-run';

// The worker registers the core's workflows and each package's (packages/workflows.ts).
const workflows = { ...coreWorkflows, digestRunWorkflow };

// Compile-time: each implementation is assignable to its contract type, and back.
const implementations: {
  digestRunWorkflow: digestContract.DigestRunWorkflow;
  packageDirectiveWorkflow: contract.PackageDirectiveWorkflow;
  signalRetentionWorkflow: contract.SignalRetentionWorkflow;
} = workflows;
const references: Pick<typeof workflows, keyof typeof implementations> = {
  digestRunWorkflow: digestContract.digestRunWorkflow,
  packageDirectiveWorkflow: contract.packageDirectiveWorkflow,
  signalRetentionWorkflow: contract.signalRetentionWorkflow,
};

describe('Temporal contract workflow references', () => {
  test('every reference is named as the workflow the worker registers', () => {
    for (const [exportName, reference] of Object.entries(references)) {
      expect(reference.name).toBe(exportName);
      expect(typeof (workflows as Record<string, unknown>)[reference.name]).toBe('function');
    }
    expect(Object.values(contract.WORKFLOW_TYPES).sort()).toEqual(Object.keys(implementations).sort());
    expect(Object.keys(workflows).sort()).toEqual(Object.keys(implementations).sort());
  });

  test('a reference cannot be run by mistake', () => {
    expect(() => (digestContract.digestRunWorkflow as unknown as () => void)()).toThrow(/runs only inside a worker/);
  });
});
