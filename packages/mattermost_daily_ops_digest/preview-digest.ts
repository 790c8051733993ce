// Replay of a digest: re-generates the digest an installation would post for any past window
// still inside signal retention, from the signals as they are now — the same aggregation and
// formatting as a real run (activities/generate-digest.ts) — as a preview. Reads only:
// nothing is posted, no execution, ledger row or signal is written.
import type { Db } from '../../lib/db/client';
import { withTenant } from '../../lib/db/with-tenant';
import { AppError } from '../../lib/errors/app-error';
import { formatZodIssues } from '../../lib/errors/zod-issues';
import { storedDigestConfig, ZDigestConfig, type TDigestConfig } from './config';
import { digestRunIdentity } from './schedule/digest-run-identity';
import { localTimeToInstant } from '../../lib/schedule/local-time-to-instant';
import { collectDigestStats } from './collect-digest-stats';
import { renderDigest } from './render-digest';

export const DEFAULT_SIGNAL_RETENTION_DAYS = 30;
const DAY_MS = 86_400_000;

/** Which window: a scheduled digest's local date, a past execution's window, or explicit bounds. */
export type PreviewWindow =
  | { kind: 'local_date'; localDate: string }
  | { kind: 'execution'; executionId: string }
  | { kind: 'range'; windowStart?: Date; windowEnd: Date }
  | { kind: 'latest' };

export interface DigestPreview {
  installationId: string;
  windowStart: Date;
  windowEnd: Date;
  localDate: string | null;
  correlationId: string | null;
  timezone: string;
  text: string;
  lineCount: number;
  truncated: boolean;
  totalSignals: number;
  contentHash: string;
  /** The digest without the line and length budget (what the truncation pointer opens). */
  fullText: string;
  username: string | null;
  iconUrl: string | null;
  channel: string | null;
  retentionDays: number;
  oldestAvailable: Date;
}

function invalid(path: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', `The preview window is invalid: ${path}: ${message}.`, { details: [{ path, message }] });
}

/** The stored config with the unsaved changes over it, validated as PUT /config would. */
function withUnsaved(stored: TDigestConfig, patch: Record<string, unknown> | undefined): TDigestConfig {
  if (!patch) return stored;
  const merged = ZDigestConfig.safeParse({ ...stored, ...patch, mattermost_credential_id: stored.mattermost_credential_id });
  if (!merged.success)
    throw new AppError('VALIDATION_FAILED', 'Some settings need fixing before they can be previewed.', { details: formatZodIssues(merged.error) });
  return merged.data;
}

export async function previewDigest(
  deps: { db: Db; publicUrl?: string },
  input: {
    tenantId: string;
    installationId: string;
    window: PreviewWindow;
    retentionDays: number;
    now?: Date;
    /** Unsaved settings to preview with: merged over the stored config and validated like a save. */
    config?: Record<string, unknown>;
  },
): Promise<DigestPreview> {
  const now = input.now ?? new Date();
  const oldestAvailable = new Date(now.getTime() - input.retentionDays * DAY_MS);
  const tenant = await deps.db.tenant.findUniqueOrThrow({ where: { id: input.tenantId } });
  return withTenant(deps.db, input.tenantId, async (tx) => {
    const installation = await tx.installation.findUnique({ where: { id: input.installationId } });
    if (!installation) throw new AppError('INSTALLATION_NOT_FOUND', 'No such installation in this tenant.');
    const config = withUnsaved(storedDigestConfig(installation.config), input.config);

    let windowStart: Date;
    let windowEnd: Date;
    let localDate: string | null = null;
    let correlationId: string | null = null;
    const w = input.window;
    if (w.kind === 'execution') {
      const execution = await tx.execution.findUnique({ where: { id: w.executionId } });
      if (!execution || execution.installationId !== installation.id) throw new AppError('EXECUTION_NOT_FOUND', 'No such run of this installation.');
      ({ windowStart, windowEnd, correlationId } = execution);
    } else if (w.kind === 'range') {
      windowEnd = w.windowEnd;
      windowStart = w.windowStart ?? new Date(windowEnd.getTime() - DAY_MS);
    } else {
      // A scheduled digest's window: the local date's [HH:MM of the day before, HH:MM).
      const nominal = w.kind === 'local_date' ? localTimeToInstant(w.localDate, config.schedule_time, config.timezone) : now;
      const identity = digestRunIdentity({
        nominal,
        scheduleTime: config.schedule_time,
        timezone: config.timezone,
        tenantId: input.tenantId,
        installationId: installation.id,
        channel: config.channel,
      });
      ({ windowStart, windowEnd, localDate, correlationId } = identity);
    }
    if (!(windowStart < windowEnd)) throw invalid('window_start', 'must be before window_end');
    if (windowEnd > now) throw invalid('window_end', 'must not be in the future: a preview replays a past window');
    if (windowStart < oldestAvailable) {
      throw invalid(
        'window_start',
        `is outside signal retention (${input.retentionDays} days): signals before ${oldestAvailable.toISOString()} have been purged`,
      );
    }

    const stats = await collectDigestStats(tx, { tenantId: input.tenantId, tenantName: tenant.name, timezone: config.timezone, windowStart, windowEnd });
    const rendered = renderDigest(stats, config, { publicUrl: deps.publicUrl, correlationId });
    const digest = rendered.posted;
    return {
      installationId: installation.id,
      windowStart,
      windowEnd,
      localDate,
      correlationId,
      timezone: config.timezone,
      text: digest.text,
      lineCount: digest.lineCount,
      truncated: digest.truncated,
      totalSignals: stats.totalSignals,
      contentHash: rendered.contentHash,
      fullText: rendered.full.text,
      username: rendered.username,
      iconUrl: rendered.iconUrl,
      channel: rendered.channel,
      retentionDays: input.retentionDays,
      oldestAvailable,
    };
  });
}
