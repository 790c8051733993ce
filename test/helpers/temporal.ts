// Temporal helpers for integration tests: a client on the dev server started by global setup,
// one workflow bundle per test file, and a worker per test on its own task queue.
import { randomUUID } from 'node:crypto';
import { DefaultLogger, NativeConnection, Runtime, type Worker, type WorkflowBundleOption } from '@temporalio/worker';
import { connectTemporal, type TemporalHandle } from '../../client';
import type { ActivityDeps } from '../../activities';
import { buildWorker, loadWorkflowBundle } from '../../worker';

let runtimeInstalled = false;

export function temporalAddress(): string {
  const address = process.env.TEMPORAL_ADDRESS;
  if (!address) throw new Error('TEMPORAL_ADDRESS is not set: run integration tests through jest.');
  return address;
}

export interface TestTemporal {
  temporal: TemporalHandle;
  connection: NativeConnection;
  bundle: WorkflowBundleOption;
  close(): Promise<void>;
}

export async function openTestTemporal(): Promise<TestTemporal> {
  if (!runtimeInstalled) {
    // Keep the SDK's own SIGINT handling out of Jest's process and its logs quiet.
    Runtime.install({ shutdownSignals: [], logger: new DefaultLogger('ERROR') });
    runtimeInstalled = true;
  }
  const taskQueue = `test-${randomUUID()}`;
  const temporal = await connectTemporal({
    TEMPORAL_ADDRESS: temporalAddress(),
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_TASK_QUEUE: taskQueue,
    TEMPORAL_TLS: false,
    TEMPORAL_API_KEY: undefined,
  });
  const connection = await NativeConnection.connect({ address: temporalAddress() });
  const bundle = await loadWorkflowBundle();
  return {
    temporal,
    connection,
    bundle,
    async close() {
      await connection.close();
      await temporal.close();
    },
  };
}

export async function startTestWorker(t: TestTemporal, deps: ActivityDeps): Promise<{ worker: Worker; running: Promise<void> }> {
  const worker = await buildWorker({ connection: t.connection, namespace: 'default', taskQueue: t.temporal.taskQueue, deps, workflowBundle: t.bundle });
  const running = worker.run();
  return { worker, running };
}
