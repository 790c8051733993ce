// Browser sign-in: email + password → a server-side session in an HttpOnly cookie, plus the
// CSRF token the page must echo in x-csrf-token on every state-changing request.
import { Router, type Response } from 'express';
import { SESSION_COOKIE, sessionCookieOptions } from '../../lib/auth/cookies';
import { getUser, verifyCredentials, type SignedInUser } from '../../lib/auth/credentials';
import { createLoginRateLimiter } from '../../lib/auth/login-rate-limit';
import { findUserMemberships } from '../../lib/auth/memberships';
import { createSession, deleteSession } from '../../lib/auth/sessions';
import { resolveAuthSettings } from '../../lib/auth/settings';
import type { Db } from '../../lib/db/client';
import { AppError } from '../../lib/errors/app-error';
import type { AppDeps } from '../app-deps';
import { sessionOf } from '../middleware/auth';
import { parseInput } from '../middleware/parse';
import { ZLoginBody } from './auth.schemas';

async function presentSession(db: Db, user: SignedInUser, csrfToken: string) {
  const memberships = await findUserMemberships(db, user.id);
  return {
    user: { id: user.id, email: user.email, name: user.name },
    memberships: memberships.map((m) => ({ tenant_slug: m.tenantSlug, tenant_name: m.tenantName, role: m.role })),
    csrf_token: csrfToken,
  };
}

export function authRouter(deps: Pick<AppDeps, 'db' | 'auth'>): Router {
  const router = Router();
  const settings = resolveAuthSettings(deps.auth);
  const limiter = settings.loginLimiter ?? createLoginRateLimiter(deps.db);
  const clearCookie = (res: Response) => res.clearCookie(SESSION_COOKIE, sessionCookieOptions({ secure: settings.secureCookies }));

  router.post('/login', async (req, res) => {
    const body = parseInput(ZLoginBody, req.body ?? {}, 'sign-in request');
    // body.email is already normalised (trimmed, lower-cased) by the schema.
    const attempt = { email: body.email, address: req.ip };
    const verdict = await limiter.attempt(attempt);
    if (verdict.limited) {
      throw new AppError('RATE_LIMITED', 'Too many failed sign-in attempts. Try again later.', {
        headers: { 'Retry-After': String(verdict.retryAfterSeconds) },
      });
    }
    const user = await verifyCredentials(deps.db, body.email, body.password);
    if (!user) throw new AppError('INVALID_CREDENTIALS', 'The email or password is wrong.');
    await limiter.succeeded(attempt);
    // A new sign-in never reuses a session (no fixation): drop the one this browser had.
    const previous = sessionOf(res);
    if (previous) await deleteSession(deps.db, previous.sessionId);
    const session = await createSession(deps.db, { userId: user.id, ttlMs: settings.sessionTtlMs });
    res.cookie(SESSION_COOKIE, session.token, sessionCookieOptions({ secure: settings.secureCookies, maxAgeMs: settings.sessionTtlMs }));
    res.set('Cache-Control', 'no-store');
    res.json(await presentSession(deps.db, user, session.csrfToken));
  });

  router.get('/session', async (_req, res) => {
    const session = sessionOf(res);
    const user = session ? await getUser(deps.db, session.userId) : null;
    if (!session || !user) throw new AppError('UNAUTHENTICATED', 'You are not signed in.');
    res.set('Cache-Control', 'no-store');
    res.json(await presentSession(deps.db, user, session.csrfToken));
  });

  router.post('/logout', async (_req, res) => {
    const session = sessionOf(res);
    if (session) await deleteSession(deps.db, session.sessionId);
    clearCookie(res);
    res.status(204).end();
  });

  return router;
}
