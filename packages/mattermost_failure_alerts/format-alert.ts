// One alert: the failures of one window as a short Mattermost message. Everything tenant-supplied
// (sources, subjects, error text) goes through safeInline: secrets scrubbed, Markdown escaped,
// mentions and links broken. At most `maxLines` failures are listed; the rest are counted in an
// "… and N more suppressed" line, so every failure of the window is in exactly one alert.
import { safeInline } from '../../lib/mattermost/safe-text';
import { formatLocalDateTime } from '../../lib/schedule/zoned-clock';

export interface AlertFailure {
  type: string;
  source: string;
  subject: string | null;
  occurredAt: Date;
  errorKind: string | null;
  error: string | null;
}

export interface AlertInput {
  failures: AlertFailure[];
  /** Total failures in the window (≥ failures.length: the list may be capped by the query). */
  total: number;
  windowStart: Date;
  windowEnd: Date;
  timezone: string;
  maxLines: number;
  /** Why this alert was held back, if it was. */
  heldBy: 'quiet_hours' | 'hourly_limit' | null;
  maxAlertsPerHour: number;
  supportUrl?: string;
}

const TYPE_LABELS: Record<string, string> = {
  'agent.execution.failed': 'agent execution failed',
  'workflow.run.failed': 'workflow run failed',
  'package.install.failed': 'package install failed',
  'directive.failed': 'directive failed',
};

function localTime(d: Date, zone: string): string {
  return formatLocalDateTime(d, zone).slice(11, 16);
}

export function formatAlert(a: AlertInput): string {
  const byType = new Map<string, number>();
  for (const f of a.failures) byType.set(f.type, (byType.get(f.type) ?? 0) + 1);
  const noun = a.total === 1 ? 'failure' : 'failures';
  const lines = [
    `:rotating_light: **${a.total} ${noun}** between ${localTime(a.windowStart, a.timezone)} and ${localTime(a.windowEnd, a.timezone)} (${safeInline(a.timezone, 64)})`,
  ];
  if (a.heldBy === 'quiet_hours') lines.push('_Held during quiet hours; posted now that they are over._');
  if (a.heldBy === 'hourly_limit') lines.push(`_Held back by the limit of ${a.maxAlertsPerHour} alerts per hour._`);
  for (const f of a.failures.slice(0, a.maxLines)) {
    const what = [
      f.subject ? safeInline(f.subject, 80) : null,
      f.errorKind ? `${safeInline(f.errorKind, 40)}` : null,
      f.error ? safeInline(f.error, 160) : null,
    ]
      .filter(Boolean)
      .join(' — ');
    const source = safeInline(f.source.replace(/^ingest:/, ''), 60);
    lines.push(`- ${localTime(f.occurredAt, a.timezone)} ${TYPE_LABELS[f.type] ?? safeInline(f.type, 60)} · ${source}${what ? `: ${what}` : ''}`);
  }
  const listed = Math.min(a.failures.length, a.maxLines);
  if (a.total > listed) lines.push(`… and ${a.total - listed} more suppressed`);
  if (byType.size > 1 || a.total > listed) {
    lines.push(
      `By type: ${[...byType.entries()].map(([t, n]) => `${TYPE_LABELS[t] ?? safeInline(t, 60)} ${n}`).join(' · ')}${a.total > a.failures.length ? ' (of the first listed)' : ''}`,
    );
  }
  if (a.supportUrl) lines.push(`[Open in the support view](${a.supportUrl})`);
  return lines.join('\n');
}
