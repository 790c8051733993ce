// Every change to an installation's desired state (lifecycle, config, enabled, credential
// binding and its usability) goes through here, in the caller's transaction: the change is made,
// the desired version is bumped, and an audited change record names the actor.
//
// Why an audited change record and not a directive per change: directives are for long,
// multi-step operations with their own workflow (install, uninstall). A config save, a
// Disconnect or Mattermost refusing a token is one row change; what must be reliable is making
// Temporal agree with the newest state, and that is the reconciler's job (latest wins, so ten
// saves while Temporal is down apply as one). The record keeps who changed what, at which version.
import type { Installation, Prisma, Role } from '../db/generated/client';
import type { Tx } from '../db/with-tenant';
import { sameSchedule, scheduleHookOf, wantedSchedule, type PackageLookup } from './schedule-wanted';

export type ChangeActor = { kind: 'user'; userId: string | null; role: Role | null } | { kind: 'system'; source: string };

export interface InstallationChangeInput {
  tenantId: string;
  installationId: string;
  actor: ChangeActor;
  /** e.g. config.updated, credential.connected, credential.disconnected, lifecycle.installed */
  change: string;
  details?: Record<string, Prisma.InputJsonValue | null>;
  /** The package definitions: the installation's schedule hook says which schedule its state wants. */
  packages: PackageLookup;
}

async function snapshot(tx: Tx, installationId: string) {
  const installation = await tx.installation.findUniqueOrThrow({ where: { id: installationId } });
  const credential = installation.credentialId ? await tx.integrationCredential.findUnique({ where: { id: installation.credentialId } }) : null;
  return { installation, credential };
}

/** Runs `mutate`, then bumps the desired version and records the change. Returns the new version. */
export async function changeInstallation(tx: Tx, input: InstallationChangeInput, mutate: () => Promise<void> = () => Promise.resolve()): Promise<number> {
  return (await changeInstallationRow(tx, input, { mutate })).desiredVersion;
}

/**
 * changeInstallation returning the installation as it now is. `created`: the row the caller
 * inserted in this very transaction, with no change of its own to make (a first install): no
 * other transaction can see it yet, so the row lock and the before/after reads are skipped
 * (three of an install's ~15 round trips; bench/install-storm.ts).
 */
export async function changeInstallationRow(
  tx: Tx,
  input: InstallationChangeInput,
  how: { mutate?: () => Promise<void> } | { created: Installation },
): Promise<Installation> {
  let before: Awaited<ReturnType<typeof snapshot>>;
  let after: Awaited<ReturnType<typeof snapshot>>;
  if ('created' in how) {
    const credential = how.created.credentialId ? await tx.integrationCredential.findUnique({ where: { id: how.created.credentialId } }) : null;
    before = after = { installation: how.created, credential };
  } else {
    // Row lock: concurrent changes to one installation get consecutive versions.
    await tx.$queryRaw`select id from installations where id = ${input.installationId}::uuid for update`;
    before = await snapshot(tx, input.installationId);
    await how.mutate?.();
    after = await snapshot(tx, input.installationId);
  }
  const hook = scheduleHookOf(input.packages, after.installation);
  const wantedBefore = wantedSchedule(hook, before.installation, before.credential);
  const wantedAfter = wantedSchedule(hook, after.installation, after.credential);
  // The moment the schedule (its key: for the digest, its time and zone) became wanted: e.g. the
  // digest's catch-up firing never posts for a date whose HH:MM had passed by then. A schedule
  // that is not wanted (not connected, turned off, uninstalled) is "not in effect before now", never
  // null: null means "always" (rows from before this rule), which let a stale catch-up try to post.
  const effectiveSince =
    wantedBefore && wantedAfter && sameSchedule(wantedBefore, wantedAfter) ? (after.installation.scheduleEffectiveSince ?? null) : new Date();
  const version = after.installation.desiredVersion + 1;
  const changed = await tx.installation.update({
    where: { id: input.installationId },
    data: { desiredVersion: version, scheduleEffectiveSince: effectiveSince },
  });
  const actor = input.actor;
  await tx.installationChange.create({
    data: {
      tenantId: input.tenantId,
      installationId: input.installationId,
      version,
      actorKind: actor.kind,
      actorUserId: actor.kind === 'user' ? actor.userId : null,
      actorRole: actor.kind === 'user' ? actor.role : null,
      change: input.change,
      details: {
        ...(input.details ?? {}),
        ...(actor.kind === 'system' ? { source: actor.source } : {}),
        schedule_wanted: wantedAfter ? wantedAfter.key : null,
      },
    },
  });
  return changed;
}
