// The Temporal client factory and typed start helpers. Nothing connects on import.
import { Client, Connection, WorkflowExecutionAlreadyStartedError, WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/client';
import type { TConfig } from './lib/config';
import { CorrelationIdKey, InstallationIdKey, TenantIdKey } from './lib/temporal/search-attributes';
import type { DigestRunInput } from './activities/digest/digest-run-types';
import type { PackageDirectiveInput } from './workflows/package-directive';

export type TemporalSettings = Pick<TConfig, 'TEMPORAL_ADDRESS' | 'TEMPORAL_NAMESPACE' | 'TEMPORAL_TASK_QUEUE' | 'TEMPORAL_API_KEY' | 'TEMPORAL_TLS'>;

export interface TemporalHandle {
  client: Client;
  connection: Connection;
  namespace: string;
  taskQueue: string;
  close(): Promise<void>;
}

export async function connectTemporal(settings: TemporalSettings & { TEMPORAL_ADDRESS: string }, options: { connectTimeoutMs?: number } = {}): Promise<TemporalHandle> {
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

export interface DirectiveStart extends PackageDirectiveInput {
  workflowId: string;
  correlationId: string;
  installationId: string;
  directiveType: string;
  packageSlug: string;
  tenantSlug?: string;
}

/**
 * Starts the directive's workflow. The workflow id is the directive's idempotency key; if a run
 * with that id is running or has already completed, nothing new starts (a double click is a no-op).
 */
export async function startDirectiveWorkflow(temporal: Pick<TemporalHandle, 'client' | 'taskQueue'>, d: DirectiveStart): Promise<{ started: boolean }> {
  try {
    await temporal.client.workflow.start('packageDirectiveWorkflow', {
      taskQueue: temporal.taskQueue,
      workflowId: d.workflowId,
      args: [{ tenantId: d.tenantId, directiveId: d.directiveId } satisfies PackageDirectiveInput],
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

/** Starts a manual or retry digest run; its workflow id is the execution's business key. */
export async function startDigestRunWorkflow(
  temporal: Pick<TemporalHandle, 'client' | 'taskQueue'>,
  run: { workflowId: string; correlationId: string; input: DigestRunInput },
): Promise<void> {
  await temporal.client.workflow.start('digestRunWorkflow', {
    taskQueue: temporal.taskQueue,
    workflowId: run.workflowId,
    args: [run.input],
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    typedSearchAttributes: [
      { key: TenantIdKey, value: run.input.tenantId },
      { key: CorrelationIdKey, value: run.correlationId },
      { key: InstallationIdKey, value: run.input.installationId },
    ],
    memo: { executionId: run.input.executionId ?? null, trigger: run.input.trigger },
    staticSummary: `${run.input.trigger} digest run`,
  });
}
