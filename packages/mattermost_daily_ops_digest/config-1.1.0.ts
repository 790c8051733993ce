// Version 1.1.0: the LLM summary with cost caps. The live schema is ZDigestConfig +
// DEFAULT_DIGEST_CONFIG in ./config.ts; 1.1.0 adds llm_monthly_budget_usd and
// llm_max_tokens_per_run (null = the platform default) and makes include_llm_summary take effect
// (summary/summary-settings.ts). The upgrade from 1.0.0 below keeps every 1.0.0 setting as it was
// (include_llm_summary included) and fills the new ones from their defaults.
import { configSchemaWithDefaults } from '../../lib/packages/config-schema';
import type { ConfigRecord } from '../../lib/packages/contract';
import { DEFAULT_DIGEST_CONFIG, ZDigestConfig } from './config';

export const DIGEST_CONFIG_1_1_0 = configSchemaWithDefaults(ZDigestConfig.shape, DEFAULT_DIGEST_CONFIG);

/** 1.0.0 → 1.1.0: keep every setting, add 1.1.0's new ones at their defaults. */
export function migrateDigestConfig_1_0_0_to_1_1_0(config: ConfigRecord): ConfigRecord {
  const kept = Object.fromEntries(Object.entries(config).filter(([key]) => key in DIGEST_CONFIG_1_1_0.shape));
  return { ...DEFAULT_DIGEST_CONFIG, ...kept };
}
