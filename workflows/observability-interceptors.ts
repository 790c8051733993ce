// Workflow interceptors for logs and metrics (bundled into every workflow; deterministic: they
// issue no commands and do no I/O).
//  - Every activity a workflow schedules carries the workflow's tenant, correlation id and
//    installation (its search attributes) in a header, so the activity's log lines name them
//    (lib/temporal/activity-interceptor.ts).
//  - When a workflow ends, a sink call reports its outcome and duration to the worker's metrics
//    (lib/temporal/telemetry-sinks.ts). Sinks are not called while a history is replayed.
//  - When an activity gives up (attempts or its schedule-to-close bound exhausted), a sink call
//    counts it: fleetprompt_activity_retries_exhausted_total, the metric to alert on.
import {
  ActivityFailure,
  ApplicationFailure,
  ContinueAsNew,
  defaultPayloadConverter,
  isCancellation,
  proxySinks,
  TemporalFailure,
  TimeoutFailure,
  workflowInfo,
  type ActivityInput,
  type LocalActivityInput,
  type Next,
  type WorkflowExecuteInput,
  type WorkflowInboundCallsInterceptor,
  type WorkflowInterceptorsFactory,
  type WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';
import { CorrelationIdKey, InstallationIdKey, LOG_CONTEXT_HEADER, TenantIdKey, type LogContextHeader, type TelemetrySinks } from '../lib/temporal/contract';

const { telemetry } = proxySinks<TelemetrySinks>();

function outcomeOf(result: unknown): string {
  const status = (result as { status?: unknown } | null)?.status;
  return typeof status === 'string' ? status : 'completed';
}

class TelemetryInbound implements WorkflowInboundCallsInterceptor {
  async execute(input: WorkflowExecuteInput, next: Next<WorkflowInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    const started = workflowInfo().runStartTime.getTime();
    const trigger = (input.args[0] as { trigger?: unknown } | undefined)?.trigger;
    const report = (outcome: string, errorKind?: string) =>
      telemetry.workflowFinished({
        outcome,
        errorKind,
        durationMs: Date.now() - started,
        trigger: typeof trigger === 'string' ? trigger : undefined,
        ...searchAttributeContext(),
      });
    try {
      const result = await next(input);
      report(outcomeOf(result));
      return result;
    } catch (err) {
      // Continue-as-new is not an end; a non-Temporal error fails the workflow task (retried), not the workflow.
      if (err instanceof ContinueAsNew) throw err;
      if (isCancellation(err)) report('cancelled');
      else if (err instanceof TemporalFailure) report('failed', (err as { type?: string }).type ?? undefined);
      throw err;
    }
  }
}

/** The tenant, correlation id and installation the workflow carries as search attributes (read now: upserts count). */
function searchAttributeContext(): LogContextHeader {
  const attributes = workflowInfo().typedSearchAttributes;
  return { tenantId: attributes.get(TenantIdKey), correlationId: attributes.get(CorrelationIdKey), installationId: attributes.get(InstallationIdKey) };
}

const GAVE_UP = new Set(['MAXIMUM_ATTEMPTS_REACHED', 'TIMEOUT']);

/** Counts an activity that gave up (local or not), then passes its failure on. */
function countGivingUp(activityType: string) {
  return (err: unknown): never => {
    if (err instanceof ActivityFailure && GAVE_UP.has(String(err.retryState))) {
      telemetry.activityRetriesExhausted({ activityType, retryState: String(err.retryState) });
    }
    throw err;
  };
}

/** Why a local activity's failure ended its retries, when it gave up rather than was refused or cancelled. */
function localGivingUp(err: unknown, nonRetryableTypes: string[]): string | undefined {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof TimeoutFailure) return 'TIMEOUT';
  if (err instanceof ApplicationFailure && !err.nonRetryable && !nonRetryableTypes.includes(err.type ?? '')) return 'MAXIMUM_ATTEMPTS_REACHED';
  return undefined;
}

const withLogContext = <T extends { headers: ActivityInput['headers'] }>(input: T): T => ({
  ...input,
  headers: { ...input.headers, [LOG_CONTEXT_HEADER]: defaultPayloadConverter.toPayload(searchAttributeContext()) },
});

class LogContextOutbound implements WorkflowOutboundCallsInterceptor {
  scheduleActivity(input: ActivityInput, next: Next<WorkflowOutboundCallsInterceptor, 'scheduleActivity'>): Promise<unknown> {
    return next(withLogContext(input)).catch(countGivingUp(input.activityType));
  }

  // Local activities (the digest's bookkeeping) carry the same header. Their last failure comes
  // back unwrapped (no ActivityFailure, so no retry state): a retryable application failure there
  // means the attempts ran out; a timeout, that its bound did.
  scheduleLocalActivity(input: LocalActivityInput, next: Next<WorkflowOutboundCallsInterceptor, 'scheduleLocalActivity'>): Promise<unknown> {
    return next(withLogContext(input)).catch((err: unknown) => {
      const retryState = localGivingUp(err, input.options.retry?.nonRetryableErrorTypes ?? []);
      if (retryState) telemetry.activityRetriesExhausted({ activityType: input.activityType, retryState });
      throw err;
    });
  }
}

export const interceptors: WorkflowInterceptorsFactory = () => ({
  inbound: [new TelemetryInbound()],
  outbound: [new LogContextOutbound()],
});
