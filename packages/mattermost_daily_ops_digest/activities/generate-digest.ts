// Aggregates the window's signals in SQL, renders the deterministic Markdown digest, and keeps
// the message (and the full digest behind its truncation pointer) with the run, so FleetPrompt
// can show what it posted (../render-digest.ts; purged with the signals' retention).
// When the installation asks for an LLM summary, the one stored for this posting (or its one-line
// fallback note) goes under the header; the content hash covers it.
import { withTenant, type Tx } from '../../../lib/db/with-tenant';
import { renderDigest } from '../render-digest';
import { appendExecutionLog } from '../../../lib/executions/execution-log';
import { isSummaryOutcome, summaryLines, type SummaryOutcome } from '../summary/summary-outcome';
import { SIGNAL_TYPES } from '../../../lib/signals/catalogue';
import { emitSignal } from '../../../lib/signals/emit-signal';
import type { ActivityDeps } from '../../../activities/deps';
import type { DigestRunContext, GeneratedDigest, SummaryFacts } from './digest-run-types';
import { runStats } from './run-stats';
import { summaryFacts } from './summarize-digest';

export function createGenerateDigest(deps: ActivityDeps) {
  return async function generateDigest(ctx: DigestRunContext): Promise<GeneratedDigest> {
    return withTenant(deps.db, ctx.tenantId, async (tx) => {
      const { config, stats } = await runStats(tx, ctx);
      const summary = ctx.llmSummary ? await storedSummary(tx, ctx) : null;
      const rendered = renderDigest(
        stats,
        config,
        { publicUrl: deps.publicUrl, correlationId: ctx.correlationId },
        summary ? summaryLines(summary.outcome, summary.text) : [],
      );
      const digest = rendered.posted;
      const contentHash = rendered.contentHash;
      const facts = {
        total_signals: stats.totalSignals,
        failures: stats.failures.length,
        line_count: digest.lineCount,
        truncated: digest.truncated,
        content_hash: contentHash.slice(0, 16),
      };
      // One row per run (an activity retry rewrites the same row).
      const message = {
        text: digest.text,
        fullText: rendered.full.text,
        truncated: digest.truncated,
        lineCount: digest.lineCount,
        contentHash,
        username: rendered.username,
        iconUrl: rendered.iconUrl,
        channel: rendered.channel,
      };
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
        payload: { execution_id: ctx.executionId, ...facts, ...(summary ? { summary: summary.facts } : {}) },
      });
      return { text: digest.text, contentHash, lineCount: digest.lineCount, truncated: digest.truncated, totalSignals: stats.totalSignals };
    });
  };
}

/**
 * The summary stored for this posting (a Retry finds its original's). When the summary step never
 * settled it (its activity ran out of attempts), the fallback is recorded now, once, so every later
 * attempt and Retry renders the same text.
 */
async function storedSummary(tx: Tx, ctx: DigestRunContext): Promise<{ outcome: SummaryOutcome; text: string | null; facts: SummaryFacts }> {
  await tx.llmSummary.createMany({
    data: [
      {
        tenantId: ctx.tenantId,
        installationId: ctx.installationId,
        executionId: ctx.executionId,
        dedupeKey: ctx.dedupeKey,
        status: 'done',
        outcome: 'failed',
        completedAt: new Date(),
      },
    ],
    skipDuplicates: true,
  });
  await tx.llmSummary.updateMany({
    where: { tenantId: ctx.tenantId, dedupeKey: ctx.dedupeKey, status: 'pending' },
    data: { status: 'done', outcome: 'failed', text: null, claimedAt: null, completedAt: new Date() },
  });
  const row = await tx.llmSummary.findUniqueOrThrow({ where: { tenantId_dedupeKey: { tenantId: ctx.tenantId, dedupeKey: ctx.dedupeKey } } });
  const outcome = isSummaryOutcome(row.outcome) ? row.outcome : 'failed';
  return { outcome, text: outcome === 'ok' ? row.text : null, facts: summaryFacts(row) };
}
