import { MAX_RETRY_AFTER_MS, parseRetryAfter, retryAfterFromHeaders } from '../../../lib/mattermost/retry-after';

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');

  it.each([
    ['0', 0],
    ['1', 1000],
    ['  30 ', 30_000],
    ['Wed, 01 Jan 2025 00:00:10 GMT', 10_000],
    ['Tue, 31 Dec 2024 23:59:00 GMT', 0], // in the past: retry now
    ['999999', MAX_RETRY_AFTER_MS], // clamped
  ])('%p → %p ms', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });

  it.each([undefined, '', '-1', '1.5', 'soon', 'Thu, 99 Foo 2025'])('ignores %p', (value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined();
  });
});

describe('retryAfterFromHeaders', () => {
  it('prefers Retry-After', () => {
    expect(retryAfterFromHeaders({ 'retry-after': '2', 'x-ratelimit-reset': '9' })).toBe(2000);
  });
  it('falls back to X-RateLimit-Reset (relative seconds, not an epoch)', () => {
    expect(retryAfterFromHeaders({ 'x-ratelimit-reset': '9' })).toBe(9000);
    expect(retryAfterFromHeaders({ 'retry-after': 'garbage', 'x-ratelimit-reset': '4' })).toBe(4000);
  });
  it('is undefined without hints', () => {
    expect(retryAfterFromHeaders({})).toBeUndefined();
  });
});
