// Per request: a request id (the caller's x-request-id when it is a sane token, else a fresh
// one, echoed back), a log context so every log line written while serving the request names
// the request, its tenant (once auth resolved it) and its correlation id (when a route knows
// it), one structured access log line, and the HTTP metrics.
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { runWithLogContext } from '../../lib/log/context';
import { runWithSecretScope } from '../../lib/secrets/secret-scope';
import type { Logger } from '../../lib/log/logger';
import { observeHttpRequest, routeTemplate, UNMATCHED_ROUTE } from '../../lib/metrics/http-metrics';

export const REQUEST_ID_HEADER = 'x-request-id';
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{8,100}$/;

/** Routes call this when they know the correlation id the request is about. */
export function setRequestCorrelationId(res: Response, correlationId: string): void {
  res.locals.correlationId = correlationId;
}

/** A route may name its own label (the UI's not-found page, static assets). */
export function setRouteLabel(res: Response, label: string): void {
  res.locals.routeLabel = label;
}

// The router assigns req.route when it picks a route, while req.baseUrl is still that router's
// mount path (an error unwinding later resets baseUrl), so the template is captured right then.
function captureRouteTemplate(req: Request, res: Response): void {
  let route: unknown;
  Object.defineProperty(req, 'route', {
    configurable: true,
    enumerable: true,
    get: () => route,
    set: (value: unknown) => {
      route = value;
      const path = (value as { path?: unknown } | undefined)?.path;
      if (typeof path === 'string') res.locals.routeTemplate = routeTemplate(req.baseUrl, path, req.params);
    },
  });
}

function routeOf(res: Response): string {
  return (res.locals.routeLabel as string | undefined) ?? (res.locals.routeTemplate as string | undefined) ?? UNMATCHED_ROUTE;
}

export function requestContext(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction) => {
    const offered = req.get(REQUEST_ID_HEADER);
    const requestId = offered && SANE_REQUEST_ID.test(offered) ? offered : randomUUID();
    res.locals.requestId = requestId;
    res.set(REQUEST_ID_HEADER, requestId);
    const started = process.hrtime.bigint();
    captureRouteTemplate(req, res);
    const late = () => ({ tenantId: (res.locals.tenant as { id?: string } | undefined)?.id, correlationId: res.locals.correlationId as string | undefined });

    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = routeOf(res);
      observeHttpRequest({ method: req.method, route, status: res.statusCode, seconds });
      if (route === '/metrics' || route === '/healthz' || route === '/readyz') return;
      const level = res.statusCode >= 500 ? 'error' : 'info';
      logger[level]({ requestId, ...late(), method: req.method, route, status: res.statusCode, durationMs: Math.round(seconds * 1000) }, 'request');
    });
    // Each request its own secret scope: secrets it verifies or decrypts are scrubbed from its text only.
    runWithSecretScope(() => runWithLogContext({ requestId }, () => next(), late));
  };
}
