// package.upgrade follows the install pattern: one transaction (under the tenant's package lock)
// checks the path the package declares, records the directive and its `requested` signals; then
// the workflow whose id is the idempotency key `dir:pkg_upgrade:{tenant}:{slug}:{from}:{to}` is
// started. Asking again while that upgrade is requested or running returns it (50 clicks, one
// directive). The config is migrated by the directive's provisioning step, not here.
import { withTenant } from '../db/with-tenant';
import { AppError } from '../errors/app-error';
import { upgradeDirectiveKey, withGeneration } from '../temporal/contract';
import {
  type Actor,
  type DirectiveDeps,
  type DirectiveResult,
  type TenantRef,
  lockPackageForTenant,
  recordDirective,
  startRecordedDirective,
} from './request-install';

export async function requestUpgrade(
  deps: DirectiveDeps,
  input: { tenant: TenantRef; actor: Actor; installationId: string; toVersion: string },
): Promise<DirectiveResult> {
  const { tenant, actor, toVersion } = input;
  const result = await withTenant(deps.db, tenant.id, async (tx): Promise<DirectiveResult> => {
    const found = await tx.installation.findUnique({ where: { id: input.installationId } });
    if (!found) throw new AppError('INSTALLATION_NOT_FOUND', 'No such installation in this tenant.');
    await lockPackageForTenant(tx, tenant.id, found.packageSlug);
    const installation = await tx.installation.findUniqueOrThrow({ where: { id: found.id } });

    const upgrades = await tx.directive.findMany({
      where: { type: 'package.upgrade', params: { path: ['installation_id'], equals: installation.id } },
      orderBy: { createdAt: 'desc' },
    });
    const inFlight = upgrades.find((d) => d.status === 'requested' || d.status === 'running');
    if (inFlight) {
      const params = inFlight.params as { to_version?: string };
      if (params.to_version === toVersion) return { directive: inFlight, installation, created: false };
      throw new AppError('INVALID_STATE', `An upgrade to ${params.to_version} is already in progress; wait for it to finish.`, {
        details: { directive_id: inFlight.id },
      });
    }
    // The same request again once that upgrade completed (a late duplicate click): the same answer.
    const latest = upgrades[0];
    if (
      latest &&
      latest.status === 'completed' &&
      installation.packageVersion === toVersion &&
      (latest.params as { to_version?: string }).to_version === toVersion
    ) {
      return { directive: latest, installation, created: false };
    }
    if (installation.status !== 'installed') {
      throw new AppError('INVALID_STATE', `The installation is ${installation.status}; only an installed package can be upgraded.`, {
        details: { status: installation.status },
      });
    }
    const fromVersion = installation.packageVersion;
    // Refuses an unknown version (404), the same version, and a downgrade the package does not declare (409).
    deps.packages.upgradePlan(installation.packageSlug, fromVersion, toVersion);
    const pkg = await tx.package.findUnique({ where: { slug_version: { slug: installation.packageSlug, version: toVersion } } });
    if (!pkg) throw new AppError('PACKAGE_NOT_FOUND', `Package ${installation.packageSlug} version ${toVersion} is not in the registry.`);

    const baseKey = upgradeDirectiveKey({ tenantId: tenant.id, packageSlug: installation.packageSlug, fromVersion, toVersion });
    const sameKey = upgrades.filter((d) => d.idempotencyKey === baseKey || d.idempotencyKey.startsWith(`${baseKey}#`)).length;
    const key = withGeneration(baseKey, sameKey + 1);
    const directive = await recordDirective(tx, {
      type: 'package.upgrade',
      key,
      actor,
      installation,
      extraParams: { version: toVersion, from_version: fromVersion, to_version: toVersion },
    });
    return { directive, installation, created: true };
  });
  await startRecordedDirective(deps, tenant, result.directive, result.installation);
  return result;
}
