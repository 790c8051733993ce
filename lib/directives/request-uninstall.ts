// package.uninstall follows the install pattern: record, signal, start the workflow whose id
// is the idempotency key. Asking again while an uninstall is in flight returns that one.
import { withTenant } from '../db/with-tenant';
import { AppError } from '../errors/app-error';
import { uninstallDirectiveKey } from '../temporal/contract/ids';
import {
  type Actor,
  type DirectiveDeps,
  type DirectiveResult,
  type TenantRef,
  lockPackageForTenant,
  recordDirective,
  startRecordedDirective,
} from './request-install';

export async function requestUninstall(deps: DirectiveDeps, input: { tenant: TenantRef; actor: Actor; installationId: string }): Promise<DirectiveResult> {
  const { tenant, actor } = input;
  const result = await withTenant(deps.db, tenant.id, async (tx): Promise<DirectiveResult> => {
    const found = await tx.installation.findUnique({ where: { id: input.installationId } });
    if (!found) throw new AppError('INSTALLATION_NOT_FOUND', 'No such installation in this tenant.');
    await lockPackageForTenant(tx, tenant.id, found.packageSlug);
    const installation = await tx.installation.findUniqueOrThrow({ where: { id: found.id } });

    const uninstalls = await tx.directive.findMany({
      where: { type: 'package.uninstall', params: { path: ['installation_id'], equals: installation.id } },
      orderBy: { createdAt: 'desc' },
    });
    const inFlight = uninstalls.find((d) => d.status === 'requested' || d.status === 'running');
    if (inFlight) return { directive: inFlight, installation, created: false };
    if (installation.status !== 'installed' && installation.status !== 'failed') {
      throw new AppError('INVALID_STATE', `The installation is ${installation.status}; only an installed or failed installation can be uninstalled.`, {
        details: { status: installation.status },
      });
    }

    const key = uninstallDirectiveKey({ tenantId: tenant.id, installationId: installation.id, sequence: uninstalls.length + 1 });
    const directive = await recordDirective(tx, { type: 'package.uninstall', key, actor, installation });
    return { directive, installation, created: true };
  });
  await startRecordedDirective(deps, tenant, result.directive, result.installation);
  return result;
}
