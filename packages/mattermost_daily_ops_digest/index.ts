// The digest package module: its definition, its activities and the routes of its own section.
import { installationDigestRouter } from './routes/installation-digest';
import { digestTenantRouter } from './routes/tenant-routes';
import type { PackageModule } from '../module';
import { createDigestActivities } from './activities';
import { digestDefinition } from './definition';
import { exampleDigest } from './example-digest';
import { DIGEST_API_OPERATIONS } from './openapi';
import { DIGEST_RETENTION } from './retention';
import { digestRuns } from './runs/digest-runs';
import { digestRunWorkflow } from './workflows/contract';

export const digestPackage: PackageModule = {
  definition: digestDefinition,
  createActivities: createDigestActivities,
  // Run now and Retry start its digestRunWorkflow.
  runs: digestRuns,
  runWorkflowTypes: [digestRunWorkflow.name],
  // Its stored messages are purged with the signals' retention.
  retention: DIGEST_RETENTION,
  routes: installationDigestRouter,
  tenantRoutes: digestTenantRouter,
  apiOperations: DIGEST_API_OPERATIONS,
  // The full digest of a run: what the truncation pointer at the end of a long digest opens.
  pages: { '/digest': 'digest.html' },
  examplePost() {
    const example = exampleDigest();
    return {
      text: example.posted.text,
      lineCount: example.posted.lineCount,
      truncated: example.posted.truncated,
      username: example.username,
      iconUrl: example.iconUrl,
    };
  },
};
