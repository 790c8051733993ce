// Aggregates the window's signals in SQL, renders the deterministic Markdown digest, and keeps
// the message (and the full digest behind its truncation pointer) with the run, so FleetPrompt
// can show what it posted (lib/digest/render-digest.ts; purged with the signals' retention).
import { withTenant } from '../../lib/db/with-tenant';
import { collectDigestStats } from '../../lib/digest/collect-digest-stats';
import { renderDigest } from '../../lib/digest/render-digest';
import { appendExecutionLog } from '../../lib/executions/execution-log';
import { storedDigestConfig } from '../../lib/packages/digest-config';
import { SIGNAL_TYPES } from '../../lib/signals/catalogue';
import { emitSignal } from '../../lib/signals/emit-signal';
import type { ActivityDeps } from '../deps';
import type { DigestRunContext, GeneratedDigest } from './digest-run-types';

export function createGenerateDigest(deps: ActivityDeps) {
  return async function generateDigest(ctx: DigestRunContext): Promise<GeneratedDigest> {
    const tenant = await deps.db.tenant.findUniqueOrThrow({ where: { id: ctx.tenantId } });
    return withTenant(deps.db, ctx.tenantId, async (tx) => {
      const [installation, execution] = await Promise.all([
        tx.installation.findUniqueOrThrow({ where: { id: ctx.installationId } }),
        tx.execution.findUniqueOrThrow({ where: { id: ctx.executionId } }),
      ]);
      const config = storedDigestConfig(installation.config);
      const stats = await collectDigestStats(tx, { tenantId: ctx.tenantId, tenantName: tenant.name, timezone: config.timezone, windowStart: execution.windowStart, windowEnd: execution.windowEnd });
      const rendered = renderDigest(stats, config, { publicUrl: deps.publicUrl, correlationId: ctx.correlationId });
      const digest = rendered.posted;
      const contentHash = rendered.contentHash;
      const facts = { total_signals: stats.totalSignals, failures: stats.failures.length, line_count: digest.lineCount, truncated: digest.truncated, content_hash: contentHash.slice(0, 16) };
      // One row per run (an activity retry rewrites the same row).
      const message = { text: digest.text, fullText: rendered.full.text, truncated: digest.truncated, lineCount: digest.lineCount, contentHash, username: rendered.username, iconUrl: rendered.iconUrl, channel: rendered.channel };
      await tx.digestMessage.upsert({
        where: { executionId: ctx.executionId },
        create: { tenantId: ctx.tenantId, executionId: ctx.executionId, installationId: ctx.installationId, correlationId: ctx.correlationId, ...message },
        update: message,
      });
      await appendExecutionLog(tx, { ...ctx, level: 'info', message: 'Digest generated', data: facts });
      await emitSignal(tx, {
        tenantId: ctx.tenantId,
        type: SIGNAL_TYPES.digestGenerated,
        source: 'fleetprompt.digest',
        subject: `installation:${ctx.installationId}`,
        correlationId: ctx.correlationId,
        causationId: ctx.executionId,
        dedupeKey: `${ctx.executionId}:digest.generated`,
        payload: { execution_id: ctx.executionId, ...facts },
      });
      return { text: digest.text, contentHash, lineCount: digest.lineCount, truncated: digest.truncated, totalSignals: stats.totalSignals };
    });
  };
}
