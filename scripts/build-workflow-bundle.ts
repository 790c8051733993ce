// `npm run build:workflows`: bundles workflows/ once so production workers start fast
// (worker.ts loads dist/workflow-bundle.js when NODE_ENV=production).
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { PREBUILT_BUNDLE, WORKFLOW_INTERCEPTOR_MODULES } from '../worker';

async function main() {
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES });
  await mkdir(path.dirname(PREBUILT_BUNDLE), { recursive: true });
  await writeFile(PREBUILT_BUNDLE, code);
  console.log(`wrote ${PREBUILT_BUNDLE} (${(code.length / 1024).toFixed(0)} KiB)`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
