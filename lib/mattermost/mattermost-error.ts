// The one error every Mattermost client function throws. It carries only safe metadata: our own
// message (never the server's, which on newer servers embeds the webhook id), the HTTP status and
// the AppError id. Activities turn it into an ApplicationFailure of type `kind`.
import type { FailureKind } from '../errors/failure-kind';
import { redactSecrets } from '../log/redact';

export type MattermostErrorCode =
  // configuration / input (validation)
  | 'URL_INVALID'
  | 'URL_NOT_ALLOWED'
  | 'WEBHOOKS_DISABLED'
  | 'CHANNEL_NOT_FOUND'
  | 'CHANNEL_ARCHIVED'
  | 'CHANNEL_LOCKED'
  | 'CHANNEL_PERMISSION'
  | 'NOT_CHANNEL_MEMBER'
  | 'TEAM_NOT_FOUND'
  | 'NOT_FOUND'
  | 'EMPTY_TEXT'
  | 'MESSAGE_TOO_LONG'
  | 'PAYLOAD_TOO_LARGE'
  | 'BAD_PAYLOAD'
  | 'BAD_REQUEST'
  | 'REDIRECT_NOT_FOLLOWED'
  // credentials (auth)
  | 'INVALID_WEBHOOK'
  | 'TOKEN_INVALID'
  | 'FORBIDDEN'
  // transient
  | 'RATE_LIMITED'
  | 'SERVER_UNAVAILABLE'
  | 'SERVER_ERROR_NOT_POSTED'
  | 'POST_IN_FLIGHT'
  | 'DNS_FAILED'
  | 'CONNECT_FAILED'
  | 'TIMEOUT'
  | 'CONNECTION_LOST'
  // the server may or may not have posted
  | 'SERVER_ERROR'
  | 'UNEXPECTED_RESPONSE'
  | 'MARKER_SEARCH_INCOMPLETE';

export interface MattermostErrorInit {
  kind: FailureKind;
  code: MattermostErrorCode;
  message: string;
  status?: number;
  errorId?: string;
  retryAfterMs?: number;
  outcomeUnknown?: boolean;
  retryable?: boolean;
}

export class MattermostError extends Error {
  override readonly name = 'MattermostError';
  readonly kind: FailureKind;
  readonly code: MattermostErrorCode;
  readonly status?: number;
  /** Mattermost AppError id (e.g. web.incoming_webhook.invalid.app_error), when the body had one. */
  readonly errorId?: string;
  /** Server's retry hint (Retry-After, else X-RateLimit-Reset). */
  readonly retryAfterMs?: number;
  /** The request may have created a post: do not re-post blindly; reconcile first. */
  readonly outcomeUnknown: boolean;
  /** Safe to send the same request again (after retryAfterMs when given). */
  readonly retryable: boolean;

  constructor(init: MattermostErrorInit) {
    super(redactSecrets(init.message));
    this.kind = init.kind;
    this.code = init.code;
    if (init.status !== undefined) this.status = init.status;
    if (init.errorId !== undefined) this.errorId = init.errorId;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
    this.outcomeUnknown = init.outcomeUnknown ?? false;
    this.retryable = init.retryable ?? false;
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      kind: this.kind,
      code: this.code,
      status: this.status,
      errorId: this.errorId,
      retryAfterMs: this.retryAfterMs,
      outcomeUnknown: this.outcomeUnknown,
      retryable: this.retryable,
    };
  }
}

/** Name-based check that survives Jest's per-file module registry (instanceof may not). */
export function isMattermostError(err: unknown): err is MattermostError {
  return err instanceof MattermostError || (err instanceof Error && err.name === 'MattermostError' && 'kind' in err);
}
