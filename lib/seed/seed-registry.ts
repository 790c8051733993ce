// Loads every bundled package manifest (validated by zod) into the public registry.
import type { Db } from '../db/client';
import type { Prisma } from '../db/generated/client';
import { loadBundledManifests } from '../packages/manifest';

export async function seedRegistry(db: Db): Promise<number> {
  const manifests = loadBundledManifests();
  for (const m of manifests) {
    const data = { name: m.name, description: m.description, category: m.category, publisher: m.publisher, manifest: m as unknown as Prisma.InputJsonObject };
    await db.package.upsert({ where: { slug_version: { slug: m.slug, version: m.version } }, create: { slug: m.slug, version: m.version, ...data }, update: data });
  }
  return manifests.length;
}
