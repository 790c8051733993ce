// How the API authenticates browsers: cookie security, the site's own origin, session lifetime
// and the failed-login limit. api/server.ts passes values from the parsed config; tests pass
// their own; anything unset gets the defaults below (the login limiter: Postgres-backed with
// DEFAULT_LOGIN_RATE_LIMITS, built by the auth router on its database).
import type { LoginRateLimiter } from './login-rate-limit';
import { SESSION_TTL_MS } from './sessions';

export interface AuthSettings {
  /** Secure cookies (HTTPS only). Default: publicUrl is https://, else NODE_ENV is production. */
  secureCookies: boolean;
  /** The public origin of the site (PUBLIC_URL); requests are also same-origin when Origin matches Host. */
  publicUrl?: string;
  sessionTtlMs: number;
  loginLimiter?: LoginRateLimiter;
}

export function resolveAuthSettings(input: Partial<AuthSettings> = {}): AuthSettings {
  return {
    secureCookies: input.secureCookies ?? (input.publicUrl ? input.publicUrl.startsWith('https://') : process.env.NODE_ENV === 'production'),
    publicUrl: input.publicUrl,
    sessionTtlMs: input.sessionTtlMs ?? SESSION_TTL_MS,
    loginLimiter: input.loginLimiter,
  };
}
