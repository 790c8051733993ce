import { failureHint } from '../../../lib/credentials/failure-hints';
import { FAILURE_KINDS } from '../../../lib/errors/failure-kind';

describe('failureHint', () => {
  it('has a distinct, plain-language hint for every failure kind', () => {
    const hints = FAILURE_KINDS.map((k) => failureHint(k));
    for (const hint of hints) {
      expect(typeof hint).toBe('string');
      expect(hint!.length).toBeGreaterThan(20);
      expect(hint).toMatch(/\.$/);
    }
    expect(new Set(hints).size).toBe(FAILURE_KINDS.length);
  });

  it('says what to do for each kind', () => {
    expect(failureHint('auth')).toMatch(/Reconnect/);
    expect(failureHint('rate_limit')).toMatch(/retries by itself/);
    expect(failureHint('network')).toMatch(/retried/);
    expect(failureHint('validation')).toMatch(/Retry/);
    // An unknown outcome warns about duplicates before Retry.
    expect(failureHint('unknown')).toMatch(/duplicate/);
  });

  it('a specific Mattermost code wins over the kind', () => {
    expect(failureHint('auth', 'INVALID_WEBHOOK')).toMatch(/Create a new incoming webhook and Reconnect/);
    expect(failureHint('auth', 'TOKEN_INVALID')).toMatch(/personal access token/);
    expect(failureHint('validation', 'URL_NOT_ALLOWED')).toMatch(/private or local network/);
    expect(failureHint('validation', 'CHANNEL_NOT_FOUND')).toMatch(/channel/);
    expect(failureHint('validation', 'CHANNEL_LOCKED')).toMatch(/locked/);
    expect(failureHint('validation', 'WEBHOOKS_DISABLED')).toMatch(/System Admin/);
    expect(failureHint('validation', 'URL_INVALID')).toMatch(/Incoming Webhooks/);
    expect(failureHint('network', 'DNS_FAILED')).toMatch(/does not resolve/);
    // A code alone is enough.
    expect(failureHint(null, 'TOKEN_INVALID')).toBe(failureHint('auth', 'TOKEN_INVALID'));
  });

  it('falls back to the kind for a code it has no hint for', () => {
    expect(failureHint('network', 'SERVER_UNAVAILABLE')).toBe(failureHint('network'));
    expect(failureHint('unknown', 'SERVER_ERROR')).toBe(failureHint('unknown'));
    expect(failureHint('validation', null)).toBe(failureHint('validation'));
    // Inherited object keys are not codes.
    expect(failureHint('auth', 'toString')).toBe(failureHint('auth'));
    expect(failureHint('auth', '__proto__')).toBe(failureHint('auth'));
  });

  it('no kind and no code: no hint; an unrecognised kind gets the cautious unknown hint', () => {
    expect(failureHint(null)).toBeNull();
    expect(failureHint(undefined)).toBeNull();
    expect(failureHint('')).toBeNull();
    expect(failureHint('in_flight')).toBe(failureHint('unknown'));
    expect(failureHint('constructor')).toBe(failureHint('unknown'));
  });

  it('hints carry no placeholders or secrets-like material', () => {
    for (const hint of [
      ...FAILURE_KINDS.map((k) => failureHint(k)),
      ...['INVALID_WEBHOOK', 'TOKEN_INVALID', 'URL_NOT_ALLOWED', 'DNS_FAILED'].map((c) => failureHint(null, c)),
    ]) {
      expect(hint).not.toMatch(/\$\{|undefined|null|https?:\/\//);
    }
  });

  it('never promises a retry for a run that has ended', () => {
    for (const kind of FAILURE_KINDS) {
      const hint = failureHint(kind, null, { ended: true }) ?? '';
      expect(hint).not.toMatch(/retries by itself|will be retried|retry on (its|their) own/i);
    }
    expect(failureHint('rate_limit', null, { ended: true })).toMatch(/stopped trying.*Retry it later/);
    expect(failureHint('network', null, { ended: true })).toMatch(/stopped trying.*then Retry/);
    // Connect time (not ended) keeps the live wording; code-specific hints are the same either way.
    expect(failureHint('rate_limit')).toMatch(/retries by itself/);
    expect(failureHint('validation', 'CHANNEL_NOT_FOUND', { ended: true })).toBe(failureHint('validation', 'CHANNEL_NOT_FOUND'));
    expect(failureHint('validation', 'CHANNEL_LOCKED', { ended: true })).toMatch(/locked/);
  });
});
