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
  ContinueAsNew,
  defaultPayloadConverter,
  isCancellation,
  proxySinks,
  TemporalFailure,
  workflowInfo,
  type ActivityInput,
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

class LogContextOutbound implements WorkflowOutboundCallsInterceptor {
  scheduleActivity(input: ActivityInput, next: Next<WorkflowOutboundCallsInterceptor, 'scheduleActivity'>): Promise<unknown> {
    return next({ ...input, headers: { ...input.headers, [LOG_CONTEXT_HEADER]: defaultPayloadConverter.toPayload(searchAttributeContext()) } }).catch(
      (err: unknown) => {
        if (err instanceof ActivityFailure && GAVE_UP.has(String(err.retryState))) {
          telemetry.activityRetriesExhausted({ activityType: input.activityType, retryState: String(err.retryState) });
        }
        throw err;
      },
    );
  }
}

export const interceptors: WorkflowInterceptorsFactory = () => ({
  inbound: [new TelemetryInbound()],
  outbound: [new LogContextOutbound()],
});
