// Who is calling, which tenant the path names, and whether their role may do this.
// Another tenant's path answers 404 (not 403), so existence does not leak.
//
// authenticate sets the caller's identity: a bearer token (bound to one tenant and role) or a
// browser session (a user, who may belong to several tenants). resolveTenant turns the identity
// into the Principal for the tenant in the path: for a session, the role is the user's
// membership role in that tenant, looked up per request.
import type { NextFunction, Request, Response } from 'express';
import { verifyApiToken, type TokenPrincipal } from '../../lib/auth/api-tokens';
import { parseCookieHeader, SESSION_COOKIE } from '../../lib/auth/cookies';
import { findMembershipRole } from '../../lib/auth/memberships';
import { findSession, type SessionIdentity } from '../../lib/auth/sessions';
import type { Db } from '../../lib/db/client';
import type { Role, Tenant } from '../../lib/db/generated/client';
import type { ChangeActor } from '../../lib/installations/change-installation';
import { AppError } from '../../lib/errors/app-error';

/** The authenticated caller, before any tenant is known. */
export type Identity = TokenPrincipal | SessionIdentity;

export interface SessionPrincipal {
  kind: 'session';
  sessionId: string;
  userId: string;
  tenantId: string;
  role: Role;
}

/** The caller as seen by a tenant route (set by resolveTenant): always a tenant and a role. */
export type Principal = TokenPrincipal | SessionPrincipal;

export interface AuthLocals {
  identity?: Identity;
  principal?: Principal;
  tenant?: Tenant;
}

export function authenticate(db: Db) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const header = req.get('authorization');
    if (header) {
      // A bearer token wins over any cookie: such a request carries no ambient credential.
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      const verdict = match ? await verifyApiToken(db, match[1]) : null;
      if (!verdict?.ok) {
        const message =
          verdict?.reason === 'expired'
            ? `The bearer token expired at ${verdict.expiredAt!.toISOString()}; create a new one.`
            : 'The bearer token is invalid or revoked.';
        return next(new AppError('UNAUTHENTICATED', message));
      }
      res.locals.identity = verdict.principal;
      return next();
    }
    const token = parseCookieHeader(req.get('cookie')).get(SESSION_COOKIE);
    if (token) {
      // An unknown or expired session is simply no session: public routes still answer.
      const session = await findSession(db, token);
      if (session) res.locals.identity = session;
    }
    next();
  };
}

export function identityOf(res: Response): Identity {
  const identity = res.locals.identity as Identity | undefined;
  if (!identity) throw new AppError('UNAUTHENTICATED', 'Sign in, or send an API token as "Authorization: Bearer <token>".');
  return identity;
}

/** The browser session of this request, or null (no session, or a bearer-token request). */
export function sessionOf(res: Response): SessionIdentity | null {
  const identity = res.locals.identity as Identity | undefined;
  return identity?.kind === 'session' ? identity : null;
}

/** The request's actor for change records, and its API token when it came with one (a bearer token has no user). */
export function requestActor(res: Response): { actor: ChangeActor; tokenId: string | null } {
  const principal = principalOf(res);
  return { actor: { kind: 'user', userId: principal.userId, role: principal.role }, tokenId: principal.kind === 'token' ? principal.tokenId : null };
}

export function principalOf(res: Response): Principal {
  const identity = identityOf(res);
  const principal = res.locals.principal as Principal | undefined;
  if (principal) return principal;
  if (identity.kind === 'token') return identity;
  throw new Error('principalOf: a session has a role only inside a tenant route (after resolveTenant).');
}

const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Resolves :tenant (a slug) for a principal of that tenant; anything else is 404. */
export function resolveTenant(db: Db) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const identity = identityOf(res);
    const slug = String(req.params.tenant ?? '');
    const notFound = () => new AppError('TENANT_NOT_FOUND', `No tenant "${slug}" that you can access.`);
    const tenant = SLUG.test(slug) ? await db.tenant.findUnique({ where: { slug } }) : null;
    if (!tenant) return next(notFound());
    let principal: Principal;
    if (identity.kind === 'token') {
      if (tenant.id !== identity.tenantId) return next(notFound());
      principal = identity;
    } else {
      const role = await findMembershipRole(db, identity.userId, tenant.id);
      if (!role) return next(notFound());
      principal = { kind: 'session', sessionId: identity.sessionId, userId: identity.userId, tenantId: tenant.id, role };
    }
    res.locals.tenant = tenant;
    res.locals.principal = principal;
    next();
  };
}

export function tenantOf(res: Response): Tenant {
  return res.locals.tenant as Tenant;
}

export function requireRole(...roles: Role[]) {
  return (_req: Request, res: Response, next: NextFunction) => {
    const principal = principalOf(res);
    if (!roles.includes(principal.role)) {
      return next(new AppError('FORBIDDEN', `This needs the ${roles.join(' or ')} role; you are ${principal.role}.`));
    }
    next();
  };
}
