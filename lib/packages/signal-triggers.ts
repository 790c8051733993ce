// Event-driven packages: after signals commit, each installed package whose definition declares a
// signalTrigger for one of their types (and whose filters want one of them) gets a notice through
// signal-with-start of its per-installation workflow. The notice carries counts only — never a
// payload — and is best effort: the package's workflow reads the signals themselves from the
// database, so a lost notice delays an alert until the next one, it loses nothing.
import type { Db } from '../db/client';
import { withTenant } from '../db/with-tenant';
import type { Logger } from '../log/logger';
import type { PackageCatalog } from './catalog';
import type { ConfigRecord, SignalTrigger } from './contract';

export interface PackageWorkflowNotice {
  workflowType: string;
  workflowId: string;
  signalName: string;
  /** Arguments of a start when no run is open (the package's workflow input). */
  input: { tenantId: string; installationId: string };
  notice: FailureNoticeArgs;
}

export interface FailureNoticeArgs {
  /** How many of the committed signals this installation wants. */
  count: number;
  /** The newest of them (ISO), for the workflow's own bookkeeping. */
  latestAt: string;
}

/** How a notice reaches Temporal (client.ts implements it; tests may record instead). */
export interface PackageWorkflowSignaller {
  signalWithStart(notice: PackageWorkflowNotice): Promise<void>;
}

export interface CommittedSignal {
  type: string;
  source: string;
  occurredAt?: Date;
}

export interface NotifyDeps {
  db: Db;
  packages: PackageCatalog;
  signaller?: PackageWorkflowSignaller;
  logger: Logger;
}

function triggersFor(packages: PackageCatalog, types: Set<string>): { slug: string; trigger: SignalTrigger }[] {
  const out: { slug: string; trigger: SignalTrigger }[] = [];
  for (const d of packages.definitions) {
    const trigger = d.signalTrigger;
    if (trigger && trigger.types.some((t) => types.has(t))) out.push({ slug: d.identity.slug, trigger });
  }
  return out;
}

/** Notifies the installations that want any of these committed signals. Never throws. */
export async function notifySignalTriggers(deps: NotifyDeps, tenantId: string, signals: readonly CommittedSignal[]): Promise<number> {
  if (!deps.signaller || signals.length === 0) return 0;
  const types = new Set(signals.map((s) => s.type));
  const triggers = triggersFor(deps.packages, types);
  if (triggers.length === 0) return 0;
  let notified = 0;
  try {
    const installations = await withTenant(deps.db, tenantId, (tx) =>
      tx.installation.findMany({
        where: { status: 'installed', packageSlug: { in: triggers.map((t) => t.slug) } },
        select: { id: true, packageSlug: true, packageVersion: true, config: true },
      }),
    );
    for (const inst of installations) {
      const { trigger } = triggers.find((t) => t.slug === inst.packageSlug)!;
      const config = (inst.config ?? {}) as ConfigRecord;
      const wanted = signals.filter((s) => trigger.types.includes(s.type as never) && (trigger.wants ? trigger.wants(config, s) : true));
      if (wanted.length === 0) continue;
      const latest = wanted.reduce((max, s) => Math.max(max, s.occurredAt?.getTime() ?? Date.now()), 0);
      const input = { tenantId, installationId: inst.id };
      try {
        await deps.signaller.signalWithStart({
          workflowType: trigger.workflowType,
          workflowId: trigger.workflowId(input),
          signalName: trigger.signalName,
          input,
          notice: { count: wanted.length, latestAt: new Date(latest).toISOString() },
        });
        notified++;
      } catch (err) {
        deps.logger.warn(
          { tenantId, installationId: inst.id, err: err instanceof Error ? err.message : String(err) },
          'could not notify a package workflow; it catches up on the next notice',
        );
      }
    }
  } catch (err) {
    deps.logger.warn({ tenantId, err: err instanceof Error ? err.message : String(err) }, 'could not look up the installations to notify');
  }
  return notified;
}
