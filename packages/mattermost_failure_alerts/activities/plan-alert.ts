// Decides what the installation's alert workflow does next, from the database: end (gone), wait
// for failures (idle), sleep until the alert is due (the coalescing window, quiet hours, the
// hourly limit), or post now. Holding back records a `mattermost.alert.deferred` signal once per
// hold, so the support view says why nothing was posted yet.
import { withTenant } from '../../../lib/db/with-tenant';
import { SIGNAL_TYPES } from '../../../lib/signals/catalogue';
import { emitSignal } from '../../../lib/signals/emit-signal';
import type { ActivityDeps } from '../../../activities/deps';
import { FAILURE_ALERTS_SLUG, type AlertPlan, type AlertRef } from '../alert-types';
import { storedAlertsConfig } from '../config';
import { quietHoursEnd } from '../quiet-hours';
import { alertCursor, alertsPostedSince, dbNow, openAlertExecution, waitingFailures } from './alert-window';
import type { FailureAlertOptions } from './options';

const HOUR_MS = 3_600_000;

export function createPlanFailureAlert(deps: ActivityDeps, options: FailureAlertOptions) {
  return async function planFailureAlert(ref: AlertRef): Promise<AlertPlan> {
    return withTenant(deps.db, ref.tenantId, async (tx) => {
      const installation = await tx.installation.findUnique({ where: { id: ref.installationId } });
      if (!installation || installation.packageSlug !== FAILURE_ALERTS_SLUG) return { kind: 'gone', reason: 'not_installed' };
      if (installation.status !== 'installed') return { kind: 'gone', reason: installation.status };
      const config = storedAlertsConfig(installation.config);
      if (!config.enabled) return { kind: 'gone', reason: 'disabled' };
      // Not connected (or the connection was revoked or rejected): failures wait for a connection.
      const credential = installation.credentialId
        ? await tx.integrationCredential.findUnique({ where: { id: installation.credentialId }, select: { status: true } })
        : null;
      if (!credential || credential.status !== 'connected') return { kind: 'gone', reason: 'not_connected' };
      if (await openAlertExecution(tx, installation.id)) return { kind: 'due' };

      const cursor = await alertCursor(tx, installation);
      const [first] = await waitingFailures(tx, config, cursor);
      if (!first) return { kind: 'idle' };
      const now = (await dbNow(tx)).getTime();

      const windowMs = options.windowOverrideMs ?? config.window_minutes * 60_000;
      // group_wait: the window starts with the first failure waiting; the cut is made commitGraceMs
      // behind the clock (see open-alert.ts), so the alert is due that much after the window.
      const windowDue = first.createdAt.getTime() + windowMs + options.commitGraceMs;
      const posted = await alertsPostedSince(tx, installation.id, new Date(now - HOUR_MS));
      const limitDue = posted.length >= config.max_alerts_per_hour ? posted[posted.length - config.max_alerts_per_hour].getTime() + HOUR_MS : 0;
      const quietDue = quietHoursEnd(config.quiet_hours, Math.max(now, windowDue, limitDue), config.timezone);
      const due = Math.max(windowDue, limitDue, quietDue);
      if (due <= now) return { kind: 'due' };

      const reason = quietDue > Math.max(windowDue, limitDue) ? 'quiet_hours' : limitDue > windowDue ? 'hourly_limit' : 'window';
      if (reason !== 'window') {
        await emitSignal(tx, {
          tenantId: ref.tenantId,
          type: SIGNAL_TYPES.alertDeferred,
          source: 'fleetprompt.failure-alerts',
          subject: `installation:${installation.id}`,
          correlationId: `alert:${installation.id}:${cursor.toISOString()}`,
          dedupeKey: `${installation.id}:deferred:${reason}:${new Date(due).toISOString()}`,
          payload: { installation_id: installation.id, reason, until: new Date(due).toISOString(), first_failure_at: first.createdAt.toISOString() },
        });
      }
      return { kind: 'wait', waitMs: due - now, reason };
    });
  };
}
