// One Temporal Schedule per installation of a package that has a schedule hook (PackageSchedule,
// lib/packages/contract.ts): the package says what it runs and when; the platform owns the rest
// (task queue, search attributes, memo, overlap SKIP, never paused by us). Only the installation
// reconciler (lib/installations/reconcile-installation.ts) creates, updates or deletes one: it
// exists iff the installation is installed, bound to a usable credential and the hook wants it.
import { ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy, type Client, type ScheduleOptionsStartWorkflowAction } from '@temporalio/client';
import type { Workflow } from '@temporalio/common';
import type { PackageSchedule, ScheduleTarget, WantedSchedule } from '../packages/contract';
import { formatHHMM } from '../schedule/hhmm';
import { nextRunsDisplay, type NextRunDisplay } from '../schedule/next-runs-display';
import { InstallationIdKey, TenantIdKey } from './contract';

/** The firings the status page lists. */
const NEXT_RUNS_SHOWN = 3;

export interface InstallationScheduleState {
  scheduleId: string;
  paused: boolean;
  /** The Schedule's first calendar entry, "HH:MM" (null: it has none). */
  scheduleTime: string | null;
  timezone: string | null;
  nextRuns: NextRunDisplay[];
}

function options(hook: PackageSchedule, wanted: WantedSchedule, target: ScheduleTarget, taskQueue: string) {
  const own = hook.options(wanted, target);
  const searchAttributes = [
    { key: TenantIdKey, value: target.tenantId },
    { key: InstallationIdKey, value: target.installationId },
  ];
  return {
    note: own.note,
    spec: own.spec,
    action: {
      type: 'startWorkflow',
      workflowType: own.action.workflowType,
      taskQueue,
      workflowId: own.action.workflowId,
      args: own.action.args,
      typedSearchAttributes: searchAttributes,
      staticSummary: own.action.staticSummary,
    } satisfies ScheduleOptionsStartWorkflowAction<Workflow>,
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: own.catchupWindow, pauseOnFailure: false },
    searchAttributes,
  };
}

/** Creates the schedule, or replaces its spec/action/policies when it exists (same id: no new Schedule). Idempotent. */
export async function upsertInstallationSchedule(
  client: Client,
  input: { hook: PackageSchedule; wanted: WantedSchedule; target: ScheduleTarget; taskQueue: string },
): Promise<string> {
  const { hook, target } = input;
  const scheduleId = hook.scheduleId(target.installationId);
  const { note, searchAttributes, ...o } = options(hook, input.wanted, target, input.taskQueue);
  // Never paused by us (an installation that wants none has none); one paused by hand is resumed.
  try {
    await client.schedule.create({
      scheduleId,
      ...o,
      state: { paused: false, note },
      memo: { tenantId: target.tenantId, installationId: target.installationId, tenantSlug: target.tenantSlug ?? null },
      typedSearchAttributes: searchAttributes,
    });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(scheduleId).update((prev) => ({ ...prev, ...o, state: { ...prev.state, paused: false, note } }));
  }
  return scheduleId;
}

/** Deletes it; one that does not exist is not an error. */
export async function deleteInstallationSchedule(client: Client, hook: PackageSchedule, installationId: string): Promise<void> {
  try {
    await client.schedule.getHandle(hook.scheduleId(installationId)).delete();
  } catch (err) {
    if (!(err instanceof ScheduleNotFoundError)) throw err;
  }
}

/** Temporal's description of the Schedule, its next action times and the time of its first calendar entry; null: none. */
export async function readInstallationSchedule(
  client: Client,
  hook: PackageSchedule,
  installationId: string,
): Promise<{ state: Omit<InstallationScheduleState, 'nextRuns'>; nextActionTimes: Date[] } | null> {
  const scheduleId = hook.scheduleId(installationId);
  try {
    const d = await client.schedule.getHandle(scheduleId).describe();
    const calendar = d.spec.calendars?.[0];
    const hour = Array.isArray(calendar?.hour) ? calendar.hour[0]?.start : undefined;
    const minute = Array.isArray(calendar?.minute) ? calendar.minute[0]?.start : undefined;
    return {
      state: {
        scheduleId,
        paused: d.state.paused,
        scheduleTime: hour !== undefined && minute !== undefined ? formatHHMM({ hour, minute }) : null,
        timezone: d.spec.timezone ?? null,
      },
      nextActionTimes: d.info.nextActionTimes,
    };
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) return null;
    throw err;
  }
}

/** The next runs the status page lists: the firings that will run (the hook's rules), in the Schedule's zone. */
export function presentNextRuns(firings: Date[], timezone: string): NextRunDisplay[] {
  return nextRunsDisplay(firings, timezone).slice(0, NEXT_RUNS_SHOWN);
}
