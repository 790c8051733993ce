// The steps of a package directive. Each is idempotent: status changes are guarded by the
// current status, and every signal carries a dedupe key derived from the directive id.
import { activityInfo, ApplicationFailure } from '@temporalio/activity';
import type { Prisma, Role } from '../../lib/db/generated/client';
import { revokeCredential } from '../../lib/credentials/revoke-credential';
import { changeInstallation, type ChangeActor } from '../../lib/installations/change-installation';
import { withTenant, type Tx } from '../../lib/db/with-tenant';
import { DIRECTIVE_LIFECYCLE, isDirectiveType, PACKAGE_LIFECYCLE, type DirectiveType } from '../../lib/directives/directive-types';
import type { FailureKind } from '../../lib/errors/failure-kind';
import { isAppError } from '../../lib/errors/app-error';
import { migrateConfig, toJsonConfig, type PackageCatalog } from '../../lib/packages/catalog';
import type { ConfigRecord } from '../../lib/packages/contract';
import { notifySignalTriggers } from '../../lib/packages/signal-triggers';
import { emitSignals } from '../../lib/signals/emit-signal';
import { defaultPackageCatalog, findPackageModule, PACKAGE_MODULES } from '../../packages/registry';
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
  const params = directive.params as unknown as DirectiveParams;
  return { ...directive, type: directive.type, params };
}

interface DirectiveParams {
  installation_id: string;
  package_slug: string;
  version: string;
  /** package.upgrade only. */
  from_version?: string;
  to_version?: string;
}

/** A registry error (unknown package or version, no upgrade path) is permanent: not retried. */
function permanent<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (isAppError(err)) throw ApplicationFailure.nonRetryable(err.message, 'validation');
    if (err instanceof Error && err.name === 'ZodError')
      throw ApplicationFailure.nonRetryable('The stored config does not fit the package version.', 'validation');
    throw err;
  }
}

async function emitLifecycle(
  tx: Tx,
  d: Awaited<ReturnType<typeof loadDirective>>,
  phase: 'started' | 'completed' | 'failed',
  extra: Record<string, unknown> = {},
) {
  const upgrade = d.params.from_version ? { from_version: d.params.from_version, to_version: d.params.to_version } : {};
  const payload = {
    directive_id: d.id,
    directive_type: d.type,
    installation_id: d.params.installation_id,
    package_slug: d.params.package_slug,
    version: d.params.version,
    ...upgrade,
    ...extra,
  };
  const common = {
    tenantId: d.tenantId,
    correlationId: d.correlationId,
    causationId: d.id,
    source: SOURCE,
    subject: `installation:${d.params.installation_id}`,
    payload,
  };
  await emitSignals(tx, [
    { ...common, type: PACKAGE_LIFECYCLE[d.type][phase], dedupeKey: `${d.id}:package.${phase}` },
    { ...common, type: DIRECTIVE_LIFECYCLE[phase], dedupeKey: `${d.id}:directive.${phase}` },
  ]);
}

function actorOf(d: { actorUserId: string | null; actorRole: Role | null }): ChangeActor {
  return { kind: 'user', userId: d.actorUserId, role: d.actorRole };
}

