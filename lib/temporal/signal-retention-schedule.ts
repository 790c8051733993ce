// The daily signal-retention Schedule: one per namespace and task queue, created or updated by
// every worker at start (idempotent). An update changes only spec, action and policies — a pause
// an operator set stays set.
import {
  ScheduleAlreadyRunning,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleDescription,
  type ScheduleOptionsStartWorkflowAction,
} from '@temporalio/client';
import { signalRetentionScheduleId, signalRetentionWorkflow, signalRetentionWorkflowId, type SignalRetentionInput } from './contract';

/** 03:17 UTC: away from the top of the hour, when the digest schedules fire. */
export const RETENTION_HOUR_UTC = 3;
export const RETENTION_MINUTE_UTC = 17;

export interface RetentionScheduleSettings {
  taskQueue: string;
  retentionDays: number;
  /** Tests only: a different id. */
  scheduleId?: string;
  batchSize?: number;
  pauseMs?: number;
}

function options(s: RetentionScheduleSettings) {
  const args: SignalRetentionInput = {
    retentionDays: s.retentionDays,
    ...(s.batchSize ? { batchSize: s.batchSize } : {}),
    ...(s.pauseMs !== undefined ? { pauseMs: s.pauseMs } : {}),
  };
  return {
    spec: { calendars: [{ hour: RETENTION_HOUR_UTC, minute: RETENTION_MINUTE_UTC, comment: 'daily signal retention' }], timezone: 'UTC' },
    action: {
      type: 'startWorkflow',
      workflowType: signalRetentionWorkflow,
      taskQueue: s.taskQueue,
      workflowId: signalRetentionWorkflowId(s.taskQueue),
      args: [args],
      staticSummary: `signal retention: keep ${s.retentionDays} days`,
    } satisfies ScheduleOptionsStartWorkflowAction<typeof signalRetentionWorkflow>,
    // One purge at a time; a missed day (worker or server down) is made up within a day.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' as const, pauseOnFailure: false },
  };
}

/** Creates the schedule, or brings its spec/action/policies up to date. Returns its id. */
export async function ensureSignalRetentionSchedule(client: Client, s: RetentionScheduleSettings): Promise<string> {
  const scheduleId = s.scheduleId ?? signalRetentionScheduleId(s.taskQueue);
  try {
    await client.schedule.create({
      scheduleId,
      ...options(s),
      state: { note: 'created by the worker' },
      memo: { purpose: 'signal retention', retentionDays: s.retentionDays },
    });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(scheduleId).update((prev: ScheduleDescription) => ({ ...prev, ...options(s), state: prev.state }));
  }
  return scheduleId;
}
