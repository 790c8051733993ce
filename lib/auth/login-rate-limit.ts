// Failed-sign-in limits, counted in Postgres so every API replica sees the same counts. Three
// buckets, each a fixed window:
//   - the account and the client address together (slows guessing one password from one place),
//   - the account alone, from anywhere (slows a guess spread over many addresses),
//   - the client address alone, whatever account it names (slows spraying many accounts).
// An attempt is counted *before* the password is checked, in one atomic statement, so parallel
// requests cannot all slip past a check made before any failure was recorded. The right password
// then forgives: the account's and the pair's counts start again, and the address gets its one
// attempt back (only that: a signed-in attacker cannot wipe the failures its address made).
// Rows are deleted only after their window ended, so no amount of junk frees a live lock.
// The client address is req.ip: set TRUST_PROXY behind a reverse proxy (lib/config.ts).
import { createHash } from 'node:crypto';
import type { Db } from '../db/client';
import { Prisma } from '../db/generated/client';

export interface LoginRateLimits {
  /** Attempts per window for one account from one address (default 10). */
  perAccountAndAddress: number;
  /** Attempts per window for one account from all addresses (default 50). */
  perAccount: number;
  /** Failed attempts per window from one address over all accounts (default 100). */
  perAddress: number;
  windowMs: number;
}

export const DEFAULT_LOGIN_RATE_LIMITS: LoginRateLimits = { perAccountAndAddress: 10, perAccount: 50, perAddress: 100, windowMs: 15 * 60_000 };

export type LoginRateVerdict = { limited: false } | { limited: true; retryAfterSeconds: number };

export interface LoginAttempt {
  /** The normalised email (lib/auth/credentials.ts normalizeEmail). */
  email: string;
  /** The client address (req.ip); undefined counts as one shared "unknown" address. */
  address: string | undefined;
}

export interface LoginRateLimiter {
  /** Counts the attempt in every bucket; limited when any bucket is over its limit. */
  attempt(input: LoginAttempt): Promise<LoginRateVerdict>;
  /** The password was right: see the header comment. */
  succeeded(input: LoginAttempt): Promise<void>;
}

const hash = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

export function loginRateKeys(input: LoginAttempt): { pair: string; account: string; address: string } {
  const address = input.address ?? 'unknown';
  return {
    pair: `pair:${hash(`${input.email}\n${address}`)}`,
    account: `account:${hash(input.email)}`,
    address: `address:${hash(address)}`,
  };
}

const PURGE_EVERY_MS = 60_000;

export function createLoginRateLimiter(db: Db, options: Partial<LoginRateLimits> & { now?: () => number } = {}): LoginRateLimiter {
  const limits = { ...DEFAULT_LOGIN_RATE_LIMITS, ...options };
  const clock = options.now ?? Date.now;
  let lastPurge = 0;

  async function purgeEnded(now: Date) {
    if (now.getTime() - lastPurge < PURGE_EVERY_MS) return;
    lastPurge = now.getTime();
    await db.$executeRaw`delete from login_throttles where window_ends_at <= ${now}`;
  }

  return {
    async attempt(input) {
      const now = new Date(clock());
      await purgeEnded(now);
      const keys = loginRateKeys(input);
      const limitOf: Record<string, number> = {
        [keys.pair]: limits.perAccountAndAddress,
        [keys.account]: limits.perAccount,
        [keys.address]: limits.perAddress,
      };
      const windowEndsAt = new Date(now.getTime() + limits.windowMs);
      // Sorted keys: concurrent upserts lock the rows in the same order (no deadlock).
      const values = Object.keys(limitOf)
        .sort()
        .map((k) => Prisma.sql`(${k}, 1, ${windowEndsAt})`);
      const rows = await db.$queryRaw<{ key: string; attempts: number; window_ends_at: Date }[]>`
        insert into login_throttles as t (key, attempts, window_ends_at)
        values ${Prisma.join(values)}
        on conflict (key) do update set
          attempts = case when t.window_ends_at <= ${now} then 1 else least(t.attempts + 1, 1000000000) end,
          window_ends_at = case when t.window_ends_at <= ${now} then excluded.window_ends_at else t.window_ends_at end
        returning key, attempts, window_ends_at`;
      const over = rows.filter((r) => r.attempts > limitOf[r.key]);
      if (over.length === 0) return { limited: false };
      const until = Math.max(...over.map((r) => r.window_ends_at.getTime()));
      return { limited: true, retryAfterSeconds: Math.max(1, Math.ceil((until - now.getTime()) / 1000)) };
    },

    async succeeded(input) {
      const now = new Date(clock());
      const keys = loginRateKeys(input);
      await db.$executeRaw`delete from login_throttles where key in (${keys.pair}, ${keys.account})`;
      await db.$executeRaw`update login_throttles set attempts = greatest(attempts - 1, 0) where key = ${keys.address} and window_ends_at > ${now}`;
    },
  };
}
