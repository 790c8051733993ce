// Business-keyed ids: a workflow id *is* the idempotency key of the work it does (README, "Key rules"), so
// it is built in exactly one place and read back (log context, metric labels, the nominal time
// of a scheduled run) by the parser paired with that builder. Every builder refuses a part that
// would make its id ambiguous; test/unit/temporal/contract-ids.test.ts proves parse(build(x)) = x.
// Pure: imported by workflow code.

/** The server names each run a Schedule starts `<action workflow id>-<nominal time, RFC 3339>`. */
const SCHEDULED_SUFFIX = /^(.*)-(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)$/;
const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;
const POSITIVE_INT = /^[1-9]\d*$/;

/** A part of a `:`-separated id: non-empty, no separator, no generation mark, no white space. */
function part(name: string, value: string): string {
  if (typeof value !== 'string' || value.length === 0 || /[:#\s]/.test(value)) {
    throw new RangeError(`${name} cannot be part of an id: it must be non-empty without ':', '#' or spaces`);
  }
  return value;
}

function count(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${name} must be a whole number ≥ 1`);
  return value;
}

function splitGeneration(id: string): { base: string; generation: number } | null {
  const hash = id.lastIndexOf('#');
  if (hash < 0) return { base: id, generation: 1 };
  const suffix = id.slice(hash + 1);
  if (!POSITIVE_INT.test(suffix) || suffix === '1') return null;
  return { base: id.slice(0, hash), generation: Number(suffix) };
}

// ---- package directives (workflow id = idempotency key = correlation id) ---------------------

export interface InstallDirectiveKey {
  tenantId: string;
  packageSlug: string;
  version: string;
  configChecksum: string;
}

export interface UninstallDirectiveKey {
  tenantId: string;
  installationId: string;
  /** 1 for the installation's first uninstall, 2 for the next… */
  sequence: number;
}

export interface UpgradeDirectiveKey {
  tenantId: string;
  packageSlug: string;
  fromVersion: string;
  toVersion: string;
}

/** `dir:pkg_upgrade:{tenant}:{slug}:{from}:{to}`: 50 identical upgrade requests give one directive. */
export function upgradeDirectiveKey(p: UpgradeDirectiveKey): string {
  return `dir:pkg_upgrade:${part('tenantId', p.tenantId)}:${part('packageSlug', p.packageSlug)}:${part('fromVersion', p.fromVersion)}:${part('toVersion', p.toVersion)}`;
}

export function installDirectiveKey(p: InstallDirectiveKey): string {
  return `dir:pkg_install:${part('tenantId', p.tenantId)}:${part('packageSlug', p.packageSlug)}:${part('version', p.version)}:${part('configChecksum', p.configChecksum)}`;
}

export function uninstallDirectiveKey(p: UninstallDirectiveKey): string {
  return `dir:pkg_uninstall:${part('tenantId', p.tenantId)}:${part('installationId', p.installationId)}:${count('sequence', p.sequence)}`;
}

/** A later directive with the same key (e.g. reinstall after uninstall) gets a generation suffix. */
export function withGeneration(key: string, generation: number): string {
  return count('generation', generation) === 1 ? key : `${key}#${generation}`;
}

export type ParsedDirectiveKey =
  | ({ directiveType: 'package.install'; generation: number } & InstallDirectiveKey)
  | ({ directiveType: 'package.uninstall'; generation: number } & UninstallDirectiveKey)
  | ({ directiveType: 'package.upgrade'; generation: number } & UpgradeDirectiveKey);

export function parseDirectiveKey(key: string): ParsedDirectiveKey | null {
  const split = splitGeneration(key);
  if (!split) return null;
  const parts = split.base.split(':');
  if (parts.some((p) => p.length === 0 || /\s/.test(p))) return null;
  if (parts[0] !== 'dir') return null;
  if (parts[1] === 'pkg_install' && parts.length === 6) {
    const [, , tenantId, packageSlug, version, configChecksum] = parts;
    return { directiveType: 'package.install', tenantId, packageSlug, version, configChecksum, generation: split.generation };
  }
  if (parts[1] === 'pkg_upgrade' && parts.length === 6) {
    const [, , tenantId, packageSlug, fromVersion, toVersion] = parts;
    return { directiveType: 'package.upgrade', tenantId, packageSlug, fromVersion, toVersion, generation: split.generation };
  }
  if (parts[1] === 'pkg_uninstall' && parts.length === 5 && POSITIVE_INT.test(parts[4])) {
    const [, , tenantId, installationId, sequence] = parts;
    return { directiveType: 'package.uninstall', tenantId, installationId, sequence: Number(sequence), generation: split.generation };
  }
  return null;
}

// ---- digest runs ------------------------------------------------------------------------------

/** The installation's daily Schedule. */
export function digestScheduleId(installationId: string): string {
  return `digest-schedule:${part('installationId', installationId)}`;
}

export function parseDigestScheduleId(id: string): { installationId: string } | null {
  const m = /^digest-schedule:([^:#\s]+)$/.exec(id);
  return m ? { installationId: m[1] } : null;
}

/** The workflow id the Schedule's action names; each run gets `-<nominal time>` appended by the server. */
export function digestScheduledWorkflowId(tenantId: string, installationId: string): string {
  return `digest:${part('tenantId', tenantId)}:${part('installationId', installationId)}:scheduled`;
}

/** The id the server gives the run of one firing (nominal time to the second, in UTC). */
export function digestScheduledRunId(tenantId: string, installationId: string, nominal: Date): string {
  if (!(nominal instanceof Date) || Number.isNaN(nominal.getTime())) throw new RangeError('nominal must be a valid Date');
  return `${digestScheduledWorkflowId(tenantId, installationId)}-${nominal.toISOString().replace(/\.\d{3}Z$/, 'Z')}`;
}

/** A manual ("Run now") run: its workflow id is also its correlation id. */
export function manualDigestRunId(tenantId: string, executionId: string): string {
  return `digest:${part('tenantId', tenantId)}:manual:${part('executionId', executionId)}`;
}

/** A retry of a failed execution (it keeps the original's correlation id). */
export function retryDigestRunId(tenantId: string, executionId: string): string {
  return `digest:${part('tenantId', tenantId)}:retry:${part('executionId', executionId)}`;
}

/** The correlation id of a scheduled run: one per tenant, local date and channel slot. */
export function scheduledDigestCorrelationId(tenantId: string, localDate: string, channelSlot: string): string {
  if (!LOCAL_DATE.test(localDate)) throw new RangeError('localDate must be YYYY-MM-DD');
  return `digest:${part('tenantId', tenantId)}:${localDate}:${part('channelSlot', channelSlot)}`;
}

export function parseScheduledDigestCorrelationId(id: string): { tenantId: string; localDate: string; channelSlot: string } | null {
  const m = /^digest:([^:#\s]+):(\d{4}-\d{2}-\d{2}):([^:#\s]+)$/.exec(id);
  return m ? { tenantId: m[1], localDate: m[2], channelSlot: m[3] } : null;
}

// ---- signal retention -------------------------------------------------------------------------

/** One retention Schedule per task queue (the task queue is the rest of the id). */
export function signalRetentionScheduleId(taskQueue: string): string {
  if (!taskQueue) throw new RangeError('taskQueue is required');
  return `fleetprompt:signal-retention:${taskQueue}`;
}

export function parseSignalRetentionScheduleId(id: string): { taskQueue: string } | null {
  const m = /^fleetprompt:signal-retention:(.+)$/s.exec(id);
  return m ? { taskQueue: m[1] } : null;
}

export function signalRetentionWorkflowId(taskQueue: string): string {
  if (!taskQueue) throw new RangeError('taskQueue is required');
  return `signal-retention:${taskQueue}`;
}

// ---- any workflow id --------------------------------------------------------------------------

export type ParsedWorkflowId =
  | ({ kind: 'directive' } & ParsedDirectiveKey)
  | { kind: 'digest.scheduled'; tenantId: string; installationId: string; nominalTime?: string }
  | { kind: 'digest.manual'; tenantId: string; executionId: string }
  | { kind: 'digest.retry'; tenantId: string; executionId: string }
  | { kind: 'signal.retention'; taskQueue: string; nominalTime?: string };

/** What a FleetPrompt workflow id says by itself; null for an id none of the builders makes. */
export function parseWorkflowId(workflowId: string): ParsedWorkflowId | null {
  if (typeof workflowId !== 'string') return null;
  if (workflowId.startsWith('dir:')) {
    const directive = parseDirectiveKey(workflowId);
    return directive ? { kind: 'directive', ...directive } : null;
  }
  if (workflowId.startsWith('signal-retention:')) {
    const suffix = SCHEDULED_SUFFIX.exec(workflowId);
    const base = suffix ? suffix[1] : workflowId;
    const taskQueue = base.slice('signal-retention:'.length);
    if (!taskQueue) return null;
    return suffix ? { kind: 'signal.retention', taskQueue, nominalTime: suffix[2] } : { kind: 'signal.retention', taskQueue };
  }
  const suffix = SCHEDULED_SUFFIX.exec(workflowId);
  const scheduled = /^digest:([^:#\s]+):([^:#\s]+):scheduled$/.exec(suffix ? suffix[1] : workflowId);
  if (scheduled) {
    const base = { kind: 'digest.scheduled' as const, tenantId: scheduled[1], installationId: scheduled[2] };
    return suffix ? { ...base, nominalTime: suffix[2] } : base;
  }
  const run = /^digest:([^:#\s]+):(manual|retry):([^:#\s]+)$/.exec(workflowId);
  if (run) return { kind: run[2] === 'manual' ? 'digest.manual' : 'digest.retry', tenantId: run[1], executionId: run[3] };
  return null;
}

/** The nominal time (ISO, to the second) a Schedule gave a run, from its workflow id. */
export function nominalTimeFromWorkflowId(workflowId: string): string | undefined {
  const parsed = parseWorkflowId(workflowId);
  return parsed && (parsed.kind === 'digest.scheduled' || parsed.kind === 'signal.retention') ? parsed.nominalTime : undefined;
}
