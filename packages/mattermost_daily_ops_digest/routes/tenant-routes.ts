// The digest's tenant-level endpoints (PackageModule.tenantRoutes, mounted under
// /api/tenants/:tenant): the preview and replay of an installation's digest, and the digest a
// run posted, by run or by correlation id (the full-digest page); the installation's LLM summary
// status.
import { Router } from 'express';
import type { ComposedAppDeps } from '../../../api/app-deps';
import { digestMessagesRouter } from './digest-messages';
import { digestPreviewRouter } from './digest-preview';
import { installationLlmRouter } from './installation-llm';

export function digestTenantRouter(deps: ComposedAppDeps): Router {
  const router = Router({ mergeParams: true });
  router.use('/installations', digestPreviewRouter(deps));
  router.use('/installations', installationLlmRouter(deps));
  const messages = digestMessagesRouter(deps);
  router.use('/executions', messages.byExecution);
  router.use('/digests', messages.byCorrelation);
  return router;
}
