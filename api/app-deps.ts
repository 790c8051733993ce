// What the Express app is built from (api/app.ts). Types only, so route modules and packages can
// name them without importing the app (and through it the package registry).
import type { AuthSettings } from '../lib/auth/settings';
import type { Keyring } from '../lib/crypto/keyring';
import type { Db } from '../lib/db/client';
import type { MattermostClient } from '../lib/mattermost';
import type { RunHooks } from '../lib/runs/run-hook';
import type { RunStarter } from '../lib/runs/run-starter';
import type { ScheduleControl } from '../lib/installations/schedule-control';
import type { DirectiveStarter } from '../lib/directives/directive-starter';
import type { PlatformLlm } from '../lib/llm/llm-provider';
import type { Logger } from '../lib/log/logger';
import type { PackageCatalog } from '../lib/packages/catalog';
import type { PackageWorkflowSignaller } from '../lib/packages/signal-triggers';
import type { PackageModule } from '../packages/module';

export interface AppDeps {
  db: Db;
  logger: Logger;
  starter: DirectiveStarter;
  namespace: string;
  temporalUiUrl?: string;
  pendingMigrations(): Promise<string[]>;
  temporalReachable(): Promise<boolean>;
  /** Digest runs and the Mattermost connection. */
  keyring: Keyring;
  mattermost: MattermostClient;
  allowedHosts: readonly string[];
  runStarter: RunStarter;
  runNowLimitPerHour: number;
  /** Applies an installation's desired state to Temporal, and describes its schedule. */
  schedules: ScheduleControl;
  /** Cookie security, public origin, session lifetime, login limit (lib/auth/settings.ts). */
  auth?: Partial<AuthSettings>;
  /** SIGNAL_RETENTION_DAYS: how far back digest previews may reach (default 30). */
  signalRetentionDays?: number;
  /** TRUST_PROXY and HSTS_MAX_AGE_SECONDS (lib/config.ts); unset: no proxy trusted, no HSTS. */
  http?: { trustProxy?: boolean | number | string[]; hstsMaxAgeSeconds?: number };
  /** The package definitions (default: packages/registry.ts). */
  packages?: PackageCatalog;
  /** The package modules whose routes are mounted (default: packages/registry.ts). */
  packageModules?: readonly PackageModule[];
  /** Notices to event-driven packages after ingested signals commit (lib/packages/signal-triggers.ts). */
  packageSignaller?: PackageWorkflowSignaller;
  /** PUBLIC_URL for links the API writes into digests (the preview's truncation pointer); default auth.publicUrl. */
  publicUrl?: string;
  /** The platform's LLM provider and default caps (LLM_*); absent: none. */
  llm?: PlatformLlm;
}

/** AppDeps after createApp filled in its defaults, and the run hooks of its package modules (PackageModule.runs). */
export type ComposedAppDeps = AppDeps & { packages: PackageCatalog; runHooks: RunHooks };
