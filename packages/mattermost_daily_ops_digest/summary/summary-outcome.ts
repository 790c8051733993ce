// How a digest's summary ended, and the one line the digest shows when there is none. Every
// outcome but `ok` posts the deterministic digest unchanged plus that line.
import type { SummaryFailureKind } from './request-summary';

export type SummaryOutcome =
  | 'ok'
  | 'budget_exceeded'
  | 'token_limit'
  | 'not_configured'
  | 'unpriced_model'
  /** The summary step never finished (its activity ran out of attempts); recorded by generateDigest. */
  | 'failed'
  | SummaryFailureKind;

export const SUMMARY_OUTCOMES: readonly SummaryOutcome[] = [
  'ok',
  'budget_exceeded',
  'token_limit',
  'not_configured',
  'unpriced_model',
  'failed',
  'auth',
  'rate_limit',
  'server_error',
  'timeout',
  'network',
  'blocked',
  'bad_request',
  'invalid_response',
  'empty',
  'refusal',
];

const REASONS: Record<Exclude<SummaryOutcome, 'ok'>, string> = {
  budget_exceeded: "this month's LLM budget would be exceeded",
  token_limit: 'the digest is larger than the per-run token limit',
  not_configured: 'no LLM provider is configured',
  unpriced_model: 'the model has no configured price, so its cost cannot be capped',
  failed: 'the summary step did not finish',
  auth: 'the LLM provider refused the API key',
  rate_limit: 'the LLM provider is rate-limiting requests',
  server_error: 'the LLM provider had an error',
  timeout: 'the LLM provider did not answer in time',
  network: 'the LLM provider could not be reached',
  blocked: 'the LLM endpoint address is not allowed',
  bad_request: 'the LLM provider rejected the request',
  invalid_response: 'the LLM provider sent an answer that could not be read',
  empty: 'the model returned an empty answer',
  refusal: 'the model declined to summarise',
};

export const SUMMARY_HEADING = '##### Summary (AI-generated from the figures below)';

/** The digest lines for a stored summary: its heading and lines, or the one-line note. */
export function summaryLines(outcome: SummaryOutcome, text: string | null): string[] {
  if (outcome === 'ok' && text) return [SUMMARY_HEADING, ...text.split('\n')];
  const reason = outcome === 'ok' ? REASONS.empty : (REASONS[outcome] ?? REASONS.failed);
  return [`_No AI summary this time: ${reason}. The digest below is complete._`];
}

export function isSummaryOutcome(value: unknown): value is SummaryOutcome {
  return typeof value === 'string' && (SUMMARY_OUTCOMES as readonly string[]).includes(value);
}
