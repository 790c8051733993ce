// The public package registry.
import { Router } from 'express';
import { AppError } from '../../lib/errors/app-error';
import { compareVersions } from '../../lib/packages/semver';
import { findPackageModule } from '../../packages/registry';
import type { AppDeps } from '../app-deps';
import { presentPackage } from '../presenters';

export function packagesRouter(deps: AppDeps): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    // Newest version first within a slug (semver order: "1.10.0" after "1.9.0").
    const packages = (await deps.db.package.findMany({ orderBy: [{ slug: 'asc' }] })).sort((a, b) =>
      a.slug === b.slug ? compareVersions(b.version, a.version) : a.slug < b.slug ? -1 : 1,
    );
    res.json({ items: packages.map(presentPackage) });
  });
  router.get('/:slug', async (req, res) => {
    const versions = (await deps.db.package.findMany({ where: { slug: req.params.slug } })).sort((a, b) => compareVersions(b.version, a.version));
    if (versions.length === 0) throw new AppError('PACKAGE_NOT_FOUND', `No package "${req.params.slug}" in the registry.`);
    res.json({
      ...presentPackage(versions[0]),
      versions: versions.map((v) => v.version),
      // What each version changed, newest first (the "update available" panel shows these).
      changelog: versions.map((v) => ({ version: v.version, changes: (v.manifest as { changelog?: string[] }).changelog ?? [] })),
    });
  });
  // The package page's example: what the package posts, from a made-up typical day (PackageModule.examplePost).
  router.get('/:slug/example-digest', (req, res) => {
    const example = findPackageModule(req.params.slug, deps.packageModules)?.examplePost?.();
    if (!example) throw new AppError('PACKAGE_NOT_FOUND', `The package "${req.params.slug}" has no example digest.`);
    res.json({
      text: example.text,
      line_count: example.lineCount,
      truncated: example.truncated,
      username: example.username,
      icon_url: example.iconUrl,
    });
  });
  return router;
}
