// Cross-site request forgery defences for the JSON API.
//
// A browser attaches the session cookie to any request to this site, including one a hostile
// page triggers. So every state-changing request that is authenticated by the cookie must
//   1. come from our own origin (Origin, else Referer, matches PUBLIC_URL or Host; a browser's
//      Sec-Fetch-Site: cross-site is refused), and
//   2. carry the session's CSRF token in the x-csrf-token header (a page on another origin can
//      neither read the token nor set a custom header without a CORS preflight we never allow).
// Bearer-token requests carry no ambient credential and are exempt. Sign-in has no session yet:
// it gets the origin check only.
//
// requireJsonBody: state-changing requests with a body must send application/json. An HTML form
// (urlencoded, multipart, text/plain) can be posted cross-site without a preflight; JSON cannot.
import type { NextFunction, Request, Response } from 'express';
import { constantTimeEqual } from '../../lib/auth/constant-time';
import { checkSameOrigin } from '../../lib/auth/same-origin';
import type { AuthSettings } from '../../lib/auth/settings';
import { AppError } from '../../lib/errors/app-error';
import type { Identity } from './auth';

export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isUnsafeMethod(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

export function csrfProtection(deps: { auth?: Partial<AuthSettings> }, options: { tokenExemptPaths?: string[] } = {}) {
  const publicUrl = deps.auth?.publicUrl;
  const exempt = new Set(options.tokenExemptPaths ?? ['/auth/login']);
  return (req: Request, res: Response, next: NextFunction) => {
    if (!isUnsafeMethod(req.method)) return next();
    const identity = res.locals.identity as Identity | undefined;
    if (identity?.kind === 'token') return next();

    const verdict = checkSameOrigin(
      { origin: req.get('origin'), referer: req.get('referer'), host: req.get('host'), secFetchSite: req.get('sec-fetch-site') },
      { publicUrl },
    );
    if (!verdict.ok) return next(new AppError('CSRF_FAILED', 'Cross-site requests are refused.', { internal: verdict.reason }));

    if (identity?.kind === 'session' && !exempt.has(req.path.toLowerCase().replace(/\/+$/, ''))) {
      const sent = req.get(CSRF_HEADER);
      if (!sent || !constantTimeEqual(sent, identity.csrfToken)) {
        return next(new AppError('CSRF_FAILED', `Missing or invalid CSRF token: send the session's csrf_token in the ${CSRF_HEADER} header.`));
      }
    }
    next();
  };
}

function hasBody(req: Request): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = req.headers['content-length'];
  return length !== undefined && Number(length) > 0;
}

// JSON is UTF-8 (RFC 8259). The JSON parser would also decode UTF-7 and UTF-16 bodies; UTF-7 in
// particular lets "+ACI-" stand for a quote, a classic way past filters. Only UTF-8 (or no
// charset) is accepted.
const CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)/i;

export function requireJsonBody() {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (isUnsafeMethod(req.method) && hasBody(req)) {
      if (!req.is('application/json')) {
        return next(new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the request body as JSON (Content-Type: application/json).'));
      }
      const charset = CHARSET.exec(req.get('content-type') ?? '')?.[1]?.toLowerCase();
      if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
        return next(new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the body as UTF-8 JSON (Content-Type: application/json; charset=utf-8).'));
      }
    }
    next();
  };
}
