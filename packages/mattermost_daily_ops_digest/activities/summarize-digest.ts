// The digest's optional LLM summary, once per posting. The row in llm_summaries (keyed by the
// run's dedupe key, which a Retry shares) is claimed first: a settled row is returned as it is —
// the model is never called again for that digest — and a fresh claim by a live attempt is waited
// for. Then the caps are checked (per-run token limit; monthly budget, reserving the call's
// worst-case cost so concurrent runs cannot overspend), the model is called once, and the
// sanitised answer or the fallback outcome is stored with the usage and cost. Transient failures
// (429, 5xx, timeouts) are retried by Temporal within SUMMARY_MAX_ATTEMPTS; on the last attempt,
// or for any other failure, the fallback is recorded instead of thrown. The API key is resolved
// here and lives only in this function's memory.
import { ApplicationFailure, Context } from '@temporalio/activity';
import { revokeCredential } from '../../../lib/credentials/revoke-credential';
import { runStats } from './run-stats';
import type { LlmSummary } from '../../../lib/db/generated/client';
import { withTenant, type Tx } from '../../../lib/db/with-tenant';
import { appendExecutionLog } from '../../../lib/executions/execution-log';
import { describeProvider, type LlmProvider } from '../../../lib/llm/llm-provider';
import { costUsd } from '../../../lib/llm/model-prices';
import { requestSummary, type SummaryCallResult, type SummaryUsage } from '../summary/request-summary';
import { sanitizeSummary } from '../summary/summary-answer';
import { planSummaryCall, spentThisMonth } from '../summary/summary-budget';
import type { SummaryOutcome } from '../summary/summary-outcome';
import { SUMMARY_ATTEMPT_TIMEOUT_MS, SUMMARY_MAX_ATTEMPTS, SUMMARY_MAX_RETRY_WAIT_MS } from '../summary/summary-policy';
import { buildSummaryPrompt, estimatePromptTokens } from '../summary/summary-prompt';
import { summaryCaps } from '../summary/summary-settings';
import { findTenantLlmCredential, tenantProvider } from '../../../lib/llm/tenant-llm-credential';
import { recordLlmCall, recordLlmSummary } from '../summary/llm-metrics';
import { rememberSecrets } from '../../../lib/secrets/secret-scope';
import type { ActivityDeps } from '../../../activities/deps';
import type { DigestRunContext, SummaryFacts } from './digest-run-types';

// A claim younger than one attempt's start-to-close timeout may belong to a live attempt.
const CLAIM_FRESH_MS = SUMMARY_ATTEMPT_TIMEOUT_MS + 1_000;

export function summaryFacts(
  row: Pick<LlmSummary, 'outcome' | 'model' | 'promptTokens' | 'completionTokens'> & { costUsd: LlmSummary['costUsd'] | string },
): SummaryFacts {
  return {
    outcome: row.outcome ?? 'failed',
    model: row.model,
    prompt_tokens: row.promptTokens,
    completion_tokens: row.completionTokens,
    cost_usd: Number(row.costUsd),
  };
}

type Claim = { state: 'settled'; row: LlmSummary } | { state: 'busy'; row: LlmSummary } | { state: 'claimed'; row: LlmSummary };

async function claimSummary(tx: Tx, ctx: DigestRunContext, freshForMs: number): Promise<Claim> {
  await tx.llmSummary.createMany({
    data: [{ tenantId: ctx.tenantId, installationId: ctx.installationId, executionId: ctx.executionId, dedupeKey: ctx.dedupeKey, status: 'pending' }],
    skipDuplicates: true,
  });
  const [locked] = await tx.$queryRaw<{ id: string }[]>`
    select id from llm_summaries where tenant_id = ${ctx.tenantId}::uuid and dedupe_key = ${ctx.dedupeKey} for update`;
  const row = await tx.llmSummary.findUniqueOrThrow({ where: { id: locked.id } });
  if (row.status === 'done') return { state: 'settled', row };
  if (row.claimedAt && Date.now() - row.claimedAt.getTime() < freshForMs) return { state: 'busy', row };
  const claimed = await tx.llmSummary.update({
    where: { id: row.id },
    data: { claimedAt: new Date(), attempts: { increment: 1 }, executionId: ctx.executionId },
  });
  return { state: 'claimed', row: claimed };
}

