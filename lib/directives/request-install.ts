// package.install as an idempotent directive: one transaction records the installation, the
// directive and the `requested` signals; then the workflow whose id is the idempotency key is
// started. A double click (or 50 identical requests at once) yields one of each.
import type { Logger } from '../log/logger';
import type { Db } from '../db/client';
import type { Directive, Installation, Prisma, Role } from '../db/generated/client';
import { withTenant, type Tx } from '../db/with-tenant';
import { AppError } from '../errors/app-error';
import type { PackageCatalog } from '../packages/catalog';
import { configChecksum } from '../packages/config-checksum';
import { emitSignals } from '../signals/emit-signal';
import { installDirectiveKey, withGeneration } from '../temporal/contract/ids';
import { DIRECTIVE_LIFECYCLE, PACKAGE_LIFECYCLE, type DirectiveType } from './directive-types';
import type { DirectiveStarter } from './directive-starter';
import { changeInstallationRow } from '../installations/change-installation';

export interface DirectiveDeps {
  db: Db;
  starter: DirectiveStarter;
  logger: Logger;
  /** The packages' definitions (config schemas, versions, migrations). */
  packages: PackageCatalog;
}

export interface TenantRef {
  id: string;
  slug: string;
}

export interface Actor {
  userId: string | null;
  role: Role;
}

export interface DirectiveResult {
  directive: Directive;
  installation: Installation;
  created: boolean;
}

const ACTIVE_STATUSES = new Set(['requested', 'installing', 'installed', 'uninstalling']);
const SOURCE = 'fleetprompt.api';

/** Serialises directive requests for one tenant's package so concurrent duplicates see each other. */
export async function lockPackageForTenant(tx: Tx, tenantId: string, packageSlug: string): Promise<void> {
  await tx.$executeRaw`select pg_advisory_xact_lock(hashtextextended(${packageLockKey(tenantId, packageSlug)}, 0))`;
}

/** lockPackageForTenant if the lock is free now; false (not waiting) when another transaction holds it. */
async function tryLockPackageForTenant(tx: Tx, tenantId: string, packageSlug: string): Promise<boolean> {
  const rows = await tx.$queryRaw<
    { locked: boolean }[]
  >`select pg_try_advisory_xact_lock(hashtextextended(${packageLockKey(tenantId, packageSlug)}, 0)) as locked`;
  return rows[0]?.locked === true;
}

function packageLockKey(tenantId: string, packageSlug: string): string {
  return `directive:${tenantId}:${packageSlug}`;
}

async function recordRequestedSignals(tx: Tx, d: Directive, installation: Installation): Promise<void> {
  const type = d.type as DirectiveType;
  const params = d.params as { version?: string; from_version?: string; to_version?: string };
  const upgrade = params.from_version ? { from_version: params.from_version, to_version: params.to_version } : {};
  const payload = {
    directive_id: d.id,
    directive_type: type,
    installation_id: installation.id,
    package_slug: installation.packageSlug,
    version: params.version ?? installation.packageVersion,
    ...upgrade,
    actor_role: d.actorRole,
  };
  const common = {
    tenantId: d.tenantId,
    correlationId: d.correlationId,
    causationId: d.id,
    source: SOURCE,
    subject: `installation:${installation.id}`,
    payload,
  };
  await emitSignals(tx, [
    { ...common, type: PACKAGE_LIFECYCLE[type].requested, dedupeKey: `${d.id}:package.requested` },
    { ...common, type: DIRECTIVE_LIFECYCLE.requested, dedupeKey: `${d.id}:directive.requested` },
  ]);
}

/**
 * Records a package directive whose idempotency key is also its correlation id and workflow id,
 * with its `requested` signals, in the caller's transaction.
 */
