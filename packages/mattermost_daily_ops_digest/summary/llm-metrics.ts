// The digest summary's telemetry (worker process): outcomes, tokens, spend and model-call latency.
//   fleetprompt_llm_summary_total{outcome,source}      summaries settled, by outcome (ok or the fallback reason)
//   fleetprompt_llm_tokens_total{kind,source}          prompt / completion tokens billed
//   fleetprompt_llm_spend_usd_total{source}            USD billed (per-tenant spend and budget: the installation page / API)
//   fleetprompt_llm_call_duration_seconds{outcome}     one model call
// Labels are closed sets: never a tenant, model name or id.
import { Counter, Histogram } from 'prom-client';
import { isSummaryOutcome } from './summary-outcome';
import { registry } from '../../../lib/metrics/registry';

const SOURCES = new Set(['platform', 'tenant', 'none']);
const bounded = (value: string, ok: (v: string) => boolean, other = 'other') => (ok(value) ? value : other);

export const llmSummaryTotal = new Counter({
  name: 'fleetprompt_llm_summary_total',
  help: 'Digest LLM summaries settled, by outcome (ok, or why the digest went out without one) and provider source.',
  labelNames: ['outcome', 'source'] as const,
  registers: [registry],
});
export const llmTokensTotal = new Counter({
  name: 'fleetprompt_llm_tokens_total',
  help: 'Tokens billed for digest summaries (from the answers’ usage), by kind (prompt | completion) and provider source.',
  labelNames: ['kind', 'source'] as const,
  registers: [registry],
});
export const llmSpendUsdTotal = new Counter({
  name: 'fleetprompt_llm_spend_usd_total',
  help: 'USD spent on digest summaries at the configured model prices, by provider source.',
  labelNames: ['source'] as const,
  registers: [registry],
});
export const llmCallDuration = new Histogram({
  name: 'fleetprompt_llm_call_duration_seconds',
  help: 'One summary request to the LLM provider, by outcome.',
  labelNames: ['outcome'] as const,
  buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20],
  registers: [registry],
});

export function recordLlmSummary(input: { outcome: string; source: string | null; promptTokens: number; completionTokens: number; costUsd: number }): void {
  const source = bounded(input.source ?? 'none', (v) => SOURCES.has(v));
  llmSummaryTotal.inc({ outcome: bounded(input.outcome, isSummaryOutcome), source });
  if (input.promptTokens > 0) llmTokensTotal.inc({ kind: 'prompt', source }, input.promptTokens);
  if (input.completionTokens > 0) llmTokensTotal.inc({ kind: 'completion', source }, input.completionTokens);
  if (input.costUsd > 0) llmSpendUsdTotal.inc({ source }, input.costUsd);
}

export function recordLlmCall(input: { outcome: string; seconds: number }): void {
  llmCallDuration.observe({ outcome: bounded(input.outcome, isSummaryOutcome) }, input.seconds);
}
