// The real stack for the failure alerts: Postgres, the Temporal dev server, a worker with the real
// activities (the alerts' window and grace adjustable per test), the real API and the Mattermost fake.
import request from 'supertest';
import type { Express } from 'express';
import type { ComposedAppDeps } from '../../../../api/app-deps';
import type { Worker } from '@temporalio/worker';
import type { ActivityDeps } from '../../../../activities';
import { packageWorkflowSignaller } from '../../../../client';
import type { DbHandle } from '../../../../lib/db/client';
import { withTenant } from '../../../../lib/db/with-tenant';
import { createLogger } from '../../../../lib/log/logger';
import { createMattermostClient } from '../../../../lib/mattermost';
import { scheduleControl } from '../../../../lib/installations/schedule-control';
import { startFakeMattermost, type FakeMattermost, type ReceivedPost } from '../../../../test/fakes/mattermost-server';
import { buildTestApp, TEST_ALLOWED_HOSTS, TEST_KEYRING } from '../../../../test/helpers/app';
import { createTestTenant, testDb, waitFor, type TestTenant } from '../../../../test/helpers/db';
import { openTestTemporal, startTestWorker, type TestTemporal } from '../../../../test/helpers/temporal';
import { defaultPackageCatalog, PACKAGE_MODULES } from '../../../registry';
import { createFailureAlertActivities } from '../../activities';
import type { FailureAlertOptions } from '../../activities/options';
import { FAILURE_ALERTS_SLUG } from '../../alert-types';
import { failureAlertsRouter } from '../../routes';

export interface AlertsStack {
  handle: DbHandle;
  t: TestTemporal;
  app: Express;
  fake: FakeMattermost;
  /** Mutable: the worker's alert activities read it on every call. */
  options: FailureAlertOptions;
  worker: { worker: Worker; running: Promise<void> };
  close(): Promise<void>;
}

export async function openAlertsStack(options: FailureAlertOptions): Promise<AlertsStack> {
  const handle = testDb();
  const t = await openTestTemporal();
  const fake = await startFakeMattermost();
  const modules = PACKAGE_MODULES.map((m) =>
    m.definition.identity.slug === FAILURE_ALERTS_SLUG
      ? {
          ...m,
          createActivities: (deps: ActivityDeps) => createFailureAlertActivities(deps, options),
          routes: (deps: ComposedAppDeps) => failureAlertsRouter(deps, options),
        }
      : m,
  );
  const deps: ActivityDeps = {
    db: handle.db,
    logger: createLogger({ level: process.env.ALERTS_TEST_LOG ?? 'silent' }),
    keyring: TEST_KEYRING,
    mattermost: createMattermostClient({ allowedHosts: TEST_ALLOWED_HOSTS, timeoutMs: 1_500 }),
    schedules: scheduleControl(handle.db, async () => t.temporal, defaultPackageCatalog(modules)),
    publicUrl: 'http://127.0.0.1:3000',
    packages: modules,
    packageSignaller: packageWorkflowSignaller(async () => t.temporal),
  };
  const worker = await startTestWorker(t, deps);
  const app = buildTestApp({
    db: handle.db,
    temporal: t.temporal,
    overrides: { logger: createLogger({ level: process.env.ALERTS_TEST_LOG ?? 'silent' }), packageModules: modules },
  });
  return {
    handle,
    t,
    app,
    fake,
    options,
    worker,
    async close() {
      worker.worker.shutdown();
      await worker.running;
      await fake.close();
      await t.close();
      await handle.close();
    },
  };
}

/** What the helpers below need: the fault stack (test/integration/reliability/fault-stack.ts) has it too. */
export type AlertsApi = Pick<AlertsStack, 'handle' | 'app' | 'fake'>;

export const auth = (tenant: TestTenant, role: keyof TestTenant['tokens'] = 'owner') => ({ authorization: `Bearer ${tenant.tokens[role]}` });

/**
 * A tenant with the alerts installed, connected to the fake (an incoming webhook on `ops`, or with
 * `connection: 'pat'` the default user's token, posting to `town-square`), configured as given.
 */
export async function alertsTenant(
  s: AlertsApi,
  config: Record<string, unknown> = {},
  connection: 'webhook' | 'pat' = 'webhook',
): Promise<{ tenant: TestTenant; installationId: string }> {
  const tenant = await createTestTenant(s.handle, 'fa');
  const res = await request(s.app)
    .post(`/api/tenants/${tenant.slug}/installations`)
    .set(auth(tenant))
    .send({ package_slug: FAILURE_ALERTS_SLUG, config: { channel: connection === 'pat' ? 'town-square' : 'ops', ...config } });
  if (res.status !== 202) throw new Error(`install answered ${res.status} ${JSON.stringify(res.body)}`);
  const installationId = res.body.installation.id as string;
  await waitFor(
    async () => (await withTenant(s.handle.db, tenant.id, (tx) => tx.installation.findUnique({ where: { id: installationId } })))?.status === 'installed',
  );
  const body =
    connection === 'pat'
      ? { kind: 'pat', base_url: s.fake.url, token: s.fake.token, team: s.fake.team.name }
      : { kind: 'webhook', webhook_url: s.fake.hookUrl(s.fake.createHook({ channel: 'ops' })), verify: 'dry_run' };
  const connected = await request(s.app).put(`/api/tenants/${tenant.slug}/installations/${installationId}/credential`).set(auth(tenant)).send(body);
  if (connected.status !== 200) throw new Error(`connect answered ${connected.status} ${JSON.stringify(connected.body)}`);
  return { tenant, installationId };
}

export interface FailureSpec {
  type?: string;
  source?: string;
  subject?: string;
  error?: string;
}

export async function ingest(s: AlertsApi, tenant: TestTenant, failures: FailureSpec[]): Promise<void> {
  const res = await request(s.app)
    .post(`/api/tenants/${tenant.slug}/signals`)
    .set(auth(tenant))
    .send({
      signals: failures.map((f) => ({
        type: f.type ?? 'agent.execution.failed',
        source: f.source ?? 'billing-bot',
        subject: f.subject ?? 'agent:summariser',
        payload: { error_kind: 'rate_limit', error: f.error ?? 'upstream 429' },
      })),
    });
  if (res.status !== 200) throw new Error(`ingest answered ${res.status} ${JSON.stringify(res.body)}`);
}

/** Alerts the fake received for this tenant's hook channel, oldest first. */
export function alertsAt(s: Pick<AlertsStack, 'fake'>, marker = ':rotating_light:'): ReceivedPost[] {
  return s.fake.received().filter((p) => p.text.includes(marker));
}

export async function alertExecutions(s: Pick<AlertsStack, 'handle'>, tenant: TestTenant) {
  return withTenant(s.handle.db, tenant.id, (tx) => tx.execution.findMany({ where: { kind: 'mattermost_failure_alert' }, orderBy: { createdAt: 'asc' } }));
}
