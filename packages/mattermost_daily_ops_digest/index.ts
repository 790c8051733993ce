// The digest package module: its definition plus the runtime hooks. (Its activities, workflow
// and route handlers still live in the core folders; they move here mechanically.)
import { installationDigestRouter } from '../../api/routes/installation-digest';
import type { PackageModule } from '../module';
import { digestDefinition } from './definition';

export const digestPackage: PackageModule = {
  definition: digestDefinition,
  routes: installationDigestRouter,
  // The schedule follows the installation's desired state (lib/installations): the reconciler
  // applies it; these hooks only apply it now instead of on the reconciler's next round.
  async provision(deps, ctx) {
    if (ctx.phase === 'upgrade') await deps.schedules?.reconcile({ tenantId: ctx.tenantId, installationId: ctx.installationId });
  },
  async deprovision(deps, ctx) {
    await deps.schedules?.reconcile(ctx);
  },
};
