// npm run llm:check — sends one real summary request to the LLM provider the environment names
// (LLM_BASE_URL, LLM_API_KEY, LLM_MODEL, LLM_MODEL_PRICES), built exactly as a digest run builds
// it (from a sample busy day's aggregate stats), so an operator can check a provider before
// turning the summary on. Prints one JSON line: outcome, tokens, cost, latency and the summary as
// it would be posted. Never prints the key. Exit 0 when a usable summary came back, else 1.
import { loadConfig } from '../../../lib/config';
import type { DigestStats } from '../digest-stats';
import { describeProvider, platformLlmFromConfig } from '../../../lib/llm/llm-provider';
import { costUsd } from '../../../lib/llm/model-prices';
import { requestSummary } from '../summary/request-summary';
import { sanitizeSummary } from '../summary/summary-answer';
import { SUMMARY_MAX_COMPLETION_TOKENS } from '../summary/summary-budget';
import { buildSummaryPrompt, estimatePromptTokens } from '../summary/summary-prompt';

const HOUR = 3_600_000;

/** A busy day: the shape a digest run aggregates (no real tenant's data). */
export function sampleStats(now = Date.now()): DigestStats {
  const kinds = ['network', 'auth', 'validation', 'rate_limit', 'unknown'];
  return {
    tenantName: 'llm:check',
    windowStart: new Date(now - 24 * HOUR),
    windowEnd: new Date(now),
    timezone: 'UTC',
    installs: { requested: 4, completed: 3, failed: 1, upgrades: 1, uninstalls: 0 },
    directives: { requested: 6, completed: 5, failed: 1 },
    executions: { completed: 412, failed: 37 },
    workflowRuns: { completed: 96, failed: 4 },
    failures: Array.from({ length: 20 }, (_, i) => ({
      type: i % 3 === 0 ? 'workflow.run.failed' : 'agent.execution.failed',
      subject: `agent:crm-sync-${i % 4}`,
      occurredAt: new Date(now - (i + 1) * 40 * 60_000),
      errorKind: kinds[i % kinds.length],
      message: `upstream CRM rejected batch ${1000 + i}: 3 records failed validation (field "email" missing); retry scheduled`,
    })),
    topErrors: kinds.map((errorKind, i) => ({ errorKind, count: 12 - i * 2 })),
    cost: { totalUsd: 18.42, executionsWithCost: 380 },
    totalSignals: 2_140,
  };
}

async function main(): Promise<number> {
  const config = loadConfig();
  const platform = platformLlmFromConfig(config);
  if (!platform.provider) {
    console.error('llm:check: no LLM provider configured. Set LLM_BASE_URL and LLM_MODEL (and LLM_API_KEY, and the model’s price in LLM_MODEL_PRICES).');
    return 2;
  }
  const provider = platform.provider;
  const messages = buildSummaryPrompt(sampleStats());
  const promptTokenEstimate = estimatePromptTokens(messages);
  const started = Date.now();
  const result = await requestSummary(provider, messages, {
    maxCompletionTokens: Math.min(SUMMARY_MAX_COMPLETION_TOKENS, platform.maxTokensPerRun - promptTokenEstimate),
    timeoutMs: platform.timeoutMs,
    allowedHosts: platform.allowedHosts,
    promptTokenEstimate,
  });
  const durationMs = Date.now() - started;
  const lines = result.ok ? sanitizeSummary(result.text) : null;
  const usage = result.ok ? result.usage : result.usage;
  const report = {
    ...describeProvider(provider),
    outcome: result.ok ? (lines ? 'ok' : 'empty') : result.kind,
    http_status: result.ok ? 200 : (result.status ?? null),
    retry_after_ms: result.ok ? null : (result.retryAfterMs ?? null),
    prompt_tokens_estimate: promptTokenEstimate,
    prompt_tokens: usage?.promptTokens ?? null,
    completion_tokens: usage?.completionTokens ?? null,
    usage_estimated: usage?.estimated ?? null,
    cost_usd: usage && provider.price ? costUsd(provider.price, usage) : null,
    duration_ms: durationMs,
    summary: lines,
    warnings: provider.price ? [] : [`no price for ${provider.model} in LLM_MODEL_PRICES: digest runs will not call this model`],
  };
  console.log(JSON.stringify(report));
  return report.outcome === 'ok' ? 0 : 1;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(`llm:check: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}
