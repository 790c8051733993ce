// The session cookie: its name, its attributes, and reading it from a Cookie header.
// HttpOnly (scripts cannot read it), SameSite=Lax (not sent on cross-site subrequests or
// cross-site POSTs), Secure outside plain-HTTP development and tests.
import type { CookieOptions } from 'express';

export const SESSION_COOKIE = 'fp_session';

export function sessionCookieOptions(input: { secure: boolean; maxAgeMs?: number }): CookieOptions {
  return {
    httpOnly: true,
    sameSite: 'lax',
    secure: input.secure,
    path: '/',
    ...(input.maxAgeMs !== undefined ? { maxAge: input.maxAgeMs } : {}),
  };
}

/** Parses a Cookie request header into name → value; the first occurrence of a name wins. */
export function parseCookieHeader(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    let value = part.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    if (!name || out.has(name)) continue;
    try {
      out.set(name, decodeURIComponent(value));
    } catch {
      out.set(name, value);
    }
  }
  return out;
}
