// The digest run's contract reference (../../workflows/contract.ts) stands for its workflow: the
// same registered name, in the worker's bundle, and (checked by the compiler, since this file is
// type-checked) the same signature.
import * as bundle from '../../../workflows';
import { WORKFLOW_TYPES } from '../../../../lib/temporal/contract';
import * as digestContract from '../../workflows/contract';
import { digestRunWorkflow } from '../../workflows/digest-run';

// Compile-time: the implementation is assignable to its contract type, and back.
const implementation: digestContract.DigestRunWorkflow = digestRunWorkflow;
const reference: typeof digestRunWorkflow = digestContract.digestRunWorkflow;

describe('the digest run workflow and its contract reference', () => {
  test('the reference is named as the workflow the worker registers', () => {
    expect(reference.name).toBe('digestRunWorkflow');
    expect(WORKFLOW_TYPES.digestRun).toBe(reference.name);
    expect((bundle as Record<string, unknown>)[reference.name]).toBe(implementation);
  });

  test('the reference cannot be run by mistake', () => {
    expect(() => (digestContract.digestRunWorkflow as unknown as () => void)()).toThrow(/runs only inside a worker/);
  });
});
