// Structured JSON logs. Redaction is central: known secret field paths are censored here, and
// strings are scrubbed of webhook URLs and bearer tokens by redactSecrets before logging.
import pino, { type Logger } from 'pino';
import { LOG_CONTEXT_KEYS, currentLogContext } from './context';
import { redactForLog, redactSecretsDeep } from './redact';

export type { Logger };

export const REDACT_PATHS = [
  'password',
  '*.password',
  'token',
  '*.token',
  'secret',
  '*.secret',
  'webhookUrl',
  '*.webhookUrl',
  'webhook_url',
  '*.webhook_url',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
];

export function createLogger(options: { level?: string; name?: string; destination?: pino.DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      name: options.name,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      // The work in progress (API request, activity) names itself on every line: lib/log/context.ts.
      mixin: (_obj, _level, logger) => contextFields(logger),
      formatters: {
        log: (obj) => redactForLog(obj) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((a) => (typeof a === 'string' ? (redactSecretsDeep(a) as string) : a));
          return method.apply(this, scrubbed as Parameters<typeof method>);
        },
      },
    },
    options.destination,
  );
}

/** The current log context, minus fields a child logger already binds (no duplicate keys). */
function contextFields(logger: { bindings(): Record<string, unknown> }): Record<string, string> {
  const context = currentLogContext();
  const keys = LOG_CONTEXT_KEYS.filter((k) => context[k] !== undefined);
  if (keys.length === 0) return {};
  const bound = logger.bindings();
  const out: Record<string, string> = {};
  for (const k of keys) if (!(k in bound)) out[k] = context[k]!;
  return out;
}
