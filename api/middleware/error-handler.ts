// The one place errors become HTTP responses: { error: { code, message, details? } }.
// A 500 never echoes its internal message.
import type { ErrorRequestHandler } from 'express';
import { isDatabaseUnavailable } from '../../lib/db/unavailable';
import { isTemporalUnavailable } from '../../lib/temporal/unavailable';
import { AppError, isAppError } from '../../lib/errors/app-error';
import type { Logger } from '../../lib/log/logger';

interface BodyParserError extends Error {
  type?: string;
  status?: number;
}

function fromBodyParser(err: BodyParserError): AppError | undefined {
  switch (err.type) {
    case 'entity.parse.failed':
      return new AppError('INVALID_JSON', 'The request body is not valid JSON.');
    case 'entity.too.large':
      return new AppError('PAYLOAD_TOO_LARGE', 'The request body is too large.');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the body as UTF-8 JSON.');
    default:
      return undefined;
  }
}

// Express and its router mark the errors they raise about the request itself with a 4xx status
// (e.g. a URIError "Failed to decode param"): the caller's mistake, answered as a 400, no stack logged.
function fromFramework(err: BodyParserError): AppError | undefined {
  const status = err?.status;
  if (typeof status !== 'number' || status < 400 || status >= 500) return undefined;
  if (err instanceof URIError) return new AppError('VALIDATION_FAILED', 'The URL is not valid: a percent-encoded sequence does not decode.');
  return new AppError('VALIDATION_FAILED', 'The request is not valid.');
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    const appError = isAppError(err) ? err : (fromBodyParser(err as BodyParserError) ?? fromFramework(err as BodyParserError));
    if (appError) {
      if (appError.headers) res.set(appError.headers);
      res
        .status(appError.status)
        .json({ error: { code: appError.code, message: appError.message, ...(appError.details !== undefined ? { details: appError.details } : {}) } });
      return;
    }
    if (isDatabaseUnavailable(err)) {
      // Down, restarting or out of connections: the transaction did not commit; repeat later.
      logger.warn({ method: req.method, path: req.path }, 'database unavailable');
      res
        .status(503)
        .set('Retry-After', '5')
        .json({ error: { code: 'DEPENDENCY_UNAVAILABLE', message: 'The database is unavailable right now. Try again in a few seconds.' } });
      return;
    }
    if (isTemporalUnavailable(err)) {
      // The change could not be completed (e.g. a schedule not updated); repeating it is safe.
      logger.warn({ method: req.method, path: req.path }, 'temporal unavailable');
      res
        .status(503)
        .set('Retry-After', '10')
        .json({
          error: {
            code: 'DEPENDENCY_UNAVAILABLE',
            message: 'The workflow service is unreachable right now, so this could not be completed. Try again in a moment.',
          },
        });
      return;
    }
    logger.error(
      { err: err instanceof Error ? { message: err.message, stack: err.stack } : String(err), method: req.method, path: req.path },
      'unhandled error',
    );
    res.status(500).json({ error: { code: 'INTERNAL', message: 'Something went wrong on our side. The error was logged.' } });
  };
}