export function createSummarizeDigest(deps: ActivityDeps) {
  async function resolveProvider(tx: Tx): Promise<LlmProvider | null> {
    const own = await findTenantLlmCredential(tx);
    if (own && own.status === 'connected' && deps.keyring) {
      try {
        return tenantProvider(own, deps.keyring, deps.llm);
      } catch {
        // An unreadable key (rotated away, tampered) is a fallback, not a failed digest.
        return null;
      }
    }
    const platform = deps.llm?.provider ?? null;
    // The platform key is scrubbed from whatever this attempt logs or fails with.
    if (platform?.apiKey) rememberSecrets([platform.apiKey]);
    return platform;
  }

  /** Settles the row (unless generateDigest already gave up on it: then only the bill is added). */
  async function settle(
    ctx: DigestRunContext,
    rowId: string,
    input: { outcome: SummaryOutcome; text?: string | null; provider?: LlmProvider | null; usage?: SummaryUsage; durationMs?: number },
  ): Promise<SummaryFacts> {
    const usage = input.usage ?? { promptTokens: 0, completionTokens: 0, estimated: false };
    const cost = input.provider?.price && input.usage ? costUsd(input.provider.price, usage) : 0;
    return withTenant(deps.db, ctx.tenantId, async (tx) => {
      const data = {
        status: 'done',
        outcome: input.outcome,
        text: input.text ?? null,
        providerSource: input.provider?.source ?? null,
        model: input.provider?.model ?? null,
        promptTokens: usage.promptTokens,
        completionTokens: usage.completionTokens,
        usageEstimated: usage.estimated,
        costUsd: cost,
        durationMs: input.durationMs ?? null,
        completedAt: new Date(),
        claimedAt: null,
      };
      const updated = await tx.llmSummary.updateMany({ where: { id: rowId, status: 'pending' }, data });
      if (updated.count === 0 && cost > 0) {
        await tx.llmSummary.update({
          where: { id: rowId },
          data: { promptTokens: { increment: usage.promptTokens }, completionTokens: { increment: usage.completionTokens }, costUsd: { increment: cost } },
        });
      }
      // The tenant's own key was refused: mark it, so the installation page asks for a new one.
      if (input.outcome === 'auth' && input.provider?.source === 'tenant' && input.provider.credentialId) {
        await revokeCredential(tx, {
          tenantId: ctx.tenantId,
          credentialId: input.provider.credentialId,
          reason: 'rejected_by_server',
          correlationId: ctx.correlationId,
        });
      }
      const row = await tx.llmSummary.findUniqueOrThrow({ where: { id: rowId } });
      const facts = summaryFacts(row);
      await appendExecutionLog(tx, {
        ...ctx,
        level: input.outcome === 'ok' ? 'info' : 'warn',
        message: input.outcome === 'ok' ? 'LLM summary generated' : `No LLM summary: ${input.outcome}`,
        data: { ...facts, source: row.providerSource, usage_estimated: row.usageEstimated, duration_ms: row.durationMs },
      });
      recordLlmSummary({
        outcome: input.outcome,
        source: input.provider?.source ?? null,
        promptTokens: usage.promptTokens,
        completionTokens: usage.completionTokens,
        costUsd: cost,
      });
      deps.logger.info(
        {
          tenantId: ctx.tenantId,
          executionId: ctx.executionId,
          correlationId: ctx.correlationId,
          ...facts,
          host: input.provider ? describeProvider(input.provider).host : null,
        },
        'digest summary settled',
      );
      return facts;
    });
  }

  return async function summarizeDigest(ctx: DigestRunContext): Promise<SummaryFacts> {
    const attempt = Context.current().info.attempt;
    const timeoutMs = deps.llm?.timeoutMs ?? 15_000;
    const claim = await withTenant(deps.db, ctx.tenantId, (tx) => claimSummary(tx, ctx, CLAIM_FRESH_MS));
    if (claim.state === 'settled') return summaryFacts(claim.row);
    if (claim.state === 'busy') {
      const age = Date.now() - (claim.row.claimedAt?.getTime() ?? Date.now());
      throw ApplicationFailure.create({
        message: 'Another attempt is generating this summary.',
        type: 'in_flight',
        nextRetryDelay: Math.max(1_000, CLAIM_FRESH_MS - age),
      });
    }
    const rowId = claim.row.id;

    const prepared = await withTenant(deps.db, ctx.tenantId, async (tx) => {
      const provider = await resolveProvider(tx);
      if (!provider) return { outcome: 'not_configured' as const, provider };
      if (!provider.price) return { outcome: 'unpriced_model' as const, provider };
      const { installation, stats } = await runStats(tx, ctx);
      const messages = buildSummaryPrompt(stats);
      const promptTokenEstimate = estimatePromptTokens(messages);
      // One tenant's budget checks run one at a time; each reserves its worst case on its own row.
      await tx.$executeRaw`select pg_advisory_xact_lock(hashtext(${`llm-budget:${ctx.tenantId}`}))`;
      const spentUsd = await spentThisMonth(tx, ctx.tenantId, new Date());
      const plan = planSummaryCall({ promptTokenEstimate, price: provider.price, caps: summaryCaps(installation.config, deps.llm), spentUsd });
      if (!plan.go) return { outcome: plan.outcome, provider };
      await tx.llmSummary.update({ where: { id: rowId }, data: { costUsd: plan.worstCaseCostUsd, model: provider.model, providerSource: provider.source } });
      return { outcome: null, provider, messages, promptTokenEstimate, maxCompletionTokens: plan.maxCompletionTokens };
    });
    if (prepared.outcome !== null) return settle(ctx, rowId, { outcome: prepared.outcome, provider: prepared.provider });

    const { provider } = prepared;
    const started = Date.now();
    const result: SummaryCallResult = await requestSummary(provider, prepared.messages, {
      maxCompletionTokens: prepared.maxCompletionTokens,
      timeoutMs,
      allowedHosts: deps.llm?.allowedHosts ?? [],
      promptTokenEstimate: prepared.promptTokenEstimate,
    });
    const durationMs = Date.now() - started;
    recordLlmCall({ outcome: result.ok ? 'ok' : result.kind, seconds: durationMs / 1000 });

    if (result.ok) {
      const lines = sanitizeSummary(result.text);
      return settle(ctx, rowId, { outcome: lines ? 'ok' : 'empty', text: lines?.join('\n') ?? null, provider, usage: result.usage, durationMs });
    }
    const waitMs = result.retryAfterMs ?? 0;
    if (result.retryable && attempt < SUMMARY_MAX_ATTEMPTS && waitMs <= SUMMARY_MAX_RETRY_WAIT_MS) {
      // Release the claim and the reservation; the next attempt starts over.
      await withTenant(deps.db, ctx.tenantId, (tx) =>
        tx.llmSummary.updateMany({ where: { id: rowId, status: 'pending' }, data: { claimedAt: null, costUsd: 0 } }),
      );
      throw ApplicationFailure.create({
        message: `The LLM provider failed (${result.kind}${result.status ? ` ${result.status}` : ''}); retrying.`,
        type: `llm_${result.kind}`,
        nextRetryDelay: waitMs > 0 ? waitMs : undefined,
      });
    }
    return settle(ctx, rowId, { outcome: result.kind, provider, usage: result.usage, durationMs });
  };
}
