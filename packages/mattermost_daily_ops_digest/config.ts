// The digest installation's configuration (the newest version's; config-<version>.ts are the
// published ones, frozen), parsed by zod at every boundary. Each setting's title is its name on
// the package page (the manifest's JSON Schema carries it).
// Stored without secrets: the Mattermost credential is referenced by id only.
import { z } from 'zod';
import { ZChannelName } from '../../lib/mattermost/channel-name';
import { ZScheduleTime, ZTimezone } from '../../lib/schedule/schedule-schemas';

export const ZDigestConfig = z
  .object({
    mattermost_credential_id: z.uuid().nullable().meta({ title: 'Mattermost connection' }),
    timezone: ZTimezone.meta({ title: 'Time zone' }),
    schedule_time: ZScheduleTime.meta({ title: 'Time of day' }),
    enabled: z.boolean().meta({ title: 'Daily digest on' }),
    channel: ZChannelName.nullable().meta({ title: 'Channel' }),
    include_llm_summary: z.boolean().meta({ title: 'Include an LLM summary' }),
    max_lines: z
      .number({ error: 'must be a whole number from 5 to 200' })
      .int('must be a whole number from 5 to 200')
      .min(5, 'must be a whole number from 5 to 200')
      .max(200, 'must be a whole number from 5 to 200')
      .meta({ title: 'Most lines per digest' }),
    include_cost_estimates: z.boolean().meta({ title: 'Include approximate cost' }),
    post_as_username: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1–64 letters, digits, ".", "_" or "-"')
      .nullable()
      .meta({ title: 'Post as' }),
    post_icon_url: z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
      .max(2048)
      .nullable()
      .meta({ title: 'Icon URL' }),
    // 1.1.0: the LLM summary's cost caps; null = the platform default (LLM_MONTHLY_BUDGET_USD,
    // LLM_MAX_TOKENS_PER_RUN). The budget is per tenant and calendar month (UTC).
    llm_monthly_budget_usd: z
      .number({ error: 'must be an amount in USD from 0 to 10000' })
      .min(0, 'must be an amount in USD from 0 to 10000')
      .max(10_000, 'must be an amount in USD from 0 to 10000')
      .nullable()
      .meta({ title: 'LLM budget per month (USD)' }),
    llm_max_tokens_per_run: z
      .number({ error: 'must be a whole number of tokens from 500 to 200000' })
      .int('must be a whole number of tokens from 500 to 200000')
      .min(500, 'must be a whole number of tokens from 500 to 200000')
      .max(200_000, 'must be a whole number of tokens from 500 to 200000')
      .nullable()
      .meta({ title: 'LLM tokens per run' }),
  })
  .strict();

export type TDigestConfig = z.infer<typeof ZDigestConfig>;

/** A change to the config: any subset of fields; unknown fields are refused. */
export const ZDigestConfigPatch = ZDigestConfig.partial().strict();
export type TDigestConfigPatch = z.infer<typeof ZDigestConfigPatch>;

export const DEFAULT_DIGEST_CONFIG: TDigestConfig = Object.freeze({
  mattermost_credential_id: null,
  // The daily schedule's defaults (also what schedule/daily-schedule.ts fills a missing one with).
  timezone: 'UTC',
  schedule_time: '09:00',
  enabled: true,
  channel: null,
  include_llm_summary: false,
  max_lines: 40,
  include_cost_estimates: true,
  post_as_username: null,
  post_icon_url: null,
  llm_monthly_budget_usd: null,
  llm_max_tokens_per_run: null,
});

/** Reads a stored config leniently: defaults fill anything missing. */
export function storedDigestConfig(raw: unknown): TDigestConfig {
  const merged = { ...DEFAULT_DIGEST_CONFIG, ...(raw && typeof raw === 'object' ? raw : {}) };
  return ZDigestConfig.parse(merged);
}
