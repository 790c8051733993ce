// One chat-completions request through the official `openai` SDK to any OpenAI-compatible
// endpoint, classified into a result that never throws and never carries the provider's own
// error text (a 401 from OpenAI quotes part of the key). The SDK's retries are off: the summary
// activity's retry policy decides, honouring Retry-After.
import OpenAI, { type APIError } from 'openai';
import { z } from 'zod';
import { guardedFetch } from '../../../lib/llm/guarded-fetch';
import type { LlmProvider } from '../../../lib/llm/llm-provider';
import type { ChatMessage } from './summary-prompt';

export type SummaryFailureKind =
  'auth' | 'rate_limit' | 'server_error' | 'timeout' | 'network' | 'blocked' | 'bad_request' | 'invalid_response' | 'empty' | 'refusal';

export interface SummaryUsage {
  promptTokens: number;
  completionTokens: number;
  /** The endpoint sent no `usage`: the counts are our (high) estimate. */
  estimated: boolean;
}

export type SummaryCallResult =
  | { ok: true; text: string; usage: SummaryUsage; finishReason: string | null }
  | { ok: false; kind: SummaryFailureKind; retryable: boolean; status?: number; retryAfterMs?: number; usage?: SummaryUsage };

export interface SummaryRequestOptions {
  maxCompletionTokens: number;
  timeoutMs: number;
  allowedHosts: readonly string[];
  /** Our estimate of the prompt's tokens, used when the answer has no `usage`. */
  promptTokenEstimate: number;
}

const count = z.number().int().nonnegative();
const ZCompletion = z.object({
  choices: z
    .array(
      z.object({
        message: z.object({ content: z.string().nullable().optional(), refusal: z.string().nullable().optional() }).passthrough(),
        finish_reason: z.string().nullable().optional(),
      }),
    )
    .min(1),
  usage: z.object({ prompt_tokens: count, completion_tokens: count }).passthrough().nullable().optional(),
});

/** Retry-After as seconds or an HTTP date (also the `retry-after-ms` OpenAI sends), capped. */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  const ms = Number(headers?.get('retry-after-ms'));
  if (Number.isFinite(ms) && ms > 0) return Math.min(ms, 3_600_000);
  const value = headers?.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.min(Number(value) * 1000, 3_600_000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.min(Math.max(0, at - now), 3_600_000);
}

function classifyError(err: unknown): Extract<SummaryCallResult, { ok: false }> {
  if (err instanceof OpenAI.APIConnectionTimeoutError) return { ok: false, kind: 'timeout', retryable: true };
  if (err instanceof OpenAI.APIConnectionError) {
    const cause = (err as { cause?: { name?: string; code?: string } }).cause;
    if (cause?.name === 'OutboundBlockedError') return { ok: false, kind: 'blocked', retryable: false };
    if (cause?.name === 'OutboundRequestError' && cause.code === 'TIMEOUT') return { ok: false, kind: 'timeout', retryable: true };
    return { ok: false, kind: 'network', retryable: true };
  }
  if (err instanceof OpenAI.APIError) {
    const apiError = err as APIError;
    const status = apiError.status;
    if (status === 401 || status === 403) return { ok: false, kind: 'auth', retryable: false, status };
    if (status === 429) return { ok: false, kind: 'rate_limit', retryable: true, status, retryAfterMs: retryAfterMs(apiError.headers) };
    if (status === 408) return { ok: false, kind: 'timeout', retryable: true, status };
    if (status !== undefined && status >= 500)
      return { ok: false, kind: 'server_error', retryable: true, status, retryAfterMs: retryAfterMs(apiError.headers) };
    if (status !== undefined && status >= 300 && status < 400) return { ok: false, kind: 'blocked', retryable: false, status };
    return { ok: false, kind: 'bad_request', retryable: false, status };
  }
  // A 200 whose body is not JSON makes the SDK's parser throw.
  return { ok: false, kind: 'invalid_response', retryable: false };
}

/** Only the parameter name, from a 400's structured body: nothing else of the provider's text. */
function rejectedParam(err: unknown): string | undefined {
  if (!(err instanceof OpenAI.APIError) || err.status !== 400) return undefined;
  const param = (err as { param?: unknown }).param ?? (err.error as { param?: unknown } | undefined)?.param;
  return typeof param === 'string' ? param : undefined;
}

export async function requestSummary(provider: LlmProvider, messages: readonly ChatMessage[], options: SummaryRequestOptions): Promise<SummaryCallResult> {
  const client = new OpenAI({
    // Never read OPENAI_API_KEY from the environment: a keyless endpoint gets a placeholder.
    apiKey: provider.apiKey ?? 'no-key',
    baseURL: provider.baseUrl,
    timeout: options.timeoutMs,
    maxRetries: 0,
    logLevel: 'off',
    fetch: guardedFetch({
      allowedHosts: provider.source === 'platform' ? [...options.allowedHosts, hostOf(provider.baseUrl)] : options.allowedHosts,
      timeoutMs: options.timeoutMs,
    }),
  });
  const body = { model: provider.model, messages: messages.map((m) => ({ role: m.role, content: m.content })), stream: false as const };
  let raw: unknown;
  try {
    try {
      raw = await client.chat.completions.create({ ...body, max_tokens: options.maxCompletionTokens });
    } catch (err) {
      // Newer OpenAI models refuse `max_tokens` and want `max_completion_tokens` (one more try).
      if (rejectedParam(err) !== 'max_tokens') throw err;
      raw = await client.chat.completions.create({ ...body, max_completion_tokens: options.maxCompletionTokens });
    }
  } catch (err) {
    return classifyError(err);
  }
  const parsed = ZCompletion.safeParse(raw);
  if (!parsed.success) return { ok: false, kind: 'invalid_response', retryable: false };
  const usage: SummaryUsage = parsed.data.usage
    ? { promptTokens: parsed.data.usage.prompt_tokens, completionTokens: parsed.data.usage.completion_tokens, estimated: false }
    : { promptTokens: options.promptTokenEstimate, completionTokens: options.maxCompletionTokens, estimated: true };
  const [choice] = parsed.data.choices;
  if (choice.message.refusal || choice.finish_reason === 'content_filter') return { ok: false, kind: 'refusal', retryable: false, usage };
  const text = choice.message.content ?? '';
  if (text.trim() === '') return { ok: false, kind: 'empty', retryable: false, usage };
  return { ok: true, text, usage, finishReason: choice.finish_reason ?? null };
}

function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return '';
  }
}
