// The one error type of the application. `code` is stable (clients match on it); `message`
// is safe to show to the caller; `internal` is for logs only and never leaves the server.

export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  INVALID_JSON: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  CSRF_FAILED: 403,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  TENANT_NOT_FOUND: 404,
  PACKAGE_NOT_FOUND: 404,
  INSTALLATION_NOT_FOUND: 404,
  CREDENTIAL_NOT_FOUND: 404,
  EXECUTION_NOT_FOUND: 404,
  DIGEST_MESSAGE_NOT_FOUND: 404,
  DIRECTIVE_NOT_FOUND: 404,
  API_TOKEN_NOT_FOUND: 404,
  INSTALLATION_EXISTS: 409,
  INVALID_STATE: 409,
  RETRY_SUPERSEDED: 409,
  RUNS_NOT_SUPPORTED: 409,
  CHANNELS_NOT_LISTABLE: 409,
  PAYLOAD_TOO_LARGE: 413,
  CREDENTIAL_REJECTED: 422,
  NOT_CONFIGURED: 422,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  DEPENDENCY_UNAVAILABLE: 503,
} as const;

export type AppErrorCode = keyof typeof ERROR_STATUS;

export interface AppErrorOptions {
  details?: unknown;
  internal?: string;
  cause?: unknown;
  headers?: Record<string, string>;
}

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly details?: unknown;
  readonly internal?: string;
  readonly headers?: Record<string, string>;

  constructor(code: AppErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.details = options.details;
    this.internal = options.internal;
    this.headers = options.headers;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError || (err instanceof Error && err.name === 'AppError' && 'code' in err);
}
