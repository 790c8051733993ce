// What the installation page shows about the summary: whether a provider is available (and if
// not, why), which one, and this month's spend against the budget. Never the key.
import type { Tx } from '../../../lib/db/with-tenant';
import { describeProvider, type LlmProvider, type PlatformLlm } from '../../../lib/llm/llm-provider';
import { monthStartUtc, spentThisMonth } from './summary-budget';
import { LLM_SUMMARY_SINCE_VERSION, summaryCaps, summarySupported } from './summary-settings';
import { findTenantLlmCredential, ZLlmMetadata } from '../../../lib/llm/tenant-llm-credential';

export interface LlmStatus {
  available: boolean;
  /** Why the summary cannot run (shown beside the disabled toggle). */
  reason: string | null;
  source: 'platform' | 'tenant' | null;
  host: string | null;
  model: string | null;
  monthly_budget_usd: number;
  spent_this_month_usd: number;
  month_start: string;
  max_tokens_per_run: number;
}

export const NO_PROVIDER_REASON =
  'No LLM provider is configured: an operator sets LLM_BASE_URL and LLM_MODEL, or a tenant admin connects the tenant’s own OpenAI-compatible key.';

/** The provider the next summary would use, without decrypting anything when only facts are needed. */
function describeTenantRow(row: NonNullable<Awaited<ReturnType<typeof findTenantLlmCredential>>>, platform: PlatformLlm | undefined) {
  const meta = ZLlmMetadata.safeParse(row.metadata);
  if (!meta.success) return null;
  const priced = (meta.data.input_per_1k !== null && meta.data.output_per_1k !== null) || Boolean(platform?.prices.has(meta.data.model));
  let host = row.host;
  try {
    host = new URL(meta.data.base_url).host;
  } catch {
    // keep the stored host
  }
  return { source: 'tenant' as const, host, model: meta.data.model, priced };
}

export async function readLlmStatus(
  tx: Tx,
  input: { tenantId: string; packageVersion: string; installationConfig: unknown; platform: PlatformLlm | undefined },
): Promise<LlmStatus> {
  const caps = summaryCaps(input.installationConfig, input.platform);
  const now = new Date();
  const own = await findTenantLlmCredential(tx);
  const ownFacts = own && own.status === 'connected' ? describeTenantRow(own, input.platform) : null;
  const platform: LlmProvider | null = input.platform?.provider ?? null;
  const facts = ownFacts ?? (platform ? describeProvider(platform) : null);
  let reason: string | null = null;
  if (!summarySupported(input.packageVersion))
    reason = `The LLM summary comes with version ${LLM_SUMMARY_SINCE_VERSION} of this package; update the installation to use it.`;
  else if (!facts) reason = own && own.status === 'invalid' ? 'The tenant’s LLM key was refused by its provider; connect a new key.' : NO_PROVIDER_REASON;
  else if (!facts.priced) reason = `The model ${facts.model} has no configured price (LLM_MODEL_PRICES), so its cost could not be capped.`;
  return {
    available: reason === null,
    reason,
    source: facts?.source ?? null,
    host: facts?.host ?? null,
    model: facts?.model ?? null,
    monthly_budget_usd: caps.monthlyBudgetUsd,
    spent_this_month_usd: await spentThisMonth(tx, input.tenantId, now),
    month_start: monthStartUtc(now).toISOString(),
    max_tokens_per_run: caps.maxTokensPerRun,
  };
}