export async function recordDirective(
  tx: Tx,
  input: { type: DirectiveType; key: string; actor: Actor; installation: Installation; extraParams?: Record<string, Prisma.InputJsonValue> },
): Promise<Directive> {
  const { type, key, actor, installation } = input;
  const directive = await tx.directive.create({
    data: {
      tenantId: installation.tenantId,
      type,
      params: {
        package_slug: installation.packageSlug,
        version: installation.packageVersion,
        installation_id: installation.id,
        ...input.extraParams,
        actor_user_id: actor.userId,
        actor_role: actor.role,
        correlation_id: key,
      },
      idempotencyKey: key,
      actorUserId: actor.userId,
      actorRole: actor.role,
      correlationId: key,
      workflowId: key,
    },
  });
  await recordRequestedSignals(tx, directive, installation);
  return directive;
}

/** Hands the directive to Temporal; if Temporal is unreachable the reconciler starts it later. */
export async function startRecordedDirective(deps: DirectiveDeps, tenant: TenantRef, d: Directive, installation: Installation): Promise<void> {
  if (d.status !== 'requested') return;
  try {
    await deps.starter.start({
      tenantId: d.tenantId,
      directiveId: d.id,
      workflowId: d.workflowId,
      correlationId: d.correlationId,
      installationId: installation.id,
      directiveType: d.type,
      packageSlug: installation.packageSlug,
      tenantSlug: tenant.slug,
    });
  } catch (err) {
    deps.logger.warn(
      { tenantId: d.tenantId, directiveId: d.id, correlationId: d.correlationId, err: err instanceof Error ? err.message : String(err) },
      'Temporal unreachable; directive left requested for the reconciler',
    );
  }
}

/** The initial config, validated by the package version's own schema (any subset of its fields). */
export function parseInstallConfig(packages: PackageCatalog, packageSlug: string, version: string, config: unknown): Prisma.InputJsonObject {
  return packages.parseConfigPatch(packageSlug, version, config) as Prisma.InputJsonObject;
}

// Identical install requests in flight in this process, by tenant and idempotency key: the
// followers wait for the first one's answer instead of queueing one transaction each behind the
// tenant's lock (100 identical requests at once took ~1 s each that way; bench/install-storm.ts).
// Their answer is the one they would have got in turn: the same directive, created: false. The
// lock still makes it exactly once across processes; a follower whose leader failed runs itself.
const installsInFlight = new Map<string, Promise<DirectiveResult>>();

// Registry rows are written by the seed and never change or go away (slug and version are the
// identity of a package's content), so a version seen once need not be looked up again.
const knownPackageVersions = new Set<string>();

export async function requestInstall(
  deps: DirectiveDeps,
  input: { tenant: TenantRef; actor: Actor; packageSlug: string; version: string; config?: unknown },
): Promise<DirectiveResult> {
  const { tenant, packageSlug, version } = input;
  const config = parseInstallConfig(deps.packages, packageSlug, version, input.config);
  const baseKey = installDirectiveKey({ tenantId: tenant.id, packageSlug, version, configChecksum: configChecksum(config) });
  const flightKey = `${tenant.id}\u0000${baseKey}`;
  const leader = installsInFlight.get(flightKey);
  if (leader) {
    const shared = await leader.catch(() => undefined);
    if (shared) return { ...shared, created: false };
  }
  const own = requestInstallOnce(deps, input, config, baseKey);
  installsInFlight.set(flightKey, own);
  try {
    return await own;
  } finally {
    if (installsInFlight.get(flightKey) === own) installsInFlight.delete(flightKey);
  }
}

/**
 * The install directives recorded for this key (newest first) and the tenant's installation of
 * the package; `answer` when the request repeats the install that is live or in progress (same
 * package, version and config): a no-op that returns that directive.
 */
