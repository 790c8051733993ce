// One authenticated call to the Mattermost REST API (v4) with a personal access token: builds
// the URL under the base URL (sub-path installs work), sends through the outbound guard,
// classifies failures and parses the JSON answer with a schema.
import type { z } from 'zod';
import { httpRequest } from '../net/http-request';
import { classifyResponse, type MattermostOperation } from './classify-response';
import { classifyTransportError } from './classify-transport-error';
import { MattermostError } from './mattermost-error';
import { DEFAULT_TIMEOUT_MS, type MattermostCallOptions } from './types';

export interface ApiCall {
  baseUrl: string;
  token: string;
  method: 'GET' | 'POST';
  /** Path below /api/v4, starting with "/"; segments already encoded. */
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  operation: MattermostOperation;
  maxResponseBytes?: number;
}

export function apiUrl(baseUrl: string, path: string, query?: Record<string, string>): string {
  let base: URL;
  try {
    base = new URL(baseUrl);
  } catch {
    throw new MattermostError({
      kind: 'validation',
      code: 'URL_INVALID',
      message: 'The Mattermost server URL is not valid. Use the address you open Mattermost at, e.g. https://mattermost.example.com.',
    });
  }
  const prefix = base.pathname.replace(/\/+$/, '');
  const url = new URL(`${base.protocol}//${base.host}${prefix}/api/v4${path}`);
  for (const [key, value] of Object.entries(query ?? {})) url.searchParams.set(key, value);
  return url.toString();
}

function assertTokenShape(token: string): void {
  // A token with whitespace or control characters would break the header (or smuggle another).
  if (typeof token !== 'string' || !/^[\x21-\x7e]{1,256}$/.test(token)) {
    throw new MattermostError({
      kind: 'auth',
      code: 'TOKEN_INVALID',
      message: 'The access token is empty or malformed. Paste the token exactly as Mattermost showed it.',
    });
  }
}

export async function callMattermostApi<T>(call: ApiCall, schema: z.ZodType<T>, opts: MattermostCallOptions): Promise<T> {
  assertTokenShape(call.token);
  const url = apiUrl(call.baseUrl, call.path, call.query);
  const body = call.body === undefined ? undefined : JSON.stringify(call.body);
  const headers: Record<string, string> = {
    authorization: `Bearer ${call.token}`,
    accept: 'application/json',
    'x-requested-with': 'XMLHttpRequest',
  };
  if (body !== undefined) headers['content-type'] = 'application/json';

  let response;
  try {
    response = await httpRequest({
      method: call.method,
      url,
      headers,
      body,
      timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      allowedHosts: opts.allowedHosts,
      maxResponseBytes: call.maxResponseBytes,
      resolve: opts.resolve,
    });
  } catch (err) {
    throw classifyTransportError(err, call.operation);
  }
  const failure = classifyResponse(response, { operation: call.operation });
  if (failure) throw failure;

  // A 2xx we cannot read: for reads that is a wrong base URL (the web app answers any GET with
  // HTML); for a create the post exists (201) even though we cannot read it back.
  const unreadable = (why: string): MattermostError =>
    new MattermostError({
      kind: call.operation === 'create_post' ? 'unknown' : 'validation',
      code: 'UNEXPECTED_RESPONSE',
      status: response.status,
      message: `Mattermost's answer could not be read (${why}). Check that the server URL points at Mattermost.`,
      outcomeUnknown: call.operation === 'create_post',
    });
  if (response.truncated) throw unreadable('too large');
  let json: unknown;
  try {
    json = JSON.parse(response.body);
  } catch {
    throw unreadable('not JSON');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw unreadable('unexpected shape');
  return parsed.data;
}
