// Response headers every answer gets: nosniff (a JSON body is never sniffed into HTML or script)
// and, when the site is served over TLS (HSTS_MAX_AGE_SECONDS > 0), Strict-Transport-Security.
// API GETs default to Cache-Control: no-store: their bodies are tenant data, tokens' metadata,
// sessions and CSRF tokens, which no shared or browser cache should keep. A route that wants
// caching sets its own header, which replaces this default.
import type { NextFunction, Request, Response } from 'express';

export interface SecurityHeaderSettings {
  /** max-age of Strict-Transport-Security; 0 or unset sends no HSTS header. */
  hstsMaxAgeSeconds?: number;
}

export function securityHeaders(settings: SecurityHeaderSettings = {}) {
  const hsts =
    settings.hstsMaxAgeSeconds && settings.hstsMaxAgeSeconds > 0 ? `max-age=${Math.floor(settings.hstsMaxAgeSeconds)}; includeSubDomains` : undefined;
  return (_req: Request, res: Response, next: NextFunction) => {
    res.set('X-Content-Type-Options', 'nosniff');
    if (hsts) res.set('Strict-Transport-Security', hsts);
    next();
  };
}

/** For the JSON API: nothing it answers is cached unless the route says otherwise. */
export function noStoreByDefault() {
  return (_req: Request, res: Response, next: NextFunction) => {
    res.set('Cache-Control', 'no-store');
    next();
  };
}
