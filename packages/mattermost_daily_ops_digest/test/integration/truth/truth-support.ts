// Shared by the issue-15 regression tests and the model-based sequence test: fire the digest's
// scheduled path at a chosen nominal time (exactly as the Schedule names its runs), read the
// installation's truth through the API, and count what Mattermost received.
import request from 'supertest';
import { withTenant } from '../../../../../lib/db/with-tenant';
import { digestScheduledWorkflowId } from '../../../../../lib/temporal/contract';
import { auth, type DigestStack } from '../../../../../test/helpers/digest-stack';
import type { TestTenant } from '../../../../../test/helpers/db';

/** `2026-06-10T00:15:00Z`: the suffix form Temporal gives scheduled runs. */
export function nominalSuffix(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Runs the scheduled path for `nominal` and returns its execution row. */
export async function fireScheduled(s: DigestStack, tenant: TestTenant, installationId: string, nominal: Date) {
  const workflowId = `${digestScheduledWorkflowId(tenant.id, installationId)}-${nominalSuffix(nominal)}`;
  await s.t.temporal.client.workflow
    .execute('digestRunWorkflow', { taskQueue: s.t.temporal.taskQueue, workflowId, args: [{ tenantId: tenant.id, installationId, trigger: 'scheduled' }] })
    .catch(() => undefined); // a failed run is read from its execution row
  return withTenant(s.handle.db, tenant.id, (tx) => tx.execution.findUniqueOrThrow({ where: { workflowId } }));
}

export function api(s: DigestStack, tenant: TestTenant) {
  const base = `/api/tenants/${tenant.slug}`;
  return {
    get: (path: string) => request(s.app).get(`${base}${path}`).set(auth(tenant)),
    put: (path: string, body: object) => request(s.app).put(`${base}${path}`).set(auth(tenant)).send(body),
    post: (path: string, body: object = {}) => request(s.app).post(`${base}${path}`).set(auth(tenant)).send(body),
    del: (path: string) => request(s.app).delete(`${base}${path}`).set(auth(tenant)),
  };
}

export async function scheduledExecutions(s: DigestStack, tenant: TestTenant, installationId: string) {
  return withTenant(s.handle.db, tenant.id, (tx) => tx.execution.findMany({ where: { installationId, trigger: 'scheduled' }, orderBy: { createdAt: 'asc' } }));
}
