// The Temporal client factory and the typed start helpers. Workflows are started by their
// contract references (lib/temporal/contract), so the SDK checks every argument. Nothing
// connects on import.
import { Client, Connection, WorkflowExecutionAlreadyStartedError, WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/client';
import type { DirectiveStart } from './lib/directives/directive-starter';
import type { PackageWorkflowNotice, PackageWorkflowSignaller } from './lib/packages/signal-triggers';
import type { RunStart, RunStarter } from './lib/runs/run-starter';
import { CorrelationIdKey, InstallationIdKey, packageDirectiveWorkflow, TenantIdKey } from './lib/temporal/contract';
import type { TemporalHandle, TemporalSettings } from './lib/temporal/temporal-handle';
import { temporalCallDeadline } from './lib/temporal/call-deadline';

export type { TemporalHandle, TemporalSettings } from './lib/temporal/temporal-handle';
export type { DirectiveStart } from './lib/directives/directive-starter';

export async function connectTemporal(
  settings: TemporalSettings & { TEMPORAL_ADDRESS: string },
  options: { connectTimeoutMs?: number } = {},
): Promise<TemporalHandle> {
  const connection = await Connection.connect({
    address: settings.TEMPORAL_ADDRESS,
    tls: settings.TEMPORAL_TLS || undefined,
    apiKey: settings.TEMPORAL_API_KEY,
    connectTimeout: options.connectTimeoutMs ?? 5_000,
  });
  const client = new Client({ connection, namespace: settings.TEMPORAL_NAMESPACE });
  return {
    client,
    connection,
    namespace: settings.TEMPORAL_NAMESPACE,
    taskQueue: settings.TEMPORAL_TASK_QUEUE,
    close: () => connection.close(),
  };
}

/**
 * Starts the directive's workflow. The workflow id is the directive's idempotency key; if a run
 * with that id is running or has already completed, nothing new starts (a double click is a no-op).
 */
export async function startDirectiveWorkflow(temporal: Pick<TemporalHandle, 'client' | 'taskQueue'>, d: DirectiveStart): Promise<{ started: boolean }> {
  try {
    await temporal.client.workflow.start(packageDirectiveWorkflow, {
      taskQueue: temporal.taskQueue,
      workflowId: d.workflowId,
      args: [{ tenantId: d.tenantId, directiveId: d.directiveId }],
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      typedSearchAttributes: [
        { key: TenantIdKey, value: d.tenantId },
        { key: CorrelationIdKey, value: d.correlationId },
        { key: InstallationIdKey, value: d.installationId },
      ],
      memo: { directiveId: d.directiveId, directiveType: d.directiveType, packageSlug: d.packageSlug, tenantSlug: d.tenantSlug ?? null },
      staticSummary: `${d.directiveType} ${d.packageSlug}${d.tenantSlug ? ` for ${d.tenantSlug}` : ''}`,
    });
    return { started: true };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { started: false };
    throw err;
  }
}

/**
 * Starts a manual or retry run (lib/runs/run-starter.ts): the workflow type and arguments come
 * from the installation's package; its workflow id is the execution's business key.
 */
export async function startRunWorkflow(temporal: Pick<TemporalHandle, 'client' | 'taskQueue'>, run: RunStart): Promise<void> {
  await temporal.client.workflow.start(run.workflowType, {
    taskQueue: temporal.taskQueue,
    workflowId: run.workflowId,
    args: run.args,
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    typedSearchAttributes: [
      { key: TenantIdKey, value: run.tenantId },
      { key: CorrelationIdKey, value: run.correlationId },
      { key: InstallationIdKey, value: run.installationId },
    ],
    memo: run.memo,
    staticSummary: run.staticSummary,
  });
}

/**
 * The API's "Run now" / "Retry" starter (lib/runs) on a lazily connected client. The start is
 * bounded (lib/temporal/call-deadline.ts): with Temporal unreachable the user gets a 503 (and
 * nothing half-done) within 2 s instead of the SDK's ~20 s of retries.
 */
export function runStarter(getTemporal: () => Promise<TemporalHandle>): RunStarter {
  return {
    start: async (run) => {
      const t = await getTemporal();
      await t.connection.withDeadline(temporalCallDeadline(t.connection), () => startRunWorkflow(t, run));
    },
  };
}

/**
 * Delivers a package workflow notice by signal-with-start (lib/packages/signal-triggers.ts): the
 * installation's workflow is signalled if it runs, started with the signal if not.
 */
export async function signalWithStartPackageWorkflow(temporal: Pick<TemporalHandle, 'client' | 'taskQueue'>, n: PackageWorkflowNotice): Promise<void> {
  await temporal.client.workflow.signalWithStart(n.workflowType, {
    taskQueue: temporal.taskQueue,
    workflowId: n.workflowId,
    args: [n.input],
    signal: n.signalName,
    signalArgs: [n.notice],
    typedSearchAttributes: [
      { key: TenantIdKey, value: n.input.tenantId },
      { key: InstallationIdKey, value: n.input.installationId },
    ],
    staticSummary: `${n.workflowType} for installation ${n.input.installationId}`,
  });
}

/** The notice sender for the API and the worker, on a lazily connected client. */
export function packageWorkflowSignaller(getTemporal: () => Promise<TemporalHandle>): PackageWorkflowSignaller {
  return { signalWithStart: async (n) => signalWithStartPackageWorkflow(await getTemporal(), n) };
}
