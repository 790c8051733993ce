// Decides what the installation's alert workflow does next, from the database (alert-outlook.ts):
// end (gone), wait for failures (idle), sleep until the alert is due (the coalescing window, quiet
// hours, the hourly limit), or post now. Holding back records a `mattermost.alert.deferred` signal
// once per hold, so the support view says why nothing was posted yet.
import { withTenant } from '../../../lib/db/with-tenant';
import { SIGNAL_TYPES } from '../../../lib/signals/catalogue';
import { emitSignal } from '../../../lib/signals/emit-signal';
import type { ActivityDeps } from '../../../activities/deps';
import type { AlertPlan, AlertRef } from '../alert-types';
import { alertOutlook } from './alert-outlook';
import type { FailureAlertOptions } from './options';

export function createPlanFailureAlert(deps: ActivityDeps, options: FailureAlertOptions) {
  return async function planFailureAlert(ref: AlertRef): Promise<AlertPlan> {
    return withTenant(deps.db, ref.tenantId, async (tx) => {
      const outlook = await alertOutlook(tx, ref.installationId, options);
      if (outlook.kind === 'gone') return { kind: 'gone', reason: outlook.reason };
      if (outlook.kind === 'idle') return { kind: 'idle' };
      if (outlook.kind === 'posting' || outlook.kind === 'due') return { kind: 'due' };
      const { reason, dueAt, cursor, firstAt, now } = outlook;
      if (reason !== 'window') {
        await emitSignal(tx, {
          tenantId: ref.tenantId,
          type: SIGNAL_TYPES.alertDeferred,
          source: 'fleetprompt.failure-alerts',
          subject: `installation:${ref.installationId}`,
          correlationId: `alert:${ref.installationId}:${cursor.toISOString()}`,
          dedupeKey: `${ref.installationId}:deferred:${reason}:${dueAt.toISOString()}`,
          payload: { installation_id: ref.installationId, reason, until: dueAt.toISOString(), first_failure_at: firstAt.toISOString() },
        });
      }
      return { kind: 'wait', waitMs: dueAt.getTime() - now.getTime(), reason };
    });
  };
}
