// The log context of the work in progress — an API request, an activity — carried by
// AsyncLocalStorage, so every log line written while doing that work names its tenant,
// correlation id, workflow and execution without each call site passing them (logger.ts adds
// them through pino's mixin). Values are ids only, never secrets.
import { AsyncLocalStorage } from 'node:async_hooks';
import { parseWorkflowId } from '../temporal/contract/ids';

export interface LogContext {
  requestId?: string;
  tenantId?: string;
  correlationId?: string;
  workflowId?: string;
  runId?: string;
  executionId?: string;
  installationId?: string;
  directiveId?: string;
  activityType?: string;
}

export const LOG_CONTEXT_KEYS = [
  'requestId',
  'tenantId',
  'correlationId',
  'workflowId',
  'runId',
  'executionId',
  'installationId',
  'directiveId',
  'activityType',
] as const;

/** The store is mutable: later steps of the same work add what they learn (e.g. the tenant). */
interface Store {
  context: LogContext;
  /** Evaluated on each log line: fields known only later (e.g. the tenant resolved by auth). */
  late?: () => LogContext;
}

const storage = new AsyncLocalStorage<Store>();

export function runWithLogContext<T>(context: LogContext, fn: () => T, late?: () => LogContext): T {
  return storage.run({ context: clean(context), late }, fn);
}

/** Adds fields to the current context (no-op outside one). */
export function addLogContext(fields: LogContext): void {
  const store = storage.getStore();
  if (store) Object.assign(store.context, clean(fields));
}

export function currentLogContext(): LogContext {
  const store = storage.getStore();
  if (!store) return {};
  return store.late ? { ...clean(store.late()), ...store.context } : { ...store.context };
}

function clean(fields: LogContext): LogContext {
  const out: LogContext = {};
  for (const key of LOG_CONTEXT_KEYS) {
    const value = fields[key];
    if (typeof value === 'string' && value.length > 0) out[key] = value.slice(0, 300);
  }
  return out;
}

/**
 * What a FleetPrompt workflow id tells by itself (they are business keys, lib/temporal/contract):
 * the tenant always; the correlation id for directives and manual runs (it *is* the workflow id);
 * the execution for manual and retry runs; the installation for scheduled runs.
 */
export function contextFromWorkflowId(workflowId: string | undefined | null): LogContext {
  const parsed = workflowId ? parseWorkflowId(workflowId) : null;
  if (!parsed || !workflowId) return {};
  switch (parsed.kind) {
    case 'directive':
      return { tenantId: parsed.tenantId, correlationId: workflowId };
    case 'digest.manual':
      return { tenantId: parsed.tenantId, correlationId: workflowId, executionId: parsed.executionId };
    case 'digest.retry':
      return { tenantId: parsed.tenantId, executionId: parsed.executionId };
    case 'digest.scheduled':
      return { tenantId: parsed.tenantId, installationId: parsed.installationId };
    default:
      return {};
  }
}