export function createDirectiveActivities(deps: ActivityDeps) {
  // The lifecycle is part of the desired state: apply it to Temporal now if possible; the
  // worker's reconciler loop applies it otherwise.
  const reconcileSoon = async (tenantId: string, installationId: string) => {
    await deps.schedules
      ?.reconcile({ tenantId, installationId })
      .catch((err: unknown) =>
        deps.logger.warn(
          { tenantId, installationId, err: err instanceof Error ? err.message : String(err) },
          'schedule not reconciled yet; the reconciler loop will',
        ),
      );
  };
  const { db } = deps;
  const modules = deps.packages ?? PACKAGE_MODULES;
  const catalog: PackageCatalog = defaultPackageCatalog(modules);

  /** Templates from the version's definition, and the config with its defaults (install) or migrated (upgrade). */
  async function writeInstallation(tx: Tx, ref: DirectiveRef, d: Awaited<ReturnType<typeof loadDirective>>): Promise<ConfigRecord> {
    const slug = d.params.package_slug;
    const installationId = d.params.installation_id;
    const version = permanent(() => catalog.version(slug, d.params.version));
    const installation = await tx.installation.findUniqueOrThrow({ where: { id: installationId } });
    let config: ConfigRecord;
    if (d.type === 'package.upgrade' && installation.packageVersion !== d.params.version) {
      // The declared migration, applied once: a retry after this commits finds the new version.
      const plan = permanent(() => catalog.upgradePlan(slug, installation.packageVersion, d.params.version));
      config = permanent(() => migrateConfig(plan, catalog.storedConfig(slug, installation.packageVersion, installation.config)));
    } else {
      // Installation defaults: fill what the initial config left out; never overwrite.
      config = permanent(() => catalog.storedConfig(slug, d.params.version, installation.config));
    }
    for (const t of version.provides.workflow_templates) {
      const definition = { package: slug, version: version.version, description: t.description } as Prisma.InputJsonObject;
      await tx.workflowTemplate.upsert({
        where: { installationId_key: { installationId, key: t.key } },
        create: { tenantId: ref.tenantId, installationId, key: t.key, name: t.name, definition },
        update: { name: t.name, definition },
      });
    }
    for (const t of version.provides.agent_templates) {
      const definition = { package: slug, version: version.version, description: t.description } as Prisma.InputJsonObject;
      await tx.agentTemplate.upsert({
        where: { installationId_key: { installationId, key: t.key } },
        create: { tenantId: ref.tenantId, installationId, key: t.key, name: t.name, definition },
        update: { name: t.name, definition },
      });
    }
    // A package that needs Mattermost binds to the tenant's connection when it has none of its own.
    let credentialId = installation.credentialId;
    if (!credentialId && version.requiredIntegrations.some((i) => i.provider === 'mattermost')) {
      const link = await tx.tenantIntegration.findUnique({ where: { tenantId_provider: { tenantId: ref.tenantId, provider: 'mattermost' } } });
      const connection = link ? await tx.integrationCredential.findUnique({ where: { id: link.credentialId }, select: { id: true, status: true } }) : null;
      if (connection && connection.status === 'connected') {
        credentialId = connection.id;
        if ('mattermost_credential_id' in version.configSchema.shape) config = { ...config, mattermost_credential_id: credentialId };
      }
    }
    await tx.installation.update({ where: { id: installationId }, data: { config: toJsonConfig(config), packageVersion: version.version, credentialId } });
    return config;
  }

  return {
    async startDirective(ref: DirectiveRef): Promise<{ type: DirectiveType; installationId: string }> {
      const runId = activityInfo().workflowExecution?.runId ?? null;
      return withTenant(db, ref.tenantId, async (tx) => {
        const d = await loadDirective(tx, ref.directiveId);
        if (d.status === 'requested') {
          await tx.directive.update({ where: { id: d.id }, data: { status: 'running', startedAt: new Date(), runId } });
          // An upgrade leaves the installation running at its current version until it completes.
          if (d.type !== 'package.upgrade') {
            const status = d.type === 'package.uninstall' ? 'uninstalling' : 'installing';
            await changeInstallation(
              tx,
              {
                tenantId: ref.tenantId,
                installationId: d.params.installation_id,
                actor: actorOf(d),
                packages: catalog,
                change: `lifecycle.${status}`,
                details: { directive_id: d.id },
              },
              async () => {
                await tx.installation.update({ where: { id: d.params.installation_id }, data: { status } });
              },
            );
          }
        }
        await emitLifecycle(tx, d, 'started');
        return { type: d.type, installationId: d.params.installation_id };
      });
    },

    async provisionInstallation(ref: DirectiveRef): Promise<void> {
      const { d, config } = await withTenant(db, ref.tenantId, async (tx) => {
        const directive = await loadDirective(tx, ref.directiveId);
        const pkg = await tx.package.findUnique({ where: { slug_version: { slug: directive.params.package_slug, version: directive.params.version } } });
        if (!pkg)
          throw ApplicationFailure.nonRetryable(`Package ${directive.params.package_slug}@${directive.params.version} is not in the registry`, 'validation');
        return { d: directive, config: await writeInstallation(tx, ref, directive) };
      });
      // The package's own provisioning steps (after the core's, outside the transaction).
      await findPackageModule(d.params.package_slug, modules)?.provision?.(deps, {
        tenantId: ref.tenantId,
        installationId: d.params.installation_id,
        version: d.params.version,
        config,
        phase: d.type === 'package.upgrade' ? 'upgrade' : 'install',
      });
      // An upgrade may change what the package's Schedule is (a migrated config, a new spec):
      // applied now, not on the reconciler's next round (an install applies it at completion).
      if (d.type === 'package.upgrade' && catalog.find(d.params.package_slug)?.schedule) {
        await deps.schedules?.reconcile({ tenantId: ref.tenantId, installationId: d.params.installation_id });
      }
    },

    // Uninstall disconnects Mattermost: a credential of this installation alone has its
    // secret destroyed (a tenant-level connection is only unbound) (the row says "disconnected at uninstall by <actor>"). A reinstall
    // starts unconnected and says so, rather than reviving a stored secret.
    async removeInstallationResources(ref: DirectiveRef): Promise<void> {
      const d = await withTenant(db, ref.tenantId, (tx) => loadDirective(tx, ref.directiveId));
      const installationId = d.params.installation_id;
      await withTenant(db, ref.tenantId, async (tx) => {
        const installation = await tx.installation.findUniqueOrThrow({ where: { id: installationId } });
        if (!installation.credentialId) return;
        // The tenant's shared connection is not this installation's to destroy: it only unbinds.
        const shared = await tx.tenantIntegration.findFirst({ where: { credentialId: installation.credentialId } });
        if (shared) {
          await tx.installation.update({ where: { id: installationId }, data: { credentialId: null } });
          return;
        }
        await changeInstallation(
          tx,
          {
            tenantId: ref.tenantId,
            installationId,
            actor: actorOf(d),
            packages: catalog,
            change: 'credential.disconnected',
            details: { reason: 'uninstalled', directive_id: d.id },
          },
          async () => {
            await revokeCredential(tx, {
              tenantId: ref.tenantId,
              credentialId: installation.credentialId!,
              reason: 'uninstalled',
              userId: d.actorUserId,
              correlationId: d.correlationId,
            });
          },
        );
      });
      // The package's own steps; a Schedule goes now (uninstalling wants none).
      await findPackageModule(d.params.package_slug, modules)?.deprovision?.(deps, { tenantId: ref.tenantId, installationId });
      if (catalog.find(d.params.package_slug)?.schedule) await deps.schedules?.reconcile({ tenantId: ref.tenantId, installationId });
    },

    async completeDirective(ref: DirectiveRef): Promise<void> {
      await withTenant(db, ref.tenantId, async (tx) => {
        const d = await loadDirective(tx, ref.directiveId);
        if (d.status !== 'completed') {
          const now = new Date();
          await tx.directive.update({ where: { id: d.id }, data: { status: 'completed', completedAt: now, error: null, errorKind: null } });
          const status = d.type === 'package.uninstall' ? 'uninstalled' : 'installed';
          await changeInstallation(
            tx,
            {
              tenantId: ref.tenantId,
              installationId: d.params.installation_id,
              actor: actorOf(d),
              packages: catalog,
              change: `lifecycle.${status}`,
              details: { directive_id: d.id, type: d.type },
            },
            async () => {
              await tx.installation.update({
                where: { id: d.params.installation_id },
                data:
                  d.type === 'package.uninstall'
                    ? { status: 'uninstalled' }
                    : d.type === 'package.upgrade'
                      ? { status: 'installed' }
                      : { status: 'installed', installedAt: now, lastError: null, lastErrorKind: null },
              });
            },
          );
        }
        await emitLifecycle(tx, d, 'completed');
      });
      const d = await withTenant(db, ref.tenantId, (tx) => loadDirective(tx, ref.directiveId));
      await reconcileSoon(ref.tenantId, d.params.installation_id);
    },

    async failDirective(ref: DirectiveRef & { kind: FailureKind; message: string }): Promise<void> {
      const d = await withTenant(db, ref.tenantId, async (tx) => {
        const d = await loadDirective(tx, ref.directiveId);
        if (d.status !== 'failed') {
          await tx.directive.update({ where: { id: d.id }, data: { status: 'failed', completedAt: new Date(), error: ref.message, errorKind: ref.kind } });
          // A failed upgrade changed nothing (the migration and the version move commit together):
          // the installation keeps running at its old version.
          await changeInstallation(
            tx,
            {
              tenantId: ref.tenantId,
              installationId: d.params.installation_id,
              actor: actorOf(d),
              packages: catalog,
              change: d.type === 'package.upgrade' ? 'lifecycle.upgrade_failed' : 'lifecycle.failed',
              details: { directive_id: d.id, error_kind: ref.kind },
            },
            async () => {
              await tx.installation.update({
                where: { id: d.params.installation_id },
                data:
                  d.type === 'package.upgrade'
                    ? { lastError: `Upgrade to ${d.params.version} failed: ${ref.message}`, lastErrorKind: ref.kind }
                    : { status: 'failed', lastError: ref.message, lastErrorKind: ref.kind },
              });
            },
          );
        }
        await emitLifecycle(tx, d, 'failed', { error_kind: ref.kind, error: ref.message });
        return d;
      });
      // Committed: the failure signals may wake an event-driven package (failure alerts).
      await notifySignalTriggers({ db, packages: catalog, signaller: deps.packageSignaller, logger: deps.logger }, ref.tenantId, [
        { type: PACKAGE_LIFECYCLE[d.type].failed, source: SOURCE },
        { type: DIRECTIVE_LIFECYCLE.failed, source: SOURCE },
      ]);
    },
  };
}
