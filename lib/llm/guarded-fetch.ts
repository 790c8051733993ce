// A `fetch` for the OpenAI SDK that sends through the project's outbound guard (lib/net): the
// host is resolved once and checked (no private/loopback targets unless allow-listed), the
// connection goes to the checked address, redirects are never followed, the answer is size-capped.
// A tenant's own base URL is user input the server will call, exactly like a webhook URL.
import { httpRequest } from '../net/http-request';

const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);
const MAX_ANSWER_BYTES = 256 * 1024;

function abortError(): Error {
  return Object.assign(new Error('The request was aborted.'), { name: 'AbortError' });
}

export function guardedFetch(options: { allowedHosts: readonly string[]; timeoutMs: number }): typeof fetch {
  return async function fetchThroughGuard(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, name) => {
      headers[name] = value;
    });
    const body = requestBodyText(init?.body);
    const signal = init?.signal;
    if (signal?.aborted) throw abortError();
    const exchange = httpRequest({
      method: init?.method ?? 'GET',
      url,
      headers,
      body,
      timeoutMs: options.timeoutMs,
      allowedHosts: options.allowedHosts,
      maxResponseBytes: MAX_ANSWER_BYTES,
    });
    const aborted = new Promise<never>((_, reject) => signal?.addEventListener('abort', () => reject(abortError()), { once: true }));
    const res = await Promise.race([exchange, aborted]);
    const status = res.status >= 200 && res.status <= 599 ? res.status : 502;
    return new Response(NULL_BODY_STATUS.has(status) ? null : res.body, { status, headers: res.headers });
  };
}

/** The OpenAI SDK sends JSON text; anything else (streams, blobs, forms) is refused, not mangled. */
function requestBodyText(body: RequestInit['body']): string | undefined {
  if (body === null || body === undefined) return undefined;
  if (typeof body === 'string') return body;
  if (body instanceof URLSearchParams) return body.toString();
  throw new TypeError('The LLM request body must be text (JSON).');
}
