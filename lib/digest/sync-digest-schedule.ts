// Brings the installation's Temporal Schedule in line with its state: installed + connected →
// a schedule (paused when the digest is disabled); anything else → no schedule.
import type { Client } from '@temporalio/client';
import type { Db } from '../db/client';
import { withTenant } from '../db/with-tenant';
import { storedDigestConfig } from '../packages/digest-config';
import { deleteDigestSchedule, describeDigestSchedule, upsertDigestSchedule, type DigestScheduleState } from '../temporal/digest-schedule';

export async function syncDigestSchedule(
  deps: { db: Db; temporal: Client; taskQueue: string },
  input: { tenantId: string; installationId: string },
): Promise<DigestScheduleState | null> {
  const { tenant, installation, credential } = await withTenant(deps.db, input.tenantId, async (tx) => {
    const inst = await tx.installation.findUniqueOrThrow({ where: { id: input.installationId } });
    const cred = inst.credentialId ? await tx.integrationCredential.findUnique({ where: { id: inst.credentialId } }) : null;
    return { tenant: await tx.tenant.findUniqueOrThrow({ where: { id: input.tenantId } }), installation: inst, credential: cred };
  });
  const config = storedDigestConfig(installation.config);
  const wanted = installation.status === 'installed' && credential !== null && credential.status !== 'revoked';
  let scheduleId: string | null = null;
  if (wanted) {
    scheduleId = await upsertDigestSchedule(deps.temporal, {
      tenantId: tenant.id,
      tenantSlug: tenant.slug,
      installationId: installation.id,
      taskQueue: deps.taskQueue,
      scheduleTime: config.schedule_time,
      timezone: config.timezone,
      paused: !config.enabled,
    });
  } else {
    await deleteDigestSchedule(deps.temporal, installation.id);
  }
  if (installation.scheduleId !== scheduleId) {
    await withTenant(deps.db, input.tenantId, (tx) => tx.installation.update({ where: { id: installation.id }, data: { scheduleId } }));
  }
  return scheduleId ? describeDigestSchedule(deps.temporal, installation.id) : null;
}
