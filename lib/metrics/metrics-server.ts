// The worker's Prometheus endpoint: GET /metrics answers this process's registry followed by the
// Temporal SDK's own worker metrics (Core serves those on a loopback port; merging them here
// gives one scrape target per worker). Metrics are not critical: a port in use is a warning.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../log/logger';
import { METRICS_CONTENT_TYPE, metricsText } from './registry';

export interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

/** Fetches another exporter's text (the SDK's); a failure yields a comment, never an error. */
export function remoteMetrics(url: string, timeoutMs = 2_000): () => Promise<string> {
  return async () => {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
      if (!res.ok) return `# ${url} answered ${res.status}\n`;
      return await res.text();
    } catch {
      return `# ${url} is unavailable\n`;
    }
  };
}

export async function startMetricsServer(options: {
  host: string;
  port: number;
  logger: Logger;
  extra?: Array<() => Promise<string>>;
}): Promise<MetricsServer | null> {
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found: GET /metrics\n');
      return;
    }
    void (async () => {
      try {
        const parts = [await metricsText(), ...(await Promise.all((options.extra ?? []).map((f) => f())))];
        res
          .writeHead(200, { 'content-type': METRICS_CONTENT_TYPE, 'cache-control': 'no-store' })
          .end(parts.map((p) => (p.endsWith('\n') ? p : `${p}\n`)).join(''));
      } catch (err) {
        options.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'metrics collection failed');
        res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics collection failed\n');
      }
    })();
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => resolve());
    });
  } catch (err) {
    options.logger.warn({ port: options.port, err: err instanceof Error ? err.message : String(err) }, 'worker metrics endpoint not started');
    return null;
  }
  const address = server.address() as AddressInfo;
  return {
    url: `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${address.port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // a scraper's keep-alive connection must not hold up shutdown
      }),
  };
}
