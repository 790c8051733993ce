// The steps of a package directive. Each is idempotent: status changes are guarded by the
// current status, and every signal carries a dedupe key derived from the directive id.
import { activityInfo, ApplicationFailure } from '@temporalio/activity';
import type { Prisma } from '../../lib/db/generated/client';
import { withTenant, type Tx } from '../../lib/db/with-tenant';
import { DIRECTIVE_LIFECYCLE, isDirectiveType, PACKAGE_LIFECYCLE, type DirectiveType } from '../../lib/directives/directive-types';
import type { FailureKind } from '../../lib/errors/failure-kind';
import { storedDigestConfig } from '../../lib/packages/digest-config';
import { ZPackageManifest } from '../../lib/packages/manifest';
import { emitSignals } from '../../lib/signals/emit-signal';
import type { ActivityDeps } from '../deps';

export interface DirectiveRef {
  tenantId: string;
  directiveId: string;
}

const SOURCE = 'fleetprompt.directive-runner';

async function loadDirective(tx: Tx, directiveId: string) {
  const directive = await tx.directive.findUnique({ where: { id: directiveId } });
  if (!directive) throw ApplicationFailure.nonRetryable(`Directive ${directiveId} not found`, 'validation');
  if (!isDirectiveType(directive.type)) throw ApplicationFailure.nonRetryable(`Unknown directive type ${directive.type}`, 'validation');
  const params = directive.params as { installation_id: string; package_slug: string; version: string };
  return { ...directive, type: directive.type as DirectiveType, params };
}

async function emitLifecycle(tx: Tx, d: Awaited<ReturnType<typeof loadDirective>>, phase: 'started' | 'completed' | 'failed', extra: Record<string, unknown> = {}) {
  const payload = { directive_id: d.id, directive_type: d.type, installation_id: d.params.installation_id, package_slug: d.params.package_slug, version: d.params.version, ...extra };
  const common = { tenantId: d.tenantId, correlationId: d.correlationId, causationId: d.id, source: SOURCE, subject: `installation:${d.params.installation_id}`, payload };
  await emitSignals(tx, [
    { ...common, type: PACKAGE_LIFECYCLE[d.type][phase], dedupeKey: `${d.id}:package.${phase}` },
    { ...common, type: DIRECTIVE_LIFECYCLE[phase], dedupeKey: `${d.id}:directive.${phase}` },
  ]);
}

export function createDirectiveActivities(deps: ActivityDeps) {
  const { db } = deps;

  return {
    async startDirective(ref: DirectiveRef): Promise<{ type: DirectiveType; installationId: string }> {
      const runId = activityInfo().workflowExecution?.runId ?? null;
      return withTenant(db, ref.tenantId, async (tx) => {
        const d = await loadDirective(tx, ref.directiveId);
        if (d.status === 'requested') {
          await tx.directive.update({ where: { id: d.id }, data: { status: 'running', startedAt: new Date(), runId } });
          await tx.installation.update({
            where: { id: d.params.installation_id },
            data: { status: d.type === 'package.uninstall' ? 'uninstalling' : 'installing' },
          });
        }
        await emitLifecycle(tx, d, 'started');
        return { type: d.type, installationId: d.params.installation_id };
      });
    },

    async provisionInstallation(ref: DirectiveRef): Promise<void> {
      await withTenant(db, ref.tenantId, async (tx) => {
        const d = await loadDirective(tx, ref.directiveId);
        const pkg = await tx.package.findUnique({ where: { slug_version: { slug: d.params.package_slug, version: d.params.version } } });
        if (!pkg) throw ApplicationFailure.nonRetryable(`Package ${d.params.package_slug}@${d.params.version} is not in the registry`, 'validation');
        const manifest = ZPackageManifest.parse(pkg.manifest);
        const installationId = d.params.installation_id;
        for (const t of manifest.provides.workflow_templates) {
          const definition = { package: manifest.slug, version: manifest.version, description: t.description } as Prisma.InputJsonObject;
          await tx.workflowTemplate.upsert({
            where: { installationId_key: { installationId, key: t.key } },
            create: { tenantId: ref.tenantId, installationId, key: t.key, name: t.name, definition },
            update: { name: t.name, definition },
          });
        }
        for (const t of manifest.provides.agent_templates) {
          const definition = { package: manifest.slug, version: manifest.version, description: t.description } as Prisma.InputJsonObject;
          await tx.agentTemplate.upsert({
            where: { installationId_key: { installationId, key: t.key } },
            create: { tenantId: ref.tenantId, installationId, key: t.key, name: t.name, definition },
            update: { name: t.name, definition },
          });
        }
        // Installation defaults: fill what the initial config left out; never overwrite.
        const installation = await tx.installation.findUniqueOrThrow({ where: { id: installationId } });
        const config = storedDigestConfig(installation.config);
        await tx.installation.update({ where: { id: installationId }, data: { config: config as unknown as Prisma.InputJsonObject, packageVersion: d.params.version } });
      });
    },

    async removeInstallationResources(ref: DirectiveRef): Promise<void> {
      const d = await withTenant(db, ref.tenantId, (tx) => loadDirective(tx, ref.directiveId));
      await deps.schedules?.deleteForInstallation({ tenantId: ref.tenantId, installationId: d.params.installation_id });
      await withTenant(db, ref.tenantId, async (tx) => {
        await tx.installation.update({ where: { id: d.params.installation_id }, data: { scheduleId: null } });
      });
    },

    async completeDirective(ref: DirectiveRef): Promise<void> {
      await withTenant(db, ref.tenantId, async (tx) => {
        const d = await loadDirective(tx, ref.directiveId);
        if (d.status !== 'completed') {
          const now = new Date();
          await tx.directive.update({ where: { id: d.id }, data: { status: 'completed', completedAt: now, error: null, errorKind: null } });
          await tx.installation.update({
            where: { id: d.params.installation_id },
            data:
              d.type === 'package.uninstall'
                ? { status: 'uninstalled' }
                : { status: 'installed', installedAt: now, lastError: null, lastErrorKind: null },
          });
        }
        await emitLifecycle(tx, d, 'completed');
      });
    },

    async failDirective(ref: DirectiveRef & { kind: FailureKind; message: string }): Promise<void> {
      await withTenant(db, ref.tenantId, async (tx) => {
        const d = await loadDirective(tx, ref.directiveId);
        if (d.status !== 'failed') {
          await tx.directive.update({ where: { id: d.id }, data: { status: 'failed', completedAt: new Date(), error: ref.message, errorKind: ref.kind } });
          await tx.installation.update({ where: { id: d.params.installation_id }, data: { status: 'failed', lastError: ref.message, lastErrorKind: ref.kind } });
        }
        await emitLifecycle(tx, d, 'failed', { error_kind: ref.kind, error: ref.message });
      });
    },
  };
}
