// Publishes every version of every package the platform ships (manifests built from the
// packages' definitions and validated) into the public registry: one row per slug and version.
import type { Db } from '../db/client';
import type { Prisma } from '../db/generated/client';
import type { PackageCatalog } from '../packages/catalog';

export async function seedRegistry(db: Db, packages: PackageCatalog): Promise<number> {
  const manifests = packages.manifests();
  for (const m of manifests) {
    const data = { name: m.name, description: m.description, category: m.category, publisher: m.publisher, manifest: m as unknown as Prisma.InputJsonObject };
    await db.package.upsert({
      where: { slug_version: { slug: m.slug, version: m.version } },
      create: { slug: m.slug, version: m.version, ...data },
      update: data,
    });
  }
  return manifests.length;
}
