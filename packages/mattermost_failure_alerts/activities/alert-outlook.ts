// What happens next for an installation's alerts, read from the database alone: nothing (gone:
// not installed, disabled, not connected; idle: no failure waits), post now (due), or wait until
// the coalescing window, quiet hours or the hourly limit let the alert go. The workflow acts on
// it (plan-alert.ts); the installation page shows it (routes.ts), so both say the same thing.
import type { Installation } from '../../../lib/db/generated/client';
import type { Tx } from '../../../lib/db/with-tenant';
import type { HeldBy } from '../alert-types';
import { FAILURE_ALERTS_SLUG } from '../alert-types';
import { storedAlertsConfig } from '../config';
import { quietHoursEnd } from '../quiet-hours';
import { alertCursor, alertsPostedSince, dbNow, openAlertExecution, waitingFailures } from './alert-window';
import type { FailureAlertOptions } from './options';

const HOUR_MS = 3_600_000;

export type GoneReason = 'not_installed' | 'disabled' | 'not_connected' | Installation['status'];

export type AlertOutlook =
  | { kind: 'gone'; reason: GoneReason }
  | { kind: 'idle'; cursor: Date }
  /** An alert window is open (cut by an earlier attempt, being posted). */
  | { kind: 'posting'; executionId: string }
  | { kind: 'due'; cursor: Date; firstAt: Date }
  | { kind: 'wait'; cursor: Date; firstAt: Date; dueAt: Date; reason: 'window' | HeldBy; now: Date };

export async function alertOutlook(tx: Tx, installationId: string, options: FailureAlertOptions): Promise<AlertOutlook> {
  const installation = await tx.installation.findUnique({ where: { id: installationId } });
  if (!installation || installation.packageSlug !== FAILURE_ALERTS_SLUG) return { kind: 'gone', reason: 'not_installed' };
  if (installation.status !== 'installed') return { kind: 'gone', reason: installation.status };
  const config = storedAlertsConfig(installation.config);
  if (!config.enabled) return { kind: 'gone', reason: 'disabled' };
  // Not connected (or the connection was revoked or rejected): failures wait for a connection.
  const credential = installation.credentialId
    ? await tx.integrationCredential.findUnique({ where: { id: installation.credentialId }, select: { status: true } })
    : null;
  if (!credential || credential.status !== 'connected') return { kind: 'gone', reason: 'not_connected' };
  const open = await openAlertExecution(tx, installation.id);
  if (open) return { kind: 'posting', executionId: open.id };

  const cursor = await alertCursor(tx, installation);
  const [first] = await waitingFailures(tx, config, cursor);
  if (!first) return { kind: 'idle', cursor };
  const now = (await dbNow(tx)).getTime();

  const windowMs = options.windowOverrideMs ?? config.window_minutes * 60_000;
  // group_wait: the window starts with the first failure waiting; the cut is made commitGraceMs
  // behind the clock (see open-alert.ts), so the alert is due that much after the window.
  const windowDue = first.createdAt.getTime() + windowMs + options.commitGraceMs;
  const posted = await alertsPostedSince(tx, installation.id, new Date(now - HOUR_MS));
  const limitDue = posted.length >= config.max_alerts_per_hour ? posted[posted.length - config.max_alerts_per_hour].getTime() + HOUR_MS : 0;
  const quietDue = quietHoursEnd(config.quiet_hours, Math.max(now, windowDue, limitDue), config.timezone);
  const due = Math.max(windowDue, limitDue, quietDue);
  if (due <= now) return { kind: 'due', cursor, firstAt: first.createdAt };
  const reason = quietDue > Math.max(windowDue, limitDue) ? 'quiet_hours' : limitDue > windowDue ? 'hourly_limit' : 'window';
  return { kind: 'wait', cursor, firstAt: first.createdAt, dueAt: new Date(due), reason, now: new Date(now) };
}
