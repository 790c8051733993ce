// Everything a test of a running package needs, real where it can be: Postgres, the Temporal dev
// server, a worker with the real activities, the real API app, and the Mattermost-compatible fake.
// It names no package: a package's tests install theirs with their own helper (the digest's:
// installedTenant in its test/helpers/).
import type { Express } from 'express';
import type { Worker } from '@temporalio/worker';
import type { ActivityDeps } from '../../activities';
import type { DbHandle } from '../../lib/db/client';
import { withTenant } from '../../lib/db/with-tenant';
import type { PlatformLlm } from '../../lib/llm/llm-provider';
import { createLogger, type Logger } from '../../lib/log/logger';
import { createMattermostClient } from '../../lib/mattermost';
import { scheduleControl } from '../../lib/installations/schedule-control';
import { defaultPackageCatalog } from '../../packages/registry';
import { startFakeMattermost, type FakeMattermost } from '../fakes/mattermost-server';
import { buildTestApp, TEST_ALLOWED_HOSTS, TEST_KEYRING } from './app';
import { testDb, waitFor, type TestTenant } from './db';
import { openTestTemporal, startTestWorker, type TestTemporal } from './temporal';

export interface DigestStack {
  handle: DbHandle;
  t: TestTemporal;
  app: Express;
  fake: FakeMattermost;
  worker: { worker: Worker; running: Promise<void> };
  activityDeps: ActivityDeps;
  close(): Promise<void>;
}

/** Tests confirm a first refusal by Mattermost after this long instead of a minute. */
export const TEST_REFUSAL_CONFIRM_MS = 1_000;

export async function openDigestStack(
  options: {
    logger?: Logger;
    appOverrides?: Parameters<typeof buildTestApp>[0]['overrides'];
    llm?: PlatformLlm;
    mattermostTimeoutMs?: number;
    activityOverrides?: Partial<ActivityDeps>;
  } = {},
): Promise<DigestStack> {
  const handle = testDb();
  // The worker's own pool, as in production (a process each): the API's requests never wait for
  // connections the worker's activities hold (under load they did, and answered 503).
  const workerDb = testDb();
  const t = await openTestTemporal();
  const fake = await startFakeMattermost();
  const logger = options.logger ?? createLogger({ level: 'silent' });
  const activityDeps: ActivityDeps = {
    db: workerDb.db,
    logger,
    keyring: TEST_KEYRING,
    mattermost: createMattermostClient({ allowedHosts: TEST_ALLOWED_HOSTS, timeoutMs: options.mattermostTimeoutMs ?? 1_500 }),
    schedules: scheduleControl(workerDb.db, async () => t.temporal, defaultPackageCatalog()),
    publicUrl: 'http://127.0.0.1:3000',
    llm: options.llm,
    refusalConfirmMs: TEST_REFUSAL_CONFIRM_MS,
    ...options.activityOverrides,
  };
  const worker = await startTestWorker(t, activityDeps);
  const app = buildTestApp({ db: handle.db, temporal: t.temporal, overrides: options.appOverrides });
  const stack: DigestStack = {
    handle,
    t,
    app,
    fake,
    worker,
    activityDeps,
    async close() {
      // The worker running now (a test may have restarted it).
      stack.worker.worker.shutdown();
      await stack.worker.running;
      await fake.close();
      await t.close();
      await workerDb.close();
      await handle.close();
    },
  };
  return stack;
}

export const auth = (tenant: TestTenant, role: keyof TestTenant['tokens'] = 'owner') => ({ authorization: `Bearer ${tenant.tokens[role]}` });

export async function waitForExecution(s: DigestStack, tenant: TestTenant, executionId: string, timeoutMs = 30_000) {
  return waitFor(async () => {
    const e = await withTenant(s.handle.db, tenant.id, (tx) => tx.execution.findUnique({ where: { id: executionId } }));
    return e && ['succeeded', 'failed', 'skipped'].includes(e.status) ? e : undefined;
  }, timeoutMs);
}

export async function signalsOf(s: DigestStack, tenant: TestTenant, correlationId: string) {
  return withTenant(s.handle.db, tenant.id, (tx) => tx.signal.findMany({ where: { correlationId }, orderBy: [{ occurredAt: 'asc' }, { createdAt: 'asc' }] }));
}

export function postsWithMarker(fake: FakeMattermost) {
  return fake.received().filter((p) => typeof p.props.fleetprompt_dedupe === 'string');
}
