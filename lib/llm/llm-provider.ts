// Which OpenAI-compatible endpoint a tenant's summary goes to: the tenant's own connection (its
// key, stored encrypted as a tenant integration) when it has one, else the platform's default from
// the environment. The API key lives only in this in-memory value inside the activity that calls
// the model: never in a workflow or activity argument or result, a log line, a signal or an error.
import type { TConfig } from '../config';
import { parseModelPrices, type ModelPrice, type ModelPrices } from './model-prices';

export type LlmProviderSource = 'platform' | 'tenant';

export interface LlmProvider {
  source: LlmProviderSource;
  baseUrl: string;
  model: string;
  /** Secret. Ollama and some vLLM set-ups need none. */
  apiKey: string | null;
  /** USD per 1k tokens; null: unknown, so the model is not called (its cost could not be capped). */
  price: ModelPrice | null;
  /** The tenant integration it came from. */
  credentialId?: string;
}

/** The platform's LLM settings (lib/config.ts), parsed once per process. */
export interface PlatformLlm {
  /** Null when LLM_BASE_URL or LLM_MODEL is unset. */
  provider: LlmProvider | null;
  prices: ModelPrices;
  monthlyBudgetUsd: number;
  maxTokensPerRun: number;
  timeoutMs: number;
  /** Hosts a tenant's own base URL may use although private (OUTBOUND_ALLOWED_HOSTS). */
  allowedHosts: readonly string[];
}

type LlmConfig = Pick<
  TConfig,
  | 'LLM_BASE_URL'
  | 'LLM_API_KEY'
  | 'LLM_MODEL'
  | 'LLM_MODEL_PRICES'
  | 'LLM_MONTHLY_BUDGET_USD'
  | 'LLM_MAX_TOKENS_PER_RUN'
  | 'LLM_TIMEOUT_MS'
  | 'OUTBOUND_ALLOWED_HOSTS'
>;

export function platformLlmFromConfig(config: LlmConfig): PlatformLlm {
  const prices = parseModelPrices(config.LLM_MODEL_PRICES);
  const provider: LlmProvider | null =
    config.LLM_BASE_URL && config.LLM_MODEL
      ? {
          source: 'platform',
          baseUrl: config.LLM_BASE_URL.replace(/\/+$/, ''),
          model: config.LLM_MODEL,
          apiKey: config.LLM_API_KEY ?? null,
          price: prices.get(config.LLM_MODEL) ?? null,
        }
      : null;
  return Object.freeze({
    provider,
    prices,
    monthlyBudgetUsd: config.LLM_MONTHLY_BUDGET_USD,
    maxTokensPerRun: config.LLM_MAX_TOKENS_PER_RUN,
    timeoutMs: config.LLM_TIMEOUT_MS,
    allowedHosts: config.OUTBOUND_ALLOWED_HOSTS,
  });
}

/** What can be shown about a provider: never the key. */
export function describeProvider(provider: LlmProvider): { source: LlmProviderSource; host: string; model: string; priced: boolean } {
  let host = 'unknown';
  try {
    host = new URL(provider.baseUrl).host;
  } catch {
    // unparseable base URL: shown as unknown
  }
  return { source: provider.source, host, model: provider.model, priced: provider.price !== null };
}
