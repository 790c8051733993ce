// What activities need from the outside world. worker.ts builds the real ones; tests pass
// their own (a fake Mattermost, a test keyring, a failing provisioner...).
import type { Keyring } from '../lib/crypto/keyring';
import type { Db } from '../lib/db/client';
import type { PlatformLlm } from '../lib/llm/llm-provider';
import type { Logger } from '../lib/log/logger';
import type { MattermostClient } from '../lib/mattermost';
import type { PackageWorkflowSignaller } from '../lib/packages/signal-triggers';
import type { PackageModule } from '../packages/module';

export interface InstallationReconciler {
  /** Applies the installation's desired state (its package's Schedule, if any) to Temporal now (the reconciler loop retries). */
  reconcile(input: { tenantId: string; installationId: string }): Promise<unknown>;
}

export interface ActivityDeps {
  db: Db;
  logger: Logger;
  schedules?: InstallationReconciler;
  /** Needed by digest runs; directive-only workers (and tests) may leave them out. */
  keyring?: Keyring;
  mattermost?: MattermostClient;
  /** Where the digest's "see the full digest" link points. */
  publicUrl?: string;
  /** The platform's LLM settings (provider, prices, default caps) for the digest summary; absent: no platform provider. */
  llm?: PlatformLlm;
  /** Age after which a `posting` ledger claim is taken as abandoned (default DEFAULT_STALE_CLAIM_MS, lib/temporal/contract/timeouts.ts). */
  staleClaimMs?: number;
  /** The packages this worker runs (default: packages/registry.ts). */
  packages?: readonly PackageModule[];
  /** Notices to event-driven packages after platform signals (directive.failed…) commit. */
  packageSignaller?: PackageWorkflowSignaller;
  /** How long after a first refusal the confirming attempt runs (default REFUSAL_CONFIRM_MS). */
  refusalConfirmMs?: number;
}
