// Structured JSON logs. Redaction is central: known secret field paths are censored here, and
// strings are scrubbed of webhook URLs and bearer tokens by redactSecrets before logging.
import pino, { type Logger } from 'pino';
import { redactSecretsDeep } from './redact';

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
      formatters: {
        log: (obj) => redactSecretsDeep(obj) as Record<string, unknown>,
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
