// Every workflow's branches: what the workflow tests run and the recorder stores.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Scenario } from '../support/scenario';
import { packageDirectiveScenarios } from './package-directive';
import { signalRetentionScenarios } from './signal-retention';

export const allScenarios: Scenario[] = [...packageDirectiveScenarios, ...signalRetentionScenarios, ...packageScenarios()];

/**
 * A package's own workflow scenarios: packages/<slug>/test/workflows/scenarios.ts exporting
 * `scenarios` (their histories live beside them), found here so the core's tests name no package
 * and a removed package takes its scenarios and histories with it.
 */
function packageScenarios(): Scenario[] {
  const root = path.resolve(__dirname, '..', '..', '..', 'packages');
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(root, d.name, 'test', 'workflows', 'scenarios.ts')))
    .map((d) => d.name)
    .sort()
    .flatMap((slug) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(path.join(root, slug, 'test', 'workflows', 'scenarios')) as { scenarios: Scenario[] };
      return mod.scenarios;
    });
}
