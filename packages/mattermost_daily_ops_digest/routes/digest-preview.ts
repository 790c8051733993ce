// Replay a digest: GET /installations/:id/digest-preview re-generates the digest for a past window
// inside signal retention, exactly as a run would format it, and returns it as a preview. It never
// posts, and touches neither the posting ledger nor executions nor signals (../preview-digest.ts).
import { Router, type Response } from 'express';
import { DEFAULT_SIGNAL_RETENTION_DAYS, previewDigest, type PreviewWindow } from '../preview-digest';
import { isLocalDate } from '../../../lib/schedule/local-date';
import type { AppDeps } from '../../../api/app-deps';
import { tenantOf } from '../../../api/middleware/auth';
import { parseInput } from '../../../api/middleware/parse';
import { setRequestCorrelationId } from '../../../api/middleware/request-context';
import { ZDigestPreviewBody, ZDigestPreviewQuery, type TDigestPreviewQuery } from './digest-preview.schemas';
import { ZIdParam } from '../../../api/routes/installations.schemas';
import { AppError } from '../../../lib/errors/app-error';

export function digestPreviewRouter(deps: Pick<AppDeps, 'db' | 'auth' | 'signalRetentionDays' | 'publicUrl'>): Router {
  const router = Router({ mergeParams: true });

  // GET replays a past window with the saved settings; POST previews unsaved settings (the
  // body's `config`, merged over the saved ones) — both read only, neither posts.
  router.get('/:id/digest-preview', (req, res) => preview(req.params.id, parseInput(ZDigestPreviewQuery, req.query, 'query'), undefined, res));
  router.post('/:id/digest-preview', (req, res) => {
    const body = parseInput(ZDigestPreviewBody, req.body ?? {}, 'preview request');
    const { config, ...window } = body;
    return preview(req.params.id, window, config, res, 'last_24h');
  });

  // No window given: GET replays the latest scheduled window; POST (the settings preview) shows
  // the last 24 hours up to now, as Run now would post them.
  async function preview(
    rawId: unknown,
    q: TDigestPreviewQuery,
    config: Record<string, unknown> | undefined,
    res: Response,
    fallback: 'latest' | 'last_24h' = 'latest',
  ) {
    const id = parseInput(ZIdParam, rawId, 'installation id');
    if (q.local_date && !isLocalDate(q.local_date)) {
      throw new AppError('VALIDATION_FAILED', 'The query is invalid: local_date: is not a calendar date.', {
        details: [{ path: 'local_date', message: 'is not a calendar date' }],
      });
    }
    const window: PreviewWindow = q.local_date
      ? { kind: 'local_date', localDate: q.local_date }
      : q.execution_id
        ? { kind: 'execution', executionId: q.execution_id }
        : q.window_end
          ? { kind: 'range', windowEnd: new Date(q.window_end), windowStart: q.window_start ? new Date(q.window_start) : undefined }
          : fallback === 'last_24h'
            ? { kind: 'range', windowEnd: new Date() }
            : { kind: 'latest' };
    const tenant = tenantOf(res);
    const preview = await previewDigest(
      { db: deps.db, publicUrl: deps.publicUrl ?? deps.auth?.publicUrl },
      { tenantId: tenant.id, installationId: id, window, retentionDays: deps.signalRetentionDays ?? DEFAULT_SIGNAL_RETENTION_DAYS, config },
    );
    if (preview.correlationId) setRequestCorrelationId(res, preview.correlationId);
    res.set('Cache-Control', 'no-store').json({
      preview: true,
      posted: false,
      installation_id: preview.installationId,
      window_start: preview.windowStart,
      window_end: preview.windowEnd,
      local_date: preview.localDate,
      correlation_id: preview.correlationId,
      timezone: preview.timezone,
      text: preview.text,
      line_count: preview.lineCount,
      truncated: preview.truncated,
      total_signals: preview.totalSignals,
      content_hash: preview.contentHash,
      full_text: preview.fullText,
      // How the post names its sender: the overrides as sent (shown only if the server allows them).
      username: preview.username,
      icon_url: preview.iconUrl,
      channel: preview.channel,
      retention: { days: preview.retentionDays, oldest_available: preview.oldestAvailable },
    });
  }

  return router;
}
