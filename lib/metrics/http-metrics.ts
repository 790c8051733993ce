// HTTP request metrics of the API. The route label is the path with every variable part replaced
// (tenant slug, ids, correlation ids), so no tenant or id ever becomes a label value.
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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * `/api/tenants/acme/installations/<uuid>/runs` → `/api/tenants/:tenant/installations/:id/runs`.
 * Requests that matched no route are one label, `unmatched`, whatever their path.
 */
export function routeLabel(path: string, matched: boolean): string {
  if (!matched) return 'unmatched';
  const parts = path.split('?')[0].split('/');
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const prev = out[out.length - 1];
    const part = parts[i];
    if (prev === 'tenants' && out[out.length - 2] === 'api') out.push(':tenant');
    else if (prev === 'timeline') {
      out.push(':correlationId');
      break; // a correlation id may itself contain "/"
    } else if (prev === 'assets') {
      out.push(':file');
      break;
    } else if (prev === 'packages') out.push(':slug');
    else if (UUID.test(part)) out.push(':id');
    else if (/^\d+$/.test(part)) out.push(':n');
    else out.push(part.length > 40 ? ':value' : part);
  }
  return out.join('/') || '/';
}

export function observeHttpRequest(input: { method: string; path: string; matched: boolean; status: number; seconds: number }): void {
  const method = METHODS.has(input.method) ? input.method : 'OTHER';
  const route = routeLabel(input.path, input.matched);
  httpRequestsTotal.inc({ method, route, status: `${Math.floor(input.status / 100)}xx` });
  httpRequestDuration.observe({ method, route }, input.seconds);
}
