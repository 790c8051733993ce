// The catalogue of package definitions the core works with: look-ups by slug and version, config
// validation and defaults, manifests, and upgrade paths. Built from packages/registry.ts at the
// composition root (api/app.ts, worker.ts) and injected, so lib/ never imports a package.
import type { Prisma } from '../db/generated/client';
import { AppError } from '../errors/app-error';
import { formatZodIssues } from '../errors/zod-issues';
import { configDefaults } from './config-schema';
import type { ConfigMigration, ConfigRecord, PackageDefinition, PackageVersionDefinition } from './contract';
import { buildManifest, type TPackageManifest } from './manifest';
import { compareVersions, sortVersionsDescending } from './semver';

export interface UpgradePlan {
  from: PackageVersionDefinition;
  to: PackageVersionDefinition;
  /** The migrations applied in order (one per step of the path). */
  steps: { from: string; to: string; migrate: ConfigMigration }[];
  downgrade: boolean;
}

export interface PackageCatalog {
  readonly definitions: readonly PackageDefinition[];
  find(slug: string): PackageDefinition | undefined;
  /** Throws PACKAGE_NOT_FOUND. */
  get(slug: string): PackageDefinition;
  /** Throws PACKAGE_NOT_FOUND. */
  version(slug: string, version: string): PackageVersionDefinition;
  latestVersion(slug: string): PackageVersionDefinition;
  manifests(): TPackageManifest[];
  /** Validates a (partial) config a client sent for this version; throws VALIDATION_FAILED. */
  parseConfigPatch(slug: string, version: string, patch: unknown, path?: string[]): ConfigRecord;
  /** Validates a whole config (defaults filled in); throws VALIDATION_FAILED. */
  parseConfig(slug: string, version: string, config: unknown): ConfigRecord;
  /** The stored config with this version's defaults filled in; throws if the stored config is invalid. */
  storedConfig(slug: string, version: string, raw: unknown): ConfigRecord;
  /** How to go from one version to another, or why not (INVALID_STATE / PACKAGE_NOT_FOUND). */
  upgradePlan(slug: string, from: string, to: string): UpgradePlan;
}

function asRecord(raw: unknown): ConfigRecord {
  return raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as ConfigRecord) : {};
}

export function createPackageCatalog(definitions: readonly PackageDefinition[]): PackageCatalog {
  const bySlug = new Map<string, PackageDefinition>();
  for (const d of definitions) {
    if (bySlug.has(d.identity.slug)) throw new Error(`Package ${d.identity.slug} is listed twice in the registry`);
    bySlug.set(d.identity.slug, d);
  }

  const get = (slug: string) => {
    const d = bySlug.get(slug);
    if (!d) throw new AppError('PACKAGE_NOT_FOUND', `No package "${slug}" in the registry.`);
    return d;
  };
  const version = (slug: string, v: string) => {
    const found = get(slug).versions.find((x) => x.version === v);
    if (!found) throw new AppError('PACKAGE_NOT_FOUND', `Package ${slug} version ${v} is not in the registry.`);
    return found;
  };
  const validate = (schema: PackageVersionDefinition['configSchema'], value: unknown, what: string, path: string[]) => {
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw new AppError('VALIDATION_FAILED', what, { details: formatZodIssues(parsed.error, path) });
    return parsed.data as ConfigRecord;
  };

  return {
    definitions,
    find: (slug) => bySlug.get(slug),
    get,
    version,
    latestVersion(slug) {
      const versions = get(slug).versions;
      const newest = sortVersionsDescending(versions.map((v) => v.version))[0];
      return versions.find((v) => v.version === newest)!;
    },
    manifests: () => definitions.flatMap((d) => d.versions.map((v) => buildManifest(d, v))),
    parseConfigPatch(slug, v, patch, path = ['config']) {
      if (patch === undefined || patch === null) return {};
      const parsed = validate(version(slug, v).configSchema.partial().strict(), patch, `The initial config for ${slug} is invalid.`, path);
      // Only what was sent: defaults are filled at provisioning (and are not part of the install key).
      const sent = asRecord(patch);
      return Object.fromEntries(Object.entries(parsed).filter(([key]) => key in sent));
    },
    parseConfig: (slug, v, config) => validate(version(slug, v).configSchema, config, 'The config is invalid.', []),
    storedConfig: (slug, v, raw) => version(slug, v).configSchema.parse(asRecord(raw)),
    upgradePlan(slug, fromVersion, toVersion) {
      const from = version(slug, fromVersion);
      const to = version(slug, toVersion);
      if (fromVersion === toVersion) throw new AppError('INVALID_STATE', `The installation is already at version ${toVersion}.`);
      const downgrade = compareVersions(toVersion, fromVersion) < 0;
      // A direct declared migration wins; otherwise chain upgrades through the versions between.
      const direct = to.migrations?.[fromVersion];
      if (direct) return { from, to, downgrade, steps: [{ from: fromVersion, to: toVersion, migrate: direct }] };
      if (downgrade) {
        throw new AppError(
          'INVALID_STATE',
          `${slug} does not support going back from ${fromVersion} to ${toVersion}: the package declares no downgrade to that version.`,
          {
            details: { from_version: fromVersion, to_version: toVersion, reason: 'downgrade_not_declared' },
          },
        );
      }
      const path = get(slug)
        .versions.filter((x) => compareVersions(x.version, fromVersion) > 0 && compareVersions(x.version, toVersion) <= 0)
        .sort((a, b) => compareVersions(a.version, b.version));
      const steps: UpgradePlan['steps'] = [];
      let at = fromVersion;
      for (const step of path) {
        const migrate = step.migrations?.[at];
        if (!migrate) continue;
        steps.push({ from: at, to: step.version, migrate });
        at = step.version;
      }
      if (at !== toVersion) {
        throw new AppError('INVALID_STATE', `${slug} declares no upgrade path from ${fromVersion} to ${toVersion}.`, {
          details: { from_version: fromVersion, to_version: toVersion, reason: 'no_migration_declared' },
        });
      }
      return { from, to, downgrade, steps };
    },
  };
}

/** Applies an upgrade plan to a stored config: each declared migration, then the target's schema. */
export function migrateConfig(plan: UpgradePlan, stored: ConfigRecord): ConfigRecord {
  let config = stored;
  for (const step of plan.steps) config = step.migrate(config);
  return plan.to.configSchema.parse(config);
}

/** The version's declared defaults (what an install with no config gets). */
export function versionDefaults(v: PackageVersionDefinition): ConfigRecord {
  return configDefaults(v.configSchema);
}

export function toJsonConfig(config: ConfigRecord): Prisma.InputJsonObject {
  return config as Prisma.InputJsonObject;
}
