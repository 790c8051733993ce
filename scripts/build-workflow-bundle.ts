// Bundles workflows/ once into workflow-bundle.js, which the compiled worker loads by path
// (`workflowBundle: { codePath }`) instead of running webpack at every start. `npm run build`
// runs it compiled (dist/scripts/, bundling dist/workflows/ into dist/); `npm run build:workflows`
// runs it from sources with tsx (into dist/, for a worker started from sources with NODE_ENV=production).
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DefaultLogger, bundleWorkflowCode } from '@temporalio/worker';
import { PREBUILT_BUNDLE, WORKFLOW_INTERCEPTOR_MODULES, WORKFLOWS_PATH } from '../worker';

async function main() {
  const { code } = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES,
    logger: new DefaultLogger('WARN'),
  });
  await mkdir(path.dirname(PREBUILT_BUNDLE), { recursive: true });
  await writeFile(PREBUILT_BUNDLE, code);
  console.log(`wrote ${path.relative(process.cwd(), PREBUILT_BUNDLE)} (${(code.length / 1024).toFixed(0)} KiB)`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
