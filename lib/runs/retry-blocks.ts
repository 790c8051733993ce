// Why each failed run in a list may not be retried, asked of the package whose kind it is
// (RunHook.retryBlockedBy): the run list, one run and the timeline show it before anyone clicks.
import type { Execution } from '../db/generated/client';
import type { Tx } from '../db/with-tenant';
import type { RetryBlock, RunHooks } from './run-hook';

export async function retryBlocks(tx: Tx, hooks: RunHooks, executions: Execution[]): Promise<Map<string, RetryBlock>> {
  const found = new Map<string, RetryBlock>();
  for (const hook of hooks.all) {
    const failed = executions.filter((e) => e.status === 'failed' && e.kind === hook.executionKind);
    if (!hook.retryBlockedBy || !failed.length) continue;
    for (const [id, block] of await hook.retryBlockedBy(tx, failed)) found.set(id, block);
  }
  return found;
}
