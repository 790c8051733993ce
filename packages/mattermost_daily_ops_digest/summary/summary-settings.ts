// The cost caps one installation's summary runs under: its own settings (digest 1.1.0:
// llm_monthly_budget_usd, llm_max_tokens_per_run; null = the platform default) or the platform's
// defaults from the environment (LLM_MONTHLY_BUDGET_USD, LLM_MAX_TOKENS_PER_RUN).
import { compareVersions } from '../../../lib/packages/semver';
import type { PlatformLlm } from '../../../lib/llm/llm-provider';
import type { SummaryCaps } from './summary-budget';

/** The digest version that ships the summary: older installations' toggle has no effect (and says so). */
export const LLM_SUMMARY_SINCE_VERSION = '1.1.0';

export function summarySupported(packageVersion: string): boolean {
  return /^\d+\.\d+\.\d+$/.test(packageVersion) && compareVersions(packageVersion, LLM_SUMMARY_SINCE_VERSION) >= 0;
}

export const DEFAULT_MONTHLY_BUDGET_USD = 5;
export const DEFAULT_MAX_TOKENS_PER_RUN = 4_000;

export function summaryCaps(rawConfig: unknown, platform: Pick<PlatformLlm, 'monthlyBudgetUsd' | 'maxTokensPerRun'> | undefined): SummaryCaps {
  const config = (rawConfig && typeof rawConfig === 'object' ? rawConfig : {}) as Record<string, unknown>;
  const own = (key: string) => (typeof config[key] === 'number' && Number.isFinite(config[key]) && config[key] >= 0 ? config[key] : null);
  return {
    monthlyBudgetUsd: own('llm_monthly_budget_usd') ?? platform?.monthlyBudgetUsd ?? DEFAULT_MONTHLY_BUDGET_USD,
    maxTokensPerRun: own('llm_max_tokens_per_run') ?? platform?.maxTokensPerRun ?? DEFAULT_MAX_TOKENS_PER_RUN,
  };
}
