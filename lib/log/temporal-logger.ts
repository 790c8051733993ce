// The Temporal SDK's runtime logger (worker, activity and workflow log lines, and Core's own when
// forwarded) written through our pino logger: the same JSON lines, the same central redaction,
// and the tenant / correlation id / execution a FleetPrompt workflow id tells by itself.
import type { LogLevel, LogMetadata, Logger as TemporalLogger } from '@temporalio/common';
import { contextFromWorkflowId } from './context';
import type { Logger } from './logger';

const LEVELS: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' };

export function temporalLogger(logger: Logger): TemporalLogger {
  const log = (level: LogLevel, message: string, meta: LogMetadata = {}) => {
    // String keys only (the SDK adds symbol-keyed internals). Errors in `error`/`failure` become
    // their scrubbed message in logger.ts.
    const fields: Record<string, unknown> = Object.fromEntries(Object.entries(meta));
    const workflowId = typeof meta.workflowId === 'string' ? meta.workflowId : undefined;
    const derived = contextFromWorkflowId(workflowId);
    for (const [key, value] of Object.entries(derived)) if (fields[key] === undefined) fields[key] = value;
    logger[LEVELS[level] ?? 'info']({ ...fields, sdk: true }, message);
  };
  return {
    log,
    trace: (m, meta) => log('TRACE', m, meta),
    debug: (m, meta) => log('DEBUG', m, meta),
    info: (m, meta) => log('INFO', m, meta),
    warn: (m, meta) => log('WARN', m, meta),
    error: (m, meta) => log('ERROR', m, meta),
  };
}
