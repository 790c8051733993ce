// The digest a run posted, as FleetPrompt keeps it (../activities/generate-digest.ts): by run,
// and by correlation id — the link in a truncated digest's pointer opens the full digest.
import { Router, type Response } from 'express';
import type { DigestMessage } from '../../../lib/db/generated/client';
import { withTenant } from '../../../lib/db/with-tenant';
import { DEFAULT_SIGNAL_RETENTION_DAYS } from '../preview-digest';
import { AppError } from '../../../lib/errors/app-error';
import type { AppDeps } from '../../../api/app-deps';
import { tenantOf } from '../../../api/middleware/auth';
import { parseInput } from '../../../api/middleware/parse';
import { ZDigestMessageQuery } from './digest-messages.schemas';
import { ZIdParam } from '../../../api/routes/installations.schemas';

export function digestMessagesRouter(deps: Pick<AppDeps, 'db' | 'signalRetentionDays'>): { byExecution: Router; byCorrelation: Router } {
  const retentionDays = deps.signalRetentionDays ?? DEFAULT_SIGNAL_RETENTION_DAYS;
  const notFound = () =>
    new AppError(
      'DIGEST_MESSAGE_NOT_FOUND',
      `No digest message is stored for this run: it ended before a digest was generated, or it is older than the ${retentionDays}-day retention and was purged.`,
    );

  const send = async (res: Response, find: (tenantId: string) => Promise<DigestMessage | null>) => {
    const tenant = tenantOf(res);
    const found = await withTenant(deps.db, tenant.id, async (tx) => {
      const message = await find(tenant.id);
      if (!message) return null;
      const execution = await tx.execution.findUnique({ where: { id: message.executionId }, select: { status: true } });
      return { message, status: execution?.status ?? 'pending' };
    });
    if (!found) throw notFound();
    const m = found.message;
    res.set('Cache-Control', 'no-store').json({
      execution_id: m.executionId,
      installation_id: m.installationId,
      correlation_id: m.correlationId,
      text: m.text,
      full_text: m.fullText,
      truncated: m.truncated,
      line_count: m.lineCount,
      content_hash: m.contentHash,
      username: m.username,
      icon_url: m.iconUrl,
      channel: m.channel,
      created_at: m.createdAt,
      run_status: found.status,
      retention_days: retentionDays,
    });
  };

  const byExecution = Router({ mergeParams: true });
  byExecution.get('/:id/message', async (req, res) => {
    const id = parseInput(ZIdParam, req.params.id, 'execution id');
    await send(res, (tenantId) => withTenant(deps.db, tenantId, (tx) => tx.digestMessage.findUnique({ where: { executionId: id } })));
  });

  const byCorrelation = Router({ mergeParams: true });
  byCorrelation.get('/', async (req, res) => {
    const q = parseInput(ZDigestMessageQuery, req.query, 'query');
    await send(res, (tenantId) =>
      withTenant(deps.db, tenantId, (tx) =>
        tx.digestMessage.findFirst({ where: { correlationId: q.correlation_id }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] }),
      ),
    );
  });
  return { byExecution, byCorrelation };
}
