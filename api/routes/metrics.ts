// GET /metrics: this process's Prometheus metrics (lib/metrics). No authentication, like any
// scrape target: it carries counters and histograms only, no tenant or id in any label.
import { Router } from 'express';
import { METRICS_CONTENT_TYPE, metricsText } from '../../lib/metrics/registry';

export function metricsRouter(): Router {
  const router = Router();
  router.get('/metrics', async (_req, res) => {
    res
      .set('Content-Type', METRICS_CONTENT_TYPE)
      .set('Cache-Control', 'no-store')
      .send(await metricsText());
  });
  return router;
}
