// A path whose percent-encoding does not decode (GET /%ff) is refused with a 400 before any
// router sees it. Otherwise Express's own parameter decoding throws on it deep in a route (the UI
// catch-all, a page with :id), which reached the error handler as an unknown 500 with a stack.
import type { NextFunction, Request, Response } from 'express';
import { AppError } from '../../lib/errors/app-error';

export function isDecodablePath(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

export function rejectUndecodablePath() {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (isDecodablePath(req.path)) return next();
    next(
      new AppError('VALIDATION_FAILED', 'The URL path is not valid: a percent-encoded sequence does not decode.', {
        details: [{ path: '(path)', message: 'bad percent-encoding' }],
      }),
    );
  };
}
