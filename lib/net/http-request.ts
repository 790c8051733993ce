// One guarded HTTP exchange. Built on node:http so that we control the three things that matter
// for posting exactly once: the connection goes to the address the guard checked (custom
// `lookup`), redirects are never followed, and every failure says whether the request had been
// fully written (after that point the server may have acted on it).
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { OutboundRequestError, type OutboundRequestCode } from './outbound-errors';
import { assertSafeOutboundUrl, type HostResolver, type SafeOutboundTarget } from './outbound-guard';

export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

export interface HttpRequestOptions {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Deadline for the whole exchange: DNS, connect, TLS, sending and reading the response. */
  timeoutMs: number;
  allowedHosts: readonly string[];
  /** Response bytes kept; the rest is discarded and `truncated` is set. Default 1 MiB. */
  maxResponseBytes?: number;
  resolve?: HostResolver;
}

export interface HttpResponse {
  status: number;
  /** Lower-cased names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: string;
  /** The body was longer than maxResponseBytes and was cut. */
  truncated: boolean;
}

const TLS_ERRNO = /^(ERR_TLS_|ERR_SSL_|CERT_|EPROTO$|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH)/;

/** Makes the socket connect to the checked address whatever the host name resolves to now. */
function pinnedLookup(address: string, family: 4 | 6): LookupFunction {
  return (_hostname, options, callback) => {
    if (options && typeof options === 'object' && options.all) {
      callback(null, [{ address, family }]);
    } else {
      callback(null, address, family);
    }
  };
}

function safeErrno(err: unknown): string | undefined {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && /^[A-Z0-9_]{2,64}$/.test(code) ? code : undefined;
}

function flattenHeaders(raw: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function timeoutError(origin: string | undefined, timeoutMs: number, requestSent: boolean): OutboundRequestError {
  const what = requestSent ? 'the request was sent, so the server may have processed it' : 'nothing was sent';
  return new OutboundRequestError(
    'TIMEOUT',
    `No complete answer from ${origin ?? 'the server'} within ${timeoutMs} ms; ${what}.`,
    requestSent,
    requestSent,
    origin,
  );
}

function transportError(err: unknown, origin: string, requestSent: boolean): OutboundRequestError {
  const errno = safeErrno(err);
  const detail = errno ? ` (${errno})` : '';
  if (!requestSent) {
    const tls = errno !== undefined && TLS_ERRNO.test(errno);
    const code: OutboundRequestCode = tls ? 'TLS_FAILED' : 'CONNECT_FAILED';
    const fix = tls ? 'Check that the server has a valid certificate for this host name.' : 'Check the host, the port and that the server is running.';
    return new OutboundRequestError(code, `Could not send the request to ${origin}${detail}; nothing was sent. ${fix}`, false, false, origin, errno);
  }
  const code: OutboundRequestCode = errno?.startsWith('HPE_') ? 'INVALID_RESPONSE' : 'CONNECTION_LOST';
  return new OutboundRequestError(
    code,
    `The connection to ${origin} failed after the request was sent${detail}; the server may have processed it.`,
    true,
    true,
    origin,
    errno,
  );
}

function exchange(target: SafeOutboundTarget, options: HttpRequestOptions, remainingMs: number): Promise<HttpResponse> {
  const body = options.body === undefined ? undefined : Buffer.isBuffer(options.body) ? options.body : Buffer.from(options.body, 'utf8');
  const headers: Record<string, string> = { ...options.headers };
  if (body !== undefined) headers['content-length'] = String(body.length);
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const transport = target.url.protocol === 'https:' ? https : http;

  return new Promise<HttpResponse>((resolve, reject) => {
    let requestSent = false;
    let settled = false;
    let req: http.ClientRequest;

    const finish = (outcome: { ok: HttpResponse } | { error: OutboundRequestError }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if ('ok' in outcome) resolve(outcome.ok);
      else reject(outcome.error);
      // Fresh connection per request (agent: false), so tearing it down affects nobody else.
      req?.destroy();
    };

    const timer = setTimeout(() => finish({ error: timeoutError(target.origin, options.timeoutMs, requestSent) }), remainingMs);

    try {
      req = transport.request({
        method: options.method,
        protocol: target.url.protocol,
        hostname: target.hostname,
        port: target.port,
        path: `${target.url.pathname}${target.url.search}`,
        headers,
        agent: false, // no pooled sockets: each request connects to its own checked address
        lookup: pinnedLookup(target.address, target.family),
      });
    } catch (err) {
      // e.g. ERR_INVALID_CHAR for a header value with a newline; the message may quote it.
      clearTimeout(timer);
      settled = true;
      reject(
        new OutboundRequestError(
          'REQUEST_INVALID',
          `The request to ${target.origin} could not be built (${safeErrno(err) ?? 'invalid request'}); nothing was sent.`,
          false,
          false,
          target.origin,
          safeErrno(err),
        ),
      );
      return;
    }

    // 'finish' fires once the last byte has been handed to the OS: from here on the server may
    // have the complete request and act on it.
    req.on('finish', () => {
      requestSent = true;
    });
    req.on('error', (err) => finish({ error: transportError(err, target.origin, requestSent) }));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let complete = false;
      const done = (truncated: boolean): void => {
        complete = true;
        finish({
          ok: {
            status: res.statusCode ?? 0,
            headers: flattenHeaders(res.headers),
            body: Buffer.concat(chunks).toString('utf8'),
            truncated,
          },
        });
      };
      res.on('data', (chunk: Buffer) => {
        if (complete) return;
        if (size + chunk.length > maxBytes) {
          chunks.push(chunk.subarray(0, maxBytes - size));
          size = maxBytes;
          done(true);
          return;
        }
        chunks.push(chunk);
        size += chunk.length;
      });
      res.on('end', () => done(false));
      res.on('error', (err) => finish({ error: transportError(err, target.origin, true) }));
      res.on('close', () => {
        if (!complete) finish({ error: transportError(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }), target.origin, true) });
      });
    });
    req.end(body);
  });
}

/**
 * Sends one request to a user-supplied URL through the outbound guard. Resolves with any HTTP
 * status (3xx included: redirects are returned, not followed). Rejects with OutboundBlockedError
 * (URL refused, nothing sent) or OutboundRequestError (see requestSent / outcomeUnknown).
 */
export async function httpRequest(options: HttpRequestOptions): Promise<HttpResponse> {
  const startedAt = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timeoutError(undefined, options.timeoutMs, false)), options.timeoutMs);
  });
  let target: SafeOutboundTarget;
  try {
    // DNS cannot be cancelled, but the caller's deadline still holds.
    target = await Promise.race([assertSafeOutboundUrl(options.url, { allowedHosts: options.allowedHosts, resolve: options.resolve }), deadline]);
  } finally {
    clearTimeout(timer);
  }
  const remainingMs = options.timeoutMs - (Date.now() - startedAt);
  if (remainingMs <= 0) throw timeoutError(target.origin, options.timeoutMs, false);
  return exchange(target, options, remainingMs);
}
