import { createLoginRateLimiter, loginRateKey } from '../../../lib/auth/login-rate-limit';

describe('login rate limiter', () => {
  it('limits after maxFailures within the window, with the seconds left', () => {
    let now = 0;
    const limiter = createLoginRateLimiter({ maxFailures: 3, windowMs: 60_000, now: () => now });
    for (let i = 0; i < 3; i++) {
      expect(limiter.check('k')).toEqual({ limited: false });
      limiter.recordFailure('k');
    }
    now = 20_500;
    expect(limiter.check('k')).toEqual({ limited: true, retryAfterSeconds: 40 });
    expect(limiter.check('other')).toEqual({ limited: false });
    now = 60_000;
    expect(limiter.check('k')).toEqual({ limited: false });
    limiter.recordFailure('k'); // a new window starts
    expect(limiter.check('k')).toEqual({ limited: false });
  });

  it('a reset (successful sign-in) clears the count', () => {
    const limiter = createLoginRateLimiter({ maxFailures: 2, windowMs: 60_000, now: () => 0 });
    limiter.recordFailure('k');
    limiter.reset('k');
    limiter.recordFailure('k');
    expect(limiter.check('k')).toEqual({ limited: false });
    limiter.recordFailure('k');
    expect(limiter.check('k').limited).toBe(true);
  });

  it('Retry-After is at least one second', () => {
    let now = 0;
    const limiter = createLoginRateLimiter({ maxFailures: 1, windowMs: 1000, now: () => now });
    limiter.recordFailure('k');
    now = 999.9;
    expect(limiter.check('k')).toEqual({ limited: true, retryAfterSeconds: 1 });
  });

  it('stays bounded: beyond maxKeys the oldest entries are dropped', () => {
    const limiter = createLoginRateLimiter({ maxFailures: 1, windowMs: 60_000, maxKeys: 3, now: () => 0 });
    for (const k of ['a', 'b', 'c', 'd']) limiter.recordFailure(k);
    expect(limiter.check('a')).toEqual({ limited: false });
    expect(limiter.check('d').limited).toBe(true);
  });

  it('keys on the normalized email and the address', () => {
    expect(loginRateKey(' Ada@Example.TEST ', '::1')).toBe('ada@example.test|::1');
    expect(loginRateKey('a@b.c', undefined)).toBe('a@b.c|unknown');
  });
});
