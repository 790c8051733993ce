// Failed sign-ins per (email, IP), counted in memory in fixed windows. Modest by design: it
// slows password guessing against one account from one address; a successful sign-in resets it.

export interface LoginRateLimitOptions {
  maxFailures?: number;
  windowMs?: number;
  /** Bound on tracked keys; expired entries go first, then the oldest. */
  maxKeys?: number;
  now?: () => number;
}

export type LoginRateVerdict = { limited: false } | { limited: true; retryAfterSeconds: number };

export interface LoginRateLimiter {
  check(key: string): LoginRateVerdict;
  recordFailure(key: string): void;
  reset(key: string): void;
}

export function loginRateKey(email: string, ip: string | undefined): string {
  return `${email.trim().toLowerCase()}|${ip ?? 'unknown'}`;
}

export function createLoginRateLimiter(options: LoginRateLimitOptions = {}): LoginRateLimiter {
  const maxFailures = options.maxFailures ?? 10;
  const windowMs = options.windowMs ?? 15 * 60_000;
  const maxKeys = options.maxKeys ?? 10_000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, { failures: number; windowEndsAt: number }>();

  const prune = (t: number) => {
    if (entries.size <= maxKeys) return;
    for (const [key, entry] of entries) if (entry.windowEndsAt <= t) entries.delete(key);
    for (const key of entries.keys()) {
      if (entries.size <= maxKeys) break;
      entries.delete(key);
    }
  };

  return {
    check(key) {
      const t = now();
      const entry = entries.get(key);
      if (!entry || entry.windowEndsAt <= t || entry.failures < maxFailures) return { limited: false };
      return { limited: true, retryAfterSeconds: Math.max(1, Math.ceil((entry.windowEndsAt - t) / 1000)) };
    },
    recordFailure(key) {
      const t = now();
      const entry = entries.get(key);
      if (!entry || entry.windowEndsAt <= t) {
        entries.delete(key);
        entries.set(key, { failures: 1, windowEndsAt: t + windowMs });
        prune(t);
      } else {
        entry.failures += 1;
      }
    },
    reset(key) {
      entries.delete(key);
    },
  };
}
