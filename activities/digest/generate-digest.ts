// Aggregates the window's signals in SQL and renders the deterministic Markdown digest.
import { createHash } from 'node:crypto';
import { withTenant } from '../../lib/db/with-tenant';
import { collectDigestStats } from '../../lib/digest/collect-digest-stats';
import { formatDigest } from '../../lib/digest/format-digest';
import { appendExecutionLog } from '../../lib/executions/execution-log';
import { MATTERMOST_MESSAGE_RUNE_LIMIT } from '../../lib/mattermost';
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
      const adminUrl = deps.publicUrl ? `${deps.publicUrl.replace(/\/$/, '')}/admin?correlation=${encodeURIComponent(ctx.correlationId)}` : undefined;
      const digest = formatDigest(stats, { maxLines: config.max_lines, includeCostEstimates: config.include_cost_estimates, adminUrl, runeBudget: Math.min(12_000, MATTERMOST_MESSAGE_RUNE_LIMIT) });
      const contentHash = createHash('sha256').update(digest.text).digest('hex');
      const facts = { total_signals: stats.totalSignals, failures: stats.failures.length, line_count: digest.lineCount, truncated: digest.truncated, content_hash: contentHash.slice(0, 16) };
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
