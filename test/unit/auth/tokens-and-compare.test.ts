import { API_TOKEN_PREFIX, hashToken, mayManageTokenRole } from '../../../lib/auth/api-tokens';
import { constantTimeEqual } from '../../../lib/auth/constant-time';
import { randomToken } from '../../../lib/auth/sessions';
import { isUnsafeMethod } from '../../../api/middleware/csrf';
import { ZLoginBody } from '../../../api/routes/auth.schemas';
import { ZCreateApiTokenBody } from '../../../api/routes/api-tokens.schemas';

describe('constantTimeEqual', () => {
  it('is equality, whatever the lengths', () => {
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abc', 'abd')).toBe(false);
    expect(constantTimeEqual('abc', 'abcd')).toBe(false);
    expect(constantTimeEqual('', '')).toBe(true);
    expect(constantTimeEqual('', 'x')).toBe(false);
  });
});

describe('tokens', () => {
  it('random tokens are 256-bit base64url and distinct', () => {
    const a = randomToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(randomToken()).not.toBe(a);
  });

  it('hashToken is hex SHA-256', () => {
    expect(hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(API_TOKEN_PREFIX).toBe('fpk_');
  });

  it.each([
    ['owner', 'owner', true],
    ['owner', 'admin', true],
    ['owner', 'member', true],
    ['admin', 'owner', false],
    ['admin', 'admin', true],
    ['admin', 'member', true],
    ['member', 'member', false],
    ['member', 'admin', false],
  ] as const)('an %s may manage %s tokens: %s', (actor, target, expected) => {
    expect(mayManageTokenRole(actor, target)).toBe(expected);
  });
});

describe('isUnsafeMethod', () => {
  it('treats everything but GET, HEAD and OPTIONS as state-changing', () => {
    expect(['GET', 'HEAD', 'OPTIONS', 'get'].map(isUnsafeMethod)).toEqual([false, false, false, false]);
    expect(['POST', 'PUT', 'PATCH', 'DELETE', 'PROPFIND'].map(isUnsafeMethod)).toEqual([true, true, true, true, true]);
  });
});

describe('input schemas', () => {
  it('login: normalizes the email, requires a password, rejects extras', () => {
    expect(ZLoginBody.parse({ email: ' Ada@Example.TEST ', password: 'pw' })).toEqual({ email: 'ada@example.test', password: 'pw' });
    expect(ZLoginBody.safeParse({ email: 'ada', password: 'pw' }).success).toBe(false);
    expect(ZLoginBody.safeParse({ email: 'ada@example.test', password: '' }).success).toBe(false);
    expect(ZLoginBody.safeParse({ email: 'ada@example.test', password: 'x'.repeat(1025) }).success).toBe(false);
    expect(ZLoginBody.safeParse({ email: 'ada@example.test', password: 'pw', admin: true }).success).toBe(false);
  });

  it('API token: a trimmed name and a known role', () => {
    expect(ZCreateApiTokenBody.parse({ name: ' ci ', role: 'admin' })).toEqual({ name: 'ci', role: 'admin' });
    expect(ZCreateApiTokenBody.safeParse({ name: '   ', role: 'admin' }).success).toBe(false);
    expect(ZCreateApiTokenBody.safeParse({ name: 'ci', role: 'superuser' }).success).toBe(false);
  });
});
