// A package as the runtime loads it: its definition (lib/packages/contract.ts, pure) plus the
// parts that need the outside world — activities, provisioning steps and API routes. The worker
// and the API take these from packages/registry.ts; nothing else lists packages.
import type { Router } from 'express';
import type { ActivityDeps } from '../activities/deps';
import type { ComposedAppDeps } from '../api/app-deps';
import type { ApiOperation } from '../api/openapi-operation';
import type { ConfigRecord, PackageDefinition } from '../lib/packages/contract';
import type { RetentionPurge } from '../lib/retention/retention-purge';
import type { RunHook } from '../lib/runs/run-hook';

export interface ProvisionContext {
  tenantId: string;
  installationId: string;
  version: string;
  /** The installation's config after defaults (and, for an upgrade, the declared migration). */
  config: ConfigRecord;
  phase: 'install' | 'upgrade';
}

export interface PackageModule {
  definition: PackageDefinition;
  /** Activities the package's workflows call (merged into the worker's activities). */
  createActivities?(deps: ActivityDeps): Record<string, (...args: never[]) => Promise<unknown>>;
  /**
   * Package-specific provisioning, after the core has written templates and config: e.g. create
   * or update a Temporal Schedule. Idempotent (it runs inside a retried activity).
   */
  provision?(deps: ActivityDeps, ctx: ProvisionContext): Promise<void>;
  /** Removes what provision created (uninstall). Idempotent; missing resources are not errors. */
  deprovision?(deps: ActivityDeps, ctx: { tenantId: string; installationId: string }): Promise<void>;
  /**
   * Opts the package's installations into the platform's Run now (POST …/installations/:id/runs)
   * and Retry (POST …/executions/:id/retry): what a run is and which workflow carries it out
   * (lib/runs/run-hook.ts). Absent: both answer 409 RUNS_NOT_SUPPORTED.
   */
  runs?: RunHook;
  /** Workflow types that carry out this package's runs: each one's end is counted in fleetprompt_package_run_*{package}. */
  runWorkflowTypes?: readonly string[];
  /**
   * Its own stored data that ages out with the signals: the platform's retention purge calls each
   * with the signals' cutoff after the signals (lib/retention/retention-purge.ts).
   */
  retention?: readonly RetentionPurge[];
  /** Routes mounted under /api/tenants/:tenant/installations/:id/ for this package's installations. */
  routes?(deps: ComposedAppDeps): Router;
  /** Routes mounted under /api/tenants/:tenant/ (after the tenant is resolved): endpoints not scoped to one installation. */
  tenantRoutes?(deps: ComposedAppDeps): Router;
  /** Its own browser pages: route → HTML file in packages/<slug>/ui/ (its scripts there are served at /assets/packages/<slug>/ui/). */
  pages?: Record<string, string>;
  /** Its endpoints in the OpenAPI document (/api/openapi.json), beside the platform's. */
  apiOperations?: readonly ApiOperation[];
  /** The package page's example of what the package posts (GET /api/packages/:slug/example-digest), from a made-up typical day. */
  examplePost?(): ExamplePost;
}

export interface ExamplePost {
  text: string;
  lineCount: number;
  truncated: boolean;
  username: string | null;
  iconUrl: string | null;
}
