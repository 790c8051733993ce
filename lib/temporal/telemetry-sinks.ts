// The worker end of workflows/observability-interceptors.ts: a workflow that ended reports its
// outcome and duration here, and it becomes fleetprompt_{directive,package_install,digest_run}_*,
// and fleetprompt_package_run_* for the run workflows the packages declare (PackageModule.runWorkflowTypes).
import type { InjectedSinks } from '@temporalio/worker';
import { WORKFLOW_TYPES, type TelemetrySinks } from './contract';
import { contextFromWorkflowId } from '../log/context';
import type { Logger } from '../log/logger';
import { recordActivityRetriesExhausted, recordDigestRunFinished, recordDirectiveFinished, recordPackageRunFinished } from '../metrics/telemetry';

/** `runWorkflows`: workflow type → the slug of the package whose runs it carries out. */
export function telemetrySinks(logger: Logger, runWorkflows: ReadonlyMap<string, string> = new Map()): InjectedSinks<TelemetrySinks> {
  return {
    telemetry: {
      workflowFinished: {
        fn(info, finished) {
          const seconds = Math.max(0, finished.durationMs) / 1000;
          const packageSlug = runWorkflows.get(info.workflowType);
          if (packageSlug) recordPackageRunFinished({ packageSlug, trigger: finished.trigger, outcome: finished.outcome, seconds });
          if (info.workflowType === WORKFLOW_TYPES.digestRun) {
            recordDigestRunFinished({ trigger: finished.trigger, outcome: finished.outcome, seconds });
          } else if (info.workflowType === WORKFLOW_TYPES.packageDirective && (finished.outcome === 'completed' || finished.outcome === 'failed')) {
            recordDirectiveFinished({ workflowId: info.workflowId, outcome: finished.outcome, seconds });
          }
          const known = {
            ...contextFromWorkflowId(info.workflowId),
            ...Object.fromEntries(
              Object.entries({ tenantId: finished.tenantId, correlationId: finished.correlationId, installationId: finished.installationId }).filter(
                ([, v]) => v,
              ),
            ),
          };
          logger.info(
            {
              ...known,
              workflowId: info.workflowId,
              runId: info.runId,
              workflowType: info.workflowType,
              outcome: finished.outcome,
              errorKind: finished.errorKind ?? null,
              durationMs: finished.durationMs,
            },
            'workflow finished',
          );
        },
        callDuringReplay: false,
      },
      activityRetriesExhausted: {
        fn(info, input) {
          recordActivityRetriesExhausted({ workflowType: info.workflowType, activityType: input.activityType, retryState: input.retryState });
          logger.warn(
            {
              ...contextFromWorkflowId(info.workflowId),
              workflowId: info.workflowId,
              runId: info.runId,
              workflowType: info.workflowType,
              activityType: input.activityType,
              retryState: input.retryState,
            },
            'activity gave up: retries or its overall time bound exhausted',
          );
        },
        callDuringReplay: false,
      },
    },
  };
}
