// Aggregates the window's signals in SQL, renders the deterministic Markdown digest, and keeps
// the message (and the full digest behind its truncation pointer) with the run, so FleetPrompt
// can show what it posted (../render-digest.ts; purged with the signals' retention).
// When the installation asks for an LLM summary, the one stored for this posting (or its one-line
// fallback note) goes under the header; the content hash covers it.
// Raw SQL on the worker's pg pool (digest-run-rows.ts; issue 12), one transaction as before.
import { sqlExecute, sqlRow, withTenantSql, type SqlClient } from '../../../lib/db/raw-sql';
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
    return withTenantSql(deps.db, ctx.tenantId, async (tx) => {
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
      // One row per run (an activity retry rewrites the same row). The id as Prisma's @default(uuid()) made it.
      await sqlExecute(
        tx,
        `insert into digest_messages (id, tenant_id, execution_id, installation_id, correlation_id, text, full_text, truncated, line_count, content_hash, username, icon_url, channel)
         values (gen_random_uuid(), $1::uuid, $2::uuid, $3::uuid, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         on conflict (execution_id) do update set text = excluded.text, full_text = excluded.full_text, truncated = excluded.truncated, line_count = excluded.line_count,
           content_hash = excluded.content_hash, username = excluded.username, icon_url = excluded.icon_url, channel = excluded.channel`,
        [
          ctx.tenantId,
          ctx.executionId,
          ctx.installationId,
          ctx.correlationId,
          digest.text,
          rendered.full.text,
          digest.truncated,
          digest.lineCount,
          contentHash,
          rendered.username ?? null,
          rendered.iconUrl ?? null,
          rendered.channel ?? null,
        ],
      );
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
async function storedSummary(tx: SqlClient, ctx: DigestRunContext): Promise<{ outcome: SummaryOutcome; text: string | null; facts: SummaryFacts }> {
  const now = new Date();
  // createMany with skipDuplicates, as it was: the fallback row unless one exists for this posting.
  await sqlExecute(
    tx,
    `insert into llm_summaries (id, tenant_id, installation_id, execution_id, dedupe_key, status, outcome, completed_at)
     values (gen_random_uuid(), $1::uuid, $2::uuid, $3::uuid, $4, 'done', 'failed', $5::timestamptz) on conflict do nothing`,
    [ctx.tenantId, ctx.installationId, ctx.executionId, ctx.dedupeKey, now],
  );
  await sqlExecute(
    tx,
    `update llm_summaries set status = 'done', outcome = 'failed', text = null, claimed_at = null, completed_at = $3::timestamptz
      where tenant_id = $1::uuid and dedupe_key = $2 and status = 'pending'`,
    [ctx.tenantId, ctx.dedupeKey, now],
  );
  const row = await sqlRow<{
    outcome: string | null;
    text: string | null;
    model: string | null;
    promptTokens: number;
    completionTokens: number;
    costUsd: string;
  }>(
    tx,
    `select outcome, text, model, prompt_tokens as "promptTokens", completion_tokens as "completionTokens", cost_usd::text as "costUsd"
       from llm_summaries where tenant_id = $1::uuid and dedupe_key = $2`,
    [ctx.tenantId, ctx.dedupeKey],
  );
  if (!row) throw new Error('The summary row of this posting is missing.');
  const outcome = isSummaryOutcome(row.outcome) ? row.outcome : 'failed';
  return { outcome, text: outcome === 'ok' ? row.text : null, facts: summaryFacts(row) };
}
