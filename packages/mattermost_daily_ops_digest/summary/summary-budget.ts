// Cost caps, checked before a model is called: the per-run token limit (prompt estimate plus the
// completion allowance) and the tenant's monthly budget (this month's recorded spend plus the
// call's worst-case cost). The month is the UTC calendar month.
import type { Tx } from '../../../lib/db/with-tenant';
import { costUsd, type ModelPrice } from '../../../lib/llm/model-prices';

/** Room for three sentences; reasoning models spend part of it thinking. */
export const SUMMARY_MAX_COMPLETION_TOKENS = 400;
const MIN_COMPLETION_TOKENS = 100;

export interface SummaryCaps {
  monthlyBudgetUsd: number;
  maxTokensPerRun: number;
}

export type SummaryPlan = { go: true; maxCompletionTokens: number; worstCaseCostUsd: number } | { go: false; outcome: 'budget_exceeded' | 'token_limit' };

export function planSummaryCall(input: { promptTokenEstimate: number; price: ModelPrice; caps: SummaryCaps; spentUsd: number }): SummaryPlan {
  const room = input.caps.maxTokensPerRun - input.promptTokenEstimate;
  if (room < MIN_COMPLETION_TOKENS) return { go: false, outcome: 'token_limit' };
  const maxCompletionTokens = Math.min(SUMMARY_MAX_COMPLETION_TOKENS, room);
  const worstCaseCostUsd = costUsd(input.price, { promptTokens: input.promptTokenEstimate, completionTokens: maxCompletionTokens });
  if (input.spentUsd + worstCaseCostUsd > input.caps.monthlyBudgetUsd) return { go: false, outcome: 'budget_exceeded' };
  return { go: true, maxCompletionTokens, worstCaseCostUsd };
}

export function monthStartUtc(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

/** The tenant's recorded LLM spend (USD) since the start of `now`'s UTC month. */
export async function spentThisMonth(tx: Tx, tenantId: string, now: Date): Promise<number> {
  const agg = await tx.llmSummary.aggregate({ where: { tenantId, createdAt: { gte: monthStartUtc(now) } }, _sum: { costUsd: true } });
  return Number(agg._sum.costUsd ?? 0);
}
