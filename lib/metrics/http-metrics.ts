// HTTP request metrics of the API. The route label is the template of the route that answered
// (tenant slug, ids, correlation ids stay parameters), so no tenant, id or path typed by a
// caller ever becomes a label value; everything no route answered shares one label.
import { Counter, Histogram } from 'prom-client';
import { registry } from './registry';

export const httpRequestsTotal = new Counter({
  name: 'fleetprompt_http_requests_total',
  help: 'API requests answered, by method, route and status code class.',
  labelNames: ['method', 'route', 'status'] as const,
  registers: [registry],
});

export const httpRequestDuration = new Histogram({
  name: 'fleetprompt_http_request_duration_seconds',
  help: 'API request latency, by method and route.',
  labelNames: ['method', 'route'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** The label of requests no route answered (API 404s, the UI's not-found page): one, whatever the path. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * The route template that answered: the router's mount path (the request's baseUrl when the
 * route was picked) with each segment that a mount parameter matched put back as `:name`, joined
 * to the route's own pattern. `/api/tenants/acme/installations/<uuid>` + `/runs` with params
 * { tenant: 'acme', id: <uuid> } → `/api/tenants/:tenant/installations/:id/runs`. Every segment is
 * either text of a mount path in the code or a parameter name, so the set of values is the set
 * of routes, never what a caller typed.
 */
export function routeTemplate(baseUrl: string, routePath: string, params: Record<string, unknown> = {}): string {
  const names = new Map<string, string>();
  for (const [name, value] of Object.entries(params)) if (typeof value === 'string' && !names.has(value)) names.set(value, name);
  const base = baseUrl
    .split('/')
    .map((segment, i) => {
      if (i === 0 || segment === '') return segment;
      let decoded: string;
      try {
        decoded = decodeURIComponent(segment);
      } catch {
        return ':value';
      }
      const name = names.get(decoded);
      return name ? `:${name}` : segment;
    })
    .join('/');
  if (routePath === '/' && base !== '') return base;
  return `${base}${routePath}` || '/';
}

export function observeHttpRequest(input: { method: string; route: string; status: number; seconds: number }): void {
  const method = METHODS.has(input.method) ? input.method : 'OTHER';
  httpRequestsTotal.inc({ method, route: input.route, status: `${Math.floor(input.status / 100)}xx` });
  httpRequestDuration.observe({ method, route: input.route }, input.seconds);
}
