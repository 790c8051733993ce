// One Temporal Schedule per installation: the daily digest at HH:MM in the tenant's zone (plus
// the DST catch-up entry), overlap SKIP, a bounded catch-up window. Created or updated on config
// change, paused on disable, deleted on uninstall.
import { ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy, type Client, type ScheduleOptionsStartWorkflowAction } from '@temporalio/client';
import { digestScheduleSpec } from '../schedule/digest-schedule-spec';
import { nextRunsDisplay, type NextRunDisplay } from '../schedule/next-runs-display';
import { digestRunWorkflow, digestScheduledWorkflowId, digestScheduleId, InstallationIdKey, TenantIdKey } from './contract';

export const DIGEST_CATCHUP_WINDOW = '2 hours' as const;

export interface DigestScheduleSettings {
  tenantId: string;
  tenantSlug?: string;
  installationId: string;
  taskQueue: string;
  scheduleTime: string;
  timezone: string;
  paused: boolean;
}

export interface DigestScheduleState {
  scheduleId: string;
  paused: boolean;
  scheduleTime: string | null;
  timezone: string | null;
  nextRuns: NextRunDisplay[];
}

function options(s: DigestScheduleSettings) {
  return {
    spec: digestScheduleSpec({ scheduleTime: s.scheduleTime, timezone: s.timezone }),
    action: {
      type: 'startWorkflow',
      workflowType: digestRunWorkflow,
      taskQueue: s.taskQueue,
      workflowId: digestScheduledWorkflowId(s.tenantId, s.installationId),
      args: [{ tenantId: s.tenantId, installationId: s.installationId, trigger: 'scheduled' }],
      typedSearchAttributes: [
        { key: TenantIdKey, value: s.tenantId },
        { key: InstallationIdKey, value: s.installationId },
      ],
      staticSummary: `daily digest ${s.scheduleTime} ${s.timezone}${s.tenantSlug ? ` for ${s.tenantSlug}` : ''}`,
    } satisfies ScheduleOptionsStartWorkflowAction<typeof digestRunWorkflow>,
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: DIGEST_CATCHUP_WINDOW, pauseOnFailure: false },
  };
}

/** Creates the schedule, or replaces its spec/action/state when it exists. Idempotent. */
export async function upsertDigestSchedule(client: Client, s: DigestScheduleSettings): Promise<string> {
  const scheduleId = digestScheduleId(s.installationId);
  const note = s.paused ? 'digest disabled' : 'digest enabled';
  try {
    await client.schedule.create({
      scheduleId,
      ...options(s),
      state: { paused: s.paused, note },
      memo: { tenantId: s.tenantId, installationId: s.installationId, tenantSlug: s.tenantSlug ?? null },
      typedSearchAttributes: [
        { key: TenantIdKey, value: s.tenantId },
        { key: InstallationIdKey, value: s.installationId },
      ],
    });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(scheduleId).update((prev) => ({ ...prev, ...options(s), state: { ...prev.state, paused: s.paused, note } }));
  }
  return scheduleId;
}

export async function deleteDigestSchedule(client: Client, installationId: string): Promise<void> {
  try {
    await client.schedule.getHandle(digestScheduleId(installationId)).delete();
  } catch (err) {
    if (!(err instanceof ScheduleNotFoundError)) throw err;
  }
}

export async function describeDigestSchedule(client: Client, installationId: string): Promise<DigestScheduleState | null> {
  const scheduleId = digestScheduleId(installationId);
  try {
    const d = await client.schedule.getHandle(scheduleId).describe();
    const timezone = d.spec.timezone ?? null;
    const calendar = d.spec.calendars?.[0];
    const hour = Array.isArray(calendar?.hour) ? calendar.hour[0]?.start : undefined;
    const minute = Array.isArray(calendar?.minute) ? calendar.minute[0]?.start : undefined;
    const scheduleTime = hour !== undefined && minute !== undefined ? `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}` : null;
    return {
      scheduleId,
      paused: d.state.paused,
      scheduleTime,
      timezone,
      nextRuns: timezone ? nextRunsDisplay(d.info.nextActionTimes.slice(0, 6), timezone, scheduleTime ? { scheduleTime } : {}).slice(0, 3) : [],
    };
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) return null;
    throw err;
  }
}
