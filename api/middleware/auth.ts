// Who is calling, which tenant the path names, and whether their role may do this.
// Another tenant's path answers 404 (not 403), so existence does not leak.
import type { NextFunction, Request, Response } from 'express';
import { authenticateApiToken, type TokenPrincipal } from '../../lib/auth/api-tokens';
import type { Db } from '../../lib/db/client';
import type { Role, Tenant } from '../../lib/db/generated/client';
import { AppError } from '../../lib/errors/app-error';

export type Principal = TokenPrincipal | { kind: 'session'; sessionId: string; userId: string; tenantId: string; role: Role };

export interface AuthLocals {
  principal?: Principal;
  tenant?: Tenant;
}

export function authenticate(db: Db) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const header = req.get('authorization');
    if (header) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      const principal = match ? await authenticateApiToken(db, match[1]) : null;
      if (!principal) return next(new AppError('UNAUTHENTICATED', 'The bearer token is invalid or revoked.'));
      res.locals.principal = principal;
    }
    next();
  };
}

export function principalOf(res: Response): Principal {
  const principal = res.locals.principal as Principal | undefined;
  if (!principal) throw new AppError('UNAUTHENTICATED', 'Sign in, or send an API token as "Authorization: Bearer <token>".');
  return principal;
}

/** Resolves :tenant (a slug) for a principal of that tenant; anything else is 404. */
export function resolveTenant(db: Db) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const principal = principalOf(res);
    const slug = String(req.params.tenant ?? '');
    const tenant = /^[a-z0-9][a-z0-9-]{0,62}$/.test(slug) ? await db.tenant.findUnique({ where: { slug } }) : null;
    if (!tenant || tenant.id !== principal.tenantId) {
      return next(new AppError('TENANT_NOT_FOUND', `No tenant "${slug}" that you can access.`));
    }
    res.locals.tenant = tenant;
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
