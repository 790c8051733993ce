// Inputs and outputs of the failure-alert workflow and its activities. Pure types and constants:
// shared with workflow code.
import type { FailureKind } from '../../lib/errors/failure-kind';

export const FAILURE_ALERTS_SLUG = 'mattermost_failure_alerts';
export const FAILURE_ALERT_WORKFLOW_TYPE = 'failureAlertWorkflow';
export const FAILURES_ARRIVED_SIGNAL = 'failuresArrived';
export const ALERT_EXECUTION_KIND = 'mattermost_failure_alert';

/** One workflow per installation: its business key. */
export function failureAlertWorkflowId(input: { tenantId: string; installationId: string }): string {
  return `failure-alerts:${input.tenantId}:${input.installationId}`;
}

export interface FailureAlertInput {
  tenantId: string;
  installationId: string;
  /** Carried over continue-as-new: a notice arrived that was not handled yet. */
  pending?: boolean;
  /** Carried over continue-as-new: why the next alert was held back. */
  heldBy?: HeldBy | null;
  /** Durations and bounds, injectable for workflow tests (defaults in workflow.ts). */
  idleTimeoutMs?: number;
  alertsPerRun?: number;
}

export interface FailureAlertResult {
  reason: 'idle' | 'gone';
  alerts: number;
}

export type HeldBy = 'quiet_hours' | 'hourly_limit';

export type AlertPlan =
  /** Uninstalled, disabled or not connected: the workflow ends (a later notice starts it again). */
  | { kind: 'gone'; reason: string }
  /** No failure waits for an alert. */
  | { kind: 'idle' }
  /** Failures wait; the alert is due in waitMs (coalescing window, quiet hours or hourly limit). */
  | { kind: 'wait'; waitMs: number; reason: 'window' | HeldBy }
  /** Post now (a window is open from an earlier attempt, or one is due). */
  | { kind: 'due' };

export interface AlertRef {
  tenantId: string;
  installationId: string;
}

export interface OpenedAlert {
  executionId: string;
  correlationId: string;
  total: number;
}

export interface PostAlertResult {
  outcome: 'posted' | 'already_posted';
  attempts: number;
  postedByThisRun?: boolean;
}

export interface FinishAlertInput {
  tenantId: string;
  executionId: string;
  status: 'succeeded' | 'failed';
  errorKind?: FailureKind;
  message?: string;
}
