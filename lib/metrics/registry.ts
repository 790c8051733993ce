// The process's Prometheus registry (one per process: the API and the worker each expose their
// own /metrics). Node's default process metrics are registered once, on first use.
import { collectDefaultMetrics, Registry } from 'prom-client';

export const registry = new Registry();

let defaultsRegistered = false;

/** Registers Node's process metrics (CPU, memory, event loop lag, GC) once per process. */
export function registerProcessMetrics(labels: { service: 'api' | 'worker' }): void {
  if (defaultsRegistered) return;
  defaultsRegistered = true;
  registry.setDefaultLabels(labels);
  collectDefaultMetrics({ register: registry });
}

/** Prometheus text format of everything registered. */
export function metricsText(): Promise<string> {
  return registry.metrics();
}

export const METRICS_CONTENT_TYPE = registry.contentType;
