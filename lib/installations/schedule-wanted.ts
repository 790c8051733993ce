// The rule that ties an installation's desired state to its Temporal Schedule: a schedule exists
// iff the installation is installed, bound to a usable credential (connected: not disconnected,
// not definitively refused by Mattermost), and its package's schedule hook wants one for its
// config (PackageSchedule.wanted: e.g. the digest's daily time, when enabled). A package without
// a hook never has one. Pure, shared by the change recorder and the reconciler.
import type { Installation, IntegrationCredential } from '../db/generated/client';
import type { PackageDefinition, PackageSchedule, WantedSchedule } from '../packages/contract';

/** How the core finds an installation's package (a PackageCatalog is one). */
export interface PackageLookup {
  find(slug: string): PackageDefinition | undefined;
}

/** The schedule hook of the installation's package, if it has one. */
export function scheduleHookOf(packages: PackageLookup, installation: Pick<Installation, 'packageSlug'>): PackageSchedule | undefined {
  return packages.find(installation.packageSlug)?.schedule;
}

export function wantedSchedule(
  hook: PackageSchedule | undefined,
  installation: Pick<Installation, 'status' | 'config' | 'credentialId'>,
  credential: Pick<IntegrationCredential, 'id' | 'status'> | null,
): WantedSchedule | null {
  if (!hook) return null;
  if (installation.status !== 'installed') return null;
  if (!installation.credentialId || !credential || credential.id !== installation.credentialId || credential.status !== 'connected') return null;
  const config = installation.config && typeof installation.config === 'object' && !Array.isArray(installation.config) ? installation.config : {};
  return hook.wanted(config);
}

export function sameSchedule(a: WantedSchedule | null, b: WantedSchedule | null): boolean {
  return a === b || (a !== null && b !== null && a.key === b.key);
}
