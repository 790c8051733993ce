// The contract's workflow references stand for the real workflows: same registered name, and
// (checked by the compiler, since this file is type-checked) the same signature. The core's own
// here; each package holds its own workflows to its contract in its own tests
// (packages/<slug>/test/unit/).
import * as contract from '../../../lib/temporal/contract';
import * as coreWorkflows from '../../../workflows';
import * as bundle from '../../../packages/workflows';

// Compile-time: each implementation is assignable to its contract type, and back.
const implementations: {
  packageDirectiveWorkflow: contract.PackageDirectiveWorkflow;
  signalRetentionWorkflow: contract.SignalRetentionWorkflow;
} = coreWorkflows;
const references: Pick<typeof coreWorkflows, keyof typeof implementations> = {
  packageDirectiveWorkflow: contract.packageDirectiveWorkflow,
  signalRetentionWorkflow: contract.signalRetentionWorkflow,
};

describe('Temporal contract workflow references', () => {
  test('every core reference is named as the workflow the worker registers', () => {
    for (const [exportName, reference] of Object.entries(references)) {
      expect(reference.name).toBe(exportName);
      expect(typeof (coreWorkflows as Record<string, unknown>)[reference.name]).toBe('function');
    }
    expect(Object.keys(coreWorkflows).sort()).toEqual(Object.keys(implementations).sort());
  });

  test("the worker's bundle is the core's workflows plus the packages' (packages/workflows.ts), each a function", () => {
    const registered = bundle as Record<string, unknown>;
    for (const name of Object.keys(coreWorkflows)) expect(registered[name]).toBe((coreWorkflows as Record<string, unknown>)[name]);
    for (const [name, workflow] of Object.entries(registered)) {
      expect(typeof workflow).toBe('function');
      expect((workflow as { name: string }).name).toBe(name);
    }
  });

  test('a reference cannot be run by mistake', () => {
    expect(() => (contract.packageDirectiveWorkflow as unknown as () => void)()).toThrow(/runs only inside a worker/);
  });
});
