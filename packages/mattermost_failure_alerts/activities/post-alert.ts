// Posts one alert window exactly once as far as Mattermost allows, through the platform's one
// claim → post → record implementation (lib/outbound/post-through-ledger.ts, the digest's too):
// same ledger, failure classes, refusal evidence and own-post search. The alert's own part is
// what it says: the window's failures as formatAlert renders them, written to the execution
// before the first attempt and reused by every later one (a config change between attempts does
// not change the message, and the installation page shows what was posted).
import type { ActivityDeps } from '../../../activities/deps';
import type { Prisma } from '../../../lib/db/generated/client';
import { withTenant } from '../../../lib/db/with-tenant';
import { failureAlertsDefinition } from '../definition';
import { postThroughLedger } from '../../../lib/outbound/post-through-ledger';
import type { PostAlertResult } from '../alert-types';
import { storedAlertsConfig } from '../config';
import { formatAlert } from '../format-alert';
import { waitingFailures } from './alert-window';

interface AlertSummary {
  total?: number;
  held_by?: 'quiet_hours' | 'hourly_limit' | null;
  message?: string;
}

export function createPostFailureAlert(deps: ActivityDeps) {
  return async function postFailureAlert(input: { tenantId: string; installationId: string; executionId: string }): Promise<PostAlertResult> {
    return postThroughLedger(deps, {
      tenantId: input.tenantId,
      installationId: input.installationId,
      executionId: input.executionId,
      noun: 'alert',
      definition: failureAlertsDefinition,
      // The alert's message, written to its execution once (its own transaction: the window's failures and the write).
      prepare: (installation) =>
        withTenant(deps.db, input.tenantId, async (tx) => {
          const execution = await tx.execution.findUniqueOrThrow({ where: { id: input.executionId } });
          const summary = (execution.summary as AlertSummary | null) ?? {};
          const config = storedAlertsConfig(installation.config);
          const post = { channel: config.channel, dedupeKey: execution.dedupeKey!, correlationId: execution.correlationId };
          if (typeof summary.message === 'string') return { ...post, text: summary.message };

          // The window's failures: fixed once the window is cut (signals are append-only).
          const failures = await waitingFailures(tx, config, execution.windowStart, execution.windowEnd);
          const total = Math.max(summary.total ?? failures.length, failures.length);
          const supportUrl = deps.publicUrl
            ? `${deps.publicUrl.replace(/\/$/, '')}/admin?correlation=${encodeURIComponent(execution.correlationId)}`
            : undefined;
          const text = formatAlert({
            failures: failures.map((s) => {
              const p = (s.payload ?? {}) as Record<string, unknown>;
              return {
                type: s.type,
                source: s.source,
                subject: s.subject,
                occurredAt: s.occurredAt,
                errorKind: typeof p.error_kind === 'string' ? p.error_kind : null,
                error: typeof p.error === 'string' ? p.error : typeof p.message === 'string' ? p.message : null,
              };
            }),
            total,
            windowStart: execution.windowStart,
            windowEnd: execution.windowEnd,
            timezone: config.timezone,
            maxLines: config.max_lines,
            heldBy: summary.held_by ?? null,
            maxAlertsPerHour: config.max_alerts_per_hour,
            supportUrl,
          });
          const listed = Math.min(failures.length, config.max_lines);
          await tx.execution.update({
            where: { id: execution.id },
            data: { summary: { ...(summary as Prisma.InputJsonObject), message: text, listed, suppressed: total - listed } },
          });
          return { ...post, text };
        }),
    });
  };
}
