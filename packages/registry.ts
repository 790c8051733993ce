// THE list of packages the platform ships: one line per package. Adding a package is a new
// folder under packages/ plus one line here (and, if it has workflows, one in packages/workflows.ts).
import { createPackageCatalog, type PackageCatalog } from '../lib/packages/catalog';
import type { RunHooks } from '../lib/runs/run-hook';
import { digestPackage } from './mattermost_daily_ops_digest';
import { failureAlertsPackage } from './mattermost_failure_alerts';
import type { PackageModule } from './module';

export const PACKAGE_MODULES: readonly PackageModule[] = [digestPackage, failureAlertsPackage];

export function defaultPackageCatalog(modules: readonly PackageModule[] = PACKAGE_MODULES): PackageCatalog {
  return createPackageCatalog(modules.map((m) => m.definition));
}

export function findPackageModule(slug: string, modules: readonly PackageModule[] = PACKAGE_MODULES): PackageModule | undefined {
  return modules.find((m) => m.definition.identity.slug === slug);
}

/** Workflow type → package slug, for the run metrics (PackageModule.runWorkflowTypes). */
export function packageRunWorkflows(modules: readonly PackageModule[] = PACKAGE_MODULES): ReadonlyMap<string, string> {
  return new Map(modules.flatMap((m) => (m.runWorkflowTypes ?? []).map((type) => [type, m.definition.identity.slug] as const)));
}

/** Run now and Retry for the packages that opt in (PackageModule.runs), by package slug. */
export function packageRunHooks(modules: readonly PackageModule[] = PACKAGE_MODULES): RunHooks {
  return {
    forPackage: (slug) => findPackageModule(slug, modules)?.runs,
    all: modules.flatMap((m) => (m.runs ? [m.runs] : [])),
  };
}
