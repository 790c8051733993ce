// Typed errors for outbound HTTP. Messages name only scheme + host: the path or query of a
// user-supplied URL may be a credential (a Mattermost webhook key), so no message, property or
// `cause` here ever carries the full URL, a header value or the original low-level error.
import { redactSecrets } from '../log/redact';

export type OutboundBlockedCode = 'URL_SCHEME_NOT_ALLOWED' | 'URL_HOST_NOT_ALLOWED' | 'URL_INVALID' | 'DNS_FAILED';

export type OutboundRequestCode =
  /** The request was malformed locally (e.g. a header value with a newline); nothing was sent. */
  | 'REQUEST_INVALID'
  /** Connection refused/unreachable/reset before the request was fully written. */
  | 'CONNECT_FAILED'
  /** TLS handshake or certificate failure; nothing was sent. */
  | 'TLS_FAILED'
  /** The deadline passed; see requestSent/outcomeUnknown for which side of sending. */
  | 'TIMEOUT'
  /** The connection closed after the request was written, before a complete response. */
  | 'CONNECTION_LOST'
  /** The peer answered with something that is not HTTP. */
  | 'INVALID_RESPONSE';

/** Common shape so callers can branch on `requestSent` / `outcomeUnknown` without instanceof. */
export interface OutboundFailure {
  readonly code: OutboundBlockedCode | OutboundRequestCode;
  /** The request was fully handed to the network; the server may have acted on it. */
  readonly requestSent: boolean;
  /** Sent, but no complete response: the server may or may not have acted on it. */
  readonly outcomeUnknown: boolean;
  /** scheme://host[:port] of the target, or undefined when the URL did not parse. */
  readonly origin?: string;
}

export class OutboundBlockedError extends Error implements OutboundFailure {
  override readonly name = 'OutboundBlockedError';
  readonly requestSent = false;
  readonly outcomeUnknown = false;

  constructor(
    readonly code: OutboundBlockedCode,
    message: string,
    readonly origin?: string,
  ) {
    super(redactSecrets(message));
  }
}

export class OutboundRequestError extends Error implements OutboundFailure {
  override readonly name = 'OutboundRequestError';

  constructor(
    readonly code: OutboundRequestCode,
    message: string,
    readonly requestSent: boolean,
    readonly outcomeUnknown: boolean,
    readonly origin?: string,
    /** The Node error code (e.g. ECONNREFUSED), never its message. */
    readonly errno?: string,
  ) {
    super(redactSecrets(message));
  }
}

export function isOutboundFailure(err: unknown): err is OutboundFailure & Error {
  return err instanceof OutboundBlockedError || err instanceof OutboundRequestError;
}
