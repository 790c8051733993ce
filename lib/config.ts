// Every environment variable the product reads, parsed once by zod at boot.
// The parsed object is frozen and never logged (it may hold keys and database passwords).
import { z } from 'zod';
import { DEFAULT_TASK_QUEUE } from './temporal/contract/task-queue';
import { DEFAULT_STALE_CLAIM_MS, MIN_STALE_CLAIM_MS } from './temporal/contract/timeouts';
import { ModelPricesError, parseModelPrices } from './llm/model-prices';

const ZBool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');

const ZPort = z.coerce.number().int().min(1).max(65535);

const ZCsv = z.string().transform((s) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean),
);

export const ZConfig = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATA_DIR: z.string().min(1).default('.data'),

  // Database. Unset: npm start runs embedded Postgres under DATA_DIR.
  // DATABASE_URL: the application's role (subject to row-level security).
  // MIGRATION_DATABASE_URL: the schema owner, for migrations (defaults to DATABASE_URL).
  DATABASE_URL: z.string().url().optional(),
  MIGRATION_DATABASE_URL: z.string().url().optional(),
  EMBEDDED_PG_PORT: ZPort.default(54329),

  // Temporal. Unset TEMPORAL_ADDRESS: npm start runs the Temporal CLI dev server.
  TEMPORAL_ADDRESS: z.string().min(1).optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default(DEFAULT_TASK_QUEUE),
  TEMPORAL_API_KEY: z.string().min(1).optional(),
  TEMPORAL_TLS: ZBool.default(false),
  TEMPORAL_CLI_PATH: z.string().min(1).optional(),
  TEMPORAL_DEV_PORT: ZPort.default(7233),
  TEMPORAL_DEV_UI_PORT: ZPort.default(8233),
  // Where operators open the Temporal Web UI (links in the admin view).
  TEMPORAL_UI_URL: z.string().url().optional(),

  // HTTP
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: ZPort.default(3000),
  PUBLIC_URL: z.string().url().optional(),
  // Express "trust proxy": which hops' X-Forwarded-For to believe for the client address (login
  // limits per address, logs). "false" (default: the socket peer is the client), a hop count, or
  // a comma list of proxy addresses/CIDRs or loopback, linklocal, uniquelocal. Never "true"
  // behind an untrusted edge: any client could then choose its address.
  TRUST_PROXY: z
    .string()
    .regex(
      /^(false|true|\d{1,2}|((loopback|linklocal|uniquelocal|[0-9A-Fa-f:.]+(\/\d{1,3})?)\s*,?\s*)+)$/,
      'expected false, true, a hop count, or a comma list of proxy addresses/CIDRs (or loopback, linklocal, uniquelocal)',
    )
    .default('false'),
  // The session cookie's Secure flag. Unset: on when PUBLIC_URL is https:// or NODE_ENV=production.
  SESSION_COOKIE_SECURE: ZBool.optional(),
  // Strict-Transport-Security max-age in seconds on every response (0 = no HSTS). Set it only when
  // the site is served over HTTPS.
  HSTS_MAX_AGE_SECONDS: z.coerce.number().int().min(0).max(63_072_000).default(0),

  // Credential encryption keyring: "keyId:base64key,keyId2:base64key" (32-byte keys).
  ENCRYPTION_KEYS: z.string().min(1).optional(),
  ENCRYPTION_ACTIVE_KEY_ID: z.string().min(1).optional(),

  // Product limits
  RUN_NOW_LIMIT_PER_HOUR: z.coerce.number().int().min(0).max(1000).default(3),
  // A digest post whose ledger claim is older than this belongs to a poster that died mid-request
  // (its outcome becomes unknown). Must exceed the post activity's start-to-close timeout, so a
  // live poster is never taken for a dead one (lib/temporal/contract/timeouts.ts); tests lower it.
  DIGEST_STALE_CLAIM_MS: z.coerce.number().int().min(MIN_STALE_CLAIM_MS).max(3_600_000).default(DEFAULT_STALE_CLAIM_MS),
  INSTALLATION_RECONCILE_INTERVAL_MS: z.coerce.number().int().min(500).max(600_000).default(5_000),
  // Hosts the outbound HTTP guard lets through even though they are private/loopback
  // (local development and tests only).
  OUTBOUND_ALLOWED_HOSTS: ZCsv.default([]),

  // Password given to fleetprompt_app by `npm run db:app-login` (deployments without npm start).
  APP_DB_PASSWORD: z.string().min(8).optional(),
  // Workflow executions a worker keeps in memory between tasks (0 = the SDK's default, sized from
  // the heap limit: ~2,000 on a 4 GB heap). Each costs ~1 MB; a lower cap bounds the worker's RSS
  // during a fan-out at the price of replaying histories of evicted runs (bench/fanout.ts).
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).max(100_000).default(0),
  // Activities one worker runs at once (0 = the SDK's default, 100).
  WORKER_MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().min(0).max(10_000).default(0),
  // The worker touches this file every 10 s while running (container health checks).
  WORKER_HEARTBEAT_FILE: z.string().min(1).optional(),
  // Prometheus /metrics of the worker process on HOST:this port (0 = off); the Temporal SDK's own
  // worker metrics are served on 127.0.0.1:WORKER_SDK_METRICS_PORT and merged into it (0 = off).
  WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  WORKER_SDK_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9465),

  // Signals older than this many days are purged by the daily retention schedule.
  SIGNAL_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),

  // npm start: run the local Mattermost-compatible sink on this port (0 = off).
  MATTERMOST_SINK_PORT: z.coerce.number().int().min(0).max(65535).default(8065),

  // The platform's LLM provider for the digest's optional summary: any OpenAI-compatible
  // chat-completions endpoint (OpenAI, Azure OpenAI, Ollama, vLLM, LiteLLM). Unset LLM_BASE_URL or
  // LLM_MODEL: no platform provider (tenants may still connect their own key).
  LLM_BASE_URL: z.string().url().optional(),
  LLM_API_KEY: z.string().min(1).optional(),
  LLM_MODEL: z.string().min(1).max(200).optional(),
  // USD per 1000 input/output tokens, per model: "model=input/output,model2=input/output".
  // A model without a price is never called (its cost could not be capped).
  LLM_MODEL_PRICES: z
    .string()
    .default('')
    .superRefine((spec, ctx) => {
      try {
        parseModelPrices(spec);
      } catch (err) {
        if (!(err instanceof ModelPricesError)) throw err;
        for (const problem of err.problems) ctx.addIssue({ code: 'custom', message: problem });
      }
    }),
  // Default cost caps; an installation's own settings override them.
  LLM_MONTHLY_BUDGET_USD: z.coerce.number().min(0).max(100_000).default(5),
  LLM_MAX_TOKENS_PER_RUN: z.coerce.number().int().min(500).max(200_000).default(4_000),
  // One summary request's deadline; below the summary activity's 20 s start-to-close timeout.
  LLM_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(18_000).default(15_000),
});

export type TConfig = Readonly<z.infer<typeof ZConfig>>;

/** Express's "trust proxy" value for TRUST_PROXY. */
export function trustProxySetting(value: string): boolean | number | string[] {
  if (value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
}

/** Secure session cookies: SESSION_COOKIE_SECURE, else PUBLIC_URL is https, else production. */
export function secureCookiesSetting(config: Pick<TConfig, 'SESSION_COOKIE_SECURE' | 'PUBLIC_URL' | 'NODE_ENV'>): boolean {
  if (config.SESSION_COOKIE_SECURE !== undefined) return config.SESSION_COOKIE_SECURE;
  if (config.PUBLIC_URL) return new URL(config.PUBLIC_URL).protocol === 'https:';
  return config.NODE_ENV === 'production';
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment; throws ConfigError with one line per bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): TConfig {
  const candidate: Record<string, string> = {};
  for (const key of Object.keys(ZConfig.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') candidate[key] = value;
  }
  const parsed = ZConfig.safeParse(candidate);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  return Object.freeze(parsed.data);
}
