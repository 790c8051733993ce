// The server's "try again in" hint. Retry-After is delta-seconds or an HTTP date (RFC 9110);
// Mattermost's limiter also sends X-RateLimit-Reset as *relative* whole seconds (not an epoch).

/** Hints beyond this are clamped: a bogus header must not park a workflow for days. */
export const MAX_RETRY_AFTER_MS = 60 * 60 * 1000;

export function parseRetryAfter(value: string | undefined, nowMs: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+$/.test(text)) return clamp(Number(text) * 1000);
  // Only real HTTP dates; Date.parse alone would also accept things like "1.5".
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return clamp(at - nowMs);
}

/** Retry-After first, then X-RateLimit-Reset; undefined when neither is usable. */
export function retryAfterFromHeaders(headers: Record<string, string | undefined>, nowMs: number = Date.now()): number | undefined {
  const fromRetryAfter = parseRetryAfter(headers['retry-after'], nowMs);
  if (fromRetryAfter !== undefined) return fromRetryAfter;
  const reset = headers['x-ratelimit-reset']?.trim();
  if (reset && /^\d+$/.test(reset)) return clamp(Number(reset) * 1000);
  return undefined;
}

function clamp(ms: number): number {
  return Math.min(Math.max(0, Math.round(ms)), MAX_RETRY_AFTER_MS);
}
