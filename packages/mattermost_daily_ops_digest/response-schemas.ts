// The digest's own response shapes (its preview, its posted message, its LLM status), named
// components of the OpenAPI document beside the platform's (api/response-schemas.ts): its
// operations (openapi.ts) answer with them, and the OpenAPI test checks real answers against them.
import { z } from 'zod';
import type { PackageResponseSchema } from '../../api/openapi-operation';
import { ZDate } from '../../api/response-schemas';

export const ZDigestPreview = z.strictObject({
  preview: z.literal(true),
  posted: z.literal(false).describe('A preview is never posted, and writes no run, ledger row or signal.'),
  installation_id: z.uuid(),
  window_start: ZDate,
  window_end: ZDate,
  local_date: z.string().nullable().describe('For a scheduled window: the local date it is the digest of.'),
  correlation_id: z.string().nullable().describe('The correlation id a run of this window has (scheduled or past run).'),
  timezone: z.string(),
  text: z.string().describe('The Markdown message, as a run would post it now.'),
  line_count: z.number().int(),
  truncated: z.boolean(),
  total_signals: z.number().int(),
  content_hash: z.string(),
  full_text: z.string().describe('The same digest without the line and length budget: what the truncation pointer opens.'),
  username: z.string().nullable().describe('The "Post as" override sent with the post (shown by Mattermost only if the server allows overrides).'),
  icon_url: z.string().nullable().describe('The icon override sent with the post (same condition).'),
  channel: z.string().nullable().describe('The channel override, or null for the webhook’s own channel.'),
  retention: z.strictObject({ days: z.number().int(), oldest_available: ZDate }),
});

export const ZDigestMessage = z.strictObject({
  execution_id: z.uuid(),
  installation_id: z.uuid(),
  correlation_id: z.string(),
  text: z.string().describe('Exactly the Markdown sent (or to be sent) to Mattermost.'),
  full_text: z.string().describe('The full digest behind the truncation pointer.'),
  truncated: z.boolean(),
  line_count: z.number().int(),
  content_hash: z.string(),
  username: z.string().nullable(),
  icon_url: z.string().nullable(),
  channel: z.string().nullable(),
  created_at: ZDate,
  run_status: z.enum(['pending', 'running', 'succeeded', 'failed', 'skipped']).describe('The run’s status: succeeded means this message reached Mattermost.'),
  retention_days: z.number().int().describe('Messages are kept as long as signals, then purged.'),
});

export const ZLlmStatus = z.strictObject({
  llm: z.strictObject({
    available: z.boolean().describe('False: the "Include an LLM summary" setting cannot take effect; `reason` says why.'),
    reason: z.string().nullable(),
    source: z.enum(['platform', 'tenant']).nullable().describe('The platform default (LLM_*), or the tenant’s own key.'),
    host: z.string().nullable(),
    model: z.string().nullable(),
    monthly_budget_usd: z.number(),
    spent_this_month_usd: z.number().describe('Recorded LLM spend of the tenant since month_start (UTC calendar month).'),
    month_start: ZDate,
    max_tokens_per_run: z.number().int(),
  }),
});

export const DIGEST_PREVIEW: PackageResponseSchema = { name: 'DigestPreview', zod: ZDigestPreview };
export const DIGEST_MESSAGE: PackageResponseSchema = { name: 'DigestMessage', zod: ZDigestMessage };
export const LLM_STATUS: PackageResponseSchema = { name: 'LlmStatus', zod: ZLlmStatus };
