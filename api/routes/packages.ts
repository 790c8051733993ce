// The public package registry.
import { Router } from 'express';
import { AppError } from '../../lib/errors/app-error';
import type { AppDeps } from '../app';
import { presentPackage } from '../presenters';

export function packagesRouter(deps: AppDeps): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    const packages = await deps.db.package.findMany({ orderBy: [{ slug: 'asc' }, { version: 'desc' }] });
    res.json({ items: packages.map(presentPackage) });
  });
  router.get('/:slug', async (req, res) => {
    const versions = await deps.db.package.findMany({ where: { slug: req.params.slug }, orderBy: { createdAt: 'desc' } });
    if (versions.length === 0) throw new AppError('PACKAGE_NOT_FOUND', `No package "${req.params.slug}" in the registry.`);
    res.json({ ...presentPackage(versions[0]), versions: versions.map((v) => v.version) });
  });
  return router;
}
