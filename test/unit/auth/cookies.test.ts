import { parseCookieHeader, SESSION_COOKIE, sessionCookieOptions } from '../../../lib/auth/cookies';

describe('parseCookieHeader', () => {
  it('reads name=value pairs, trimming spaces and decoding values', () => {
    const cookies = parseCookieHeader('a=1; fp_session=abc_DEF-123;  theme = dark%20mode');
    expect(cookies.get('a')).toBe('1');
    expect(cookies.get(SESSION_COOKIE)).toBe('abc_DEF-123');
    expect(cookies.get('theme')).toBe('dark mode');
  });

  it('keeps the first of duplicate names, strips quotes, survives garbage', () => {
    const cookies = parseCookieHeader('fp_session=first; fp_session=second; q="quoted"; junk; =novalue; bad=%E0%A4%A');
    expect(cookies.get('fp_session')).toBe('first');
    expect(cookies.get('q')).toBe('quoted');
    expect(cookies.get('bad')).toBe('%E0%A4%A');
    expect(cookies.has('junk')).toBe(false);
    expect(cookies.has('')).toBe(false);
  });

  it('is empty without a header', () => {
    expect(parseCookieHeader(undefined).size).toBe(0);
    expect(parseCookieHeader('').size).toBe(0);
  });
});

describe('sessionCookieOptions', () => {
  it('is HttpOnly, SameSite=Lax, whole-site, Secure as asked', () => {
    expect(sessionCookieOptions({ secure: true, maxAgeMs: 1000 })).toEqual({ httpOnly: true, sameSite: 'lax', secure: true, path: '/', maxAge: 1000 });
    expect(sessionCookieOptions({ secure: false })).toEqual({ httpOnly: true, sameSite: 'lax', secure: false, path: '/' });
  });
});