async function readInstallState(
  tx: Tx,
  tenantId: string,
  packageSlug: string,
  baseKey: string,
): Promise<{ previous: Directive[]; installation: Installation | null; answer?: DirectiveResult }> {
  const previous = await tx.directive.findMany({
    where: { type: 'package.install', OR: [{ idempotencyKey: baseKey }, { idempotencyKey: { startsWith: `${baseKey}#` } }] },
    orderBy: { createdAt: 'desc' },
  });
  const latest = previous[0];
  const installation = await tx.installation.findUnique({ where: { tenantId_packageSlug: { tenantId, packageSlug } } });
  if (latest && installation && (ACTIVE_STATUSES.has(installation.status) || latest.status === 'requested' || latest.status === 'running')) {
    const newestInstall = await tx.directive.findFirst({
      where: { type: 'package.install', params: { path: ['installation_id'], equals: installation.id } },
      orderBy: { createdAt: 'desc' },
      select: { id: true },
    });
    if (newestInstall?.id === latest.id) return { previous, installation, answer: { directive: latest, installation, created: false } };
  }
  return { previous, installation };
}

async function requestInstallOnce(
  deps: DirectiveDeps,
  input: { tenant: TenantRef; actor: Actor; packageSlug: string; version: string },
  config: Prisma.InputJsonObject,
  baseKey: string,
): Promise<DirectiveResult> {
  const { tenant, actor, packageSlug, version } = input;
  const result = await withTenant(deps.db, tenant.id, async (tx): Promise<DirectiveResult> => {
    const packageKey = `${packageSlug}@${version}`;
    if (!knownPackageVersions.has(packageKey)) {
      const pkg = await tx.package.findUnique({ where: { slug_version: { slug: packageSlug, version } }, select: { id: true } });
      if (!pkg) throw new AppError('PACKAGE_NOT_FOUND', `Package ${packageSlug} version ${version} is not in the registry.`);
      knownPackageVersions.add(packageKey);
    }

    // Uncontended (the usual case), the lock is taken at once and everything below runs under it.
    // Contended (identical requests from other processes, or arriving after this process's leader
    // answered; bench/install-storm.ts), a repeat of the live install is answered from a read
    // instead of queueing for the lock one transaction after another: returning a directive that
    // is already recorded creates nothing, so it needs no lock. Anything else waits for the lock
    // and reads again. (Each read is its own snapshot; a change committed in between only makes
    // the answer "not a repeat", and that path re-reads under the lock.)
    if (!(await tryLockPackageForTenant(tx, tenant.id, packageSlug))) {
      const repeat = await readInstallState(tx, tenant.id, packageSlug, baseKey);
      if (repeat.answer) return repeat.answer;
      await lockPackageForTenant(tx, tenant.id, packageSlug);
    }
    const state = await readInstallState(tx, tenant.id, packageSlug, baseKey);
    if (state.answer) return state.answer;
    const { previous } = state;
    let installation = state.installation;

    if (installation && ACTIVE_STATUSES.has(installation.status)) {
      throw new AppError(
        'INSTALLATION_EXISTS',
        `${packageSlug} is already installed (status ${installation.status}) with another version or config. Change its config instead, or uninstall it first.`,
        { details: { installation_id: installation.id, status: installation.status } },
      );
    }

    const key = withGeneration(baseKey, previous.length + 1);
    const change = {
      tenantId: tenant.id,
      actor: { kind: 'user' as const, userId: actor.userId, role: actor.role },
      packages: deps.packages,
      change: 'lifecycle.requested',
      details: { version },
    };
    const existing = installation;
    installation = existing
      ? await changeInstallationRow(
          tx,
          { ...change, installationId: existing.id },
          {
            mutate: async () => {
              await tx.installation.update({
                where: { id: existing.id },
                data: { status: 'requested', packageVersion: version, config, lastError: null, lastErrorKind: null },
              });
            },
          },
        )
      : await (async () => {
          const created = await tx.installation.create({ data: { tenantId: tenant.id, packageSlug, packageVersion: version, status: 'requested', config } });
          return changeInstallationRow(tx, { ...change, installationId: created.id }, { created });
        })();

    const directive = await recordDirective(tx, { type: 'package.install', key, actor, installation, extraParams: { config } });
    return { directive, installation, created: true };
  });

  await startRecordedDirective(deps, tenant, result.directive, result.installation);
  return result;
}
