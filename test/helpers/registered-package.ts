// The package a core test installs when any package would do: the first one packages/registry.ts
// lists, described through its definition only (slug, versions, templates, config fields), so
// the test asserts the same with whichever packages ship — also with one of them removed
// (npm run check:core-without).
import type { Prisma } from '../../lib/db/generated/client';
import { versionDefaults } from '../../lib/packages/catalog';
import type { ConfigRecord, PackageIdentity, PackageVersionDefinition } from '../../lib/packages/contract';
import { PACKAGE_MODULES } from '../../packages/registry';

export interface RegisteredPackage {
  slug: string;
  identity: PackageIdentity;
  /** Oldest first. */
  versions: PackageVersionDefinition[];
  first: PackageVersionDefinition;
  latest: PackageVersionDefinition;
  /** A version's complete default config (every setting its schema defaults), as stored. */
  defaults(version: string): ConfigRecord & Prisma.InputJsonObject;
  /** The names of the version's boolean settings (a valid config differs from the defaults by flipping one). */
  booleanFields(version: string): string[];
}

export function aRegisteredPackage(): RegisteredPackage {
  const module = PACKAGE_MODULES[0];
  if (!module) throw new Error('packages/registry.ts lists no package');
  const { identity, versions } = module.definition;
  const version = (v: string) => {
    const found = versions.find((d) => d.version === v);
    if (!found) throw new Error(`${identity.slug} has no version ${v}`);
    return found;
  };
  return {
    slug: identity.slug,
    identity,
    versions,
    first: versions[0],
    latest: versions[versions.length - 1],
    defaults: (v) => versionDefaults(version(v)) as ConfigRecord & Prisma.InputJsonObject,
    booleanFields: (v) =>
      Object.entries(versionDefaults(version(v)))
        .filter(([, value]) => typeof value === 'boolean')
        .map(([key]) => key),
  };
}
