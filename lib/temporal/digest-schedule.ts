// One Temporal Schedule per installation: the daily digest at HH:MM in the tenant's zone (plus
// the DST catch-up entry), overlap SKIP, a bounded catch-up window. Only the installation
// reconciler (lib/installations/reconcile-installation.ts) creates, updates or deletes it: it
// exists iff the installation is installed, enabled and bound to a usable credential.
import { ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy, type Client, type ScheduleOptionsStartWorkflowAction } from '@temporalio/client';
import { digestScheduleSpec } from '../schedule/digest-schedule-spec';
import { nextRunsDisplay, type NextRunDisplay } from '../schedule/next-runs-display';
import type { AnnounceInput } from '../schedule/scheduled-firing';
import { digestScheduledWorkflowId, digestScheduleId, InstallationIdKey, TenantIdKey, WORKFLOW_TYPES } from './contract';

// What the Schedule passes the digest's workflow (its DigestRunInput, in the package's workflows/contract.ts).
type ScheduledDigestRun = (input: { tenantId: string; installationId: string; trigger: 'scheduled' }) => Promise<unknown>;

export const DIGEST_CATCHUP_WINDOW = '2 hours' as const;

export interface DigestScheduleSettings {
  tenantId: string;
  tenantSlug?: string;
  installationId: string;
  taskQueue: string;
  scheduleTime: string;
  timezone: string;
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
      workflowType: WORKFLOW_TYPES.digestRun,
      taskQueue: s.taskQueue,
      workflowId: digestScheduledWorkflowId(s.tenantId, s.installationId),
      args: [{ tenantId: s.tenantId, installationId: s.installationId, trigger: 'scheduled' }],
      typedSearchAttributes: [
        { key: TenantIdKey, value: s.tenantId },
        { key: InstallationIdKey, value: s.installationId },
      ],
      staticSummary: `daily digest ${s.scheduleTime} ${s.timezone}${s.tenantSlug ? ` for ${s.tenantSlug}` : ''}`,
    } satisfies ScheduleOptionsStartWorkflowAction<ScheduledDigestRun>,
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: DIGEST_CATCHUP_WINDOW, pauseOnFailure: false },
  };
}

/** Creates the schedule, or replaces its spec/action/state when it exists. Idempotent. */
export async function upsertDigestSchedule(client: Client, s: DigestScheduleSettings): Promise<string> {
  const scheduleId = digestScheduleId(s.installationId);
  // Never paused by us (a disabled digest has no schedule); one paused by hand is resumed.
  const note = 'daily digest';
  try {
    await client.schedule.create({
      scheduleId,
      ...options(s),
      state: { paused: false, note },
      memo: { tenantId: s.tenantId, installationId: s.installationId, tenantSlug: s.tenantSlug ?? null },
      typedSearchAttributes: [
        { key: TenantIdKey, value: s.tenantId },
        { key: InstallationIdKey, value: s.installationId },
      ],
    });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(scheduleId).update((prev) => ({ ...prev, ...options(s), state: { ...prev.state, paused: false, note } }));
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

/** What the digest rules need besides the spec: history (last reported window end) and effective-since. */
export type AnnounceFacts = Pick<AnnounceInput, 'lastReportedEnd' | 'effectiveSince'>;

export async function describeDigestSchedule(client: Client, installationId: string, facts?: AnnounceFacts): Promise<DigestScheduleState | null> {
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
      // The firings that will post, from Temporal's own list (10 ahead: 5 days of 2 entries).
      nextRuns:
        timezone && scheduleTime && facts ? nextRunsDisplay(d.info.nextActionTimes, timezone, { rules: { scheduleTime, timezone, ...facts } }).slice(0, 3) : [],
    };
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) return null;
    throw err;
  }
}
