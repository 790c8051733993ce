// The worker process's Temporal Runtime (once per process, before any NativeConnection): the
// SDK's log lines go through our pino logger (JSON, central redaction; Core's own forwarded at
// WARN and above), and the SDK's worker metrics (temporal_*: task slots, poll and schedule-to-
// start latencies, workflow/activity completions by type…) are served in Prometheus format on a
// loopback port that the worker's /metrics merges in.
import { Runtime } from '@temporalio/worker';
import type { Logger } from '../log/logger';
import { temporalLogger } from '../log/temporal-logger';

export interface InstalledRuntime {
  /** Where the SDK's own metrics are served, when on. */
  sdkMetricsUrl?: string;
}

export function installWorkerRuntime(options: { logger: Logger; sdkMetricsPort: number }): InstalledRuntime {
  const base = {
    logger: temporalLogger(options.logger),
    telemetryOptions: { logging: { filter: { core: 'WARN' as const, other: 'ERROR' as const }, forward: {} } },
  };
  if (options.sdkMetricsPort > 0) {
    const bindAddress = `127.0.0.1:${options.sdkMetricsPort}`;
    try {
      Runtime.install({ ...base, telemetryOptions: { ...base.telemetryOptions, metrics: { prometheus: { bindAddress } } } });
      return { sdkMetricsUrl: `http://${bindAddress}/metrics` };
    } catch (err) {
      options.logger.warn({ bindAddress, err: err instanceof Error ? err.message : String(err) }, 'Temporal SDK metrics not exported; running without them');
    }
  }
  Runtime.install(base);
  return {};
}
