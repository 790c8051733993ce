// API tokens of a tenant: minted and revoked by owners and admins (an admin cannot mint or
// revoke an owner token). The plaintext is in the creation answer only; listings never carry
// a token or its hash.
import { Router } from 'express';
import { createApiToken, findApiTokens, mayManageTokenRole, revokeApiToken, type ApiTokenSummary } from '../../lib/auth/api-tokens';
import { withTenant } from '../../lib/db/with-tenant';
import { AppError } from '../../lib/errors/app-error';
import type { AppDeps } from '../app-deps';
import { principalOf, requireRole, tenantOf } from '../middleware/auth';
import { parseInput } from '../middleware/parse';
import { ZCreateApiTokenBody } from './api-tokens.schemas';
import { ZIdParam } from './installations.schemas';

function presentApiToken(t: ApiTokenSummary) {
  return {
    id: t.id,
    name: t.name,
    role: t.role,
    created_by_user_id: t.createdByUserId,
    last_used_at: t.lastUsedAt,
    expires_at: t.expiresAt,
    revoked_at: t.revokedAt,
    created_at: t.createdAt,
  };
}

export function apiTokensRouter(deps: Pick<AppDeps, 'db'>): Router {
  const router = Router({ mergeParams: true });
  const managers = requireRole('owner', 'admin');

  router.post('/', managers, async (req, res) => {
    const body = parseInput(ZCreateApiTokenBody, req.body ?? {}, 'API token');
    const tenant = tenantOf(res);
    const principal = principalOf(res);
    if (!mayManageTokenRole(principal.role, body.role)) {
      throw new AppError('FORBIDDEN', `The ${principal.role} role cannot create ${body.role} tokens.`);
    }
    const created = await withTenant(deps.db, tenant.id, (tx) =>
      createApiToken(tx, {
        tenantId: tenant.id,
        name: body.name,
        role: body.role,
        createdByUserId: principal.userId,
        expiresAt: body.expires_at ? new Date(body.expires_at) : null,
      }),
    );
    res
      .status(201)
      .location(`/api/tenants/${tenant.slug}/api-tokens/${created.id}`)
      .set('Cache-Control', 'no-store')
      .json({ id: created.id, name: created.name, role: created.role, token: created.token, created_at: created.createdAt, expires_at: created.expiresAt });
  });

  router.get('/', managers, async (_req, res) => {
    const tenant = tenantOf(res);
    const items = await withTenant(deps.db, tenant.id, (tx) => findApiTokens(tx));
    res.json({ items: items.map(presentApiToken) });
  });

  router.delete('/:id', managers, async (req, res) => {
    const id = parseInput(ZIdParam, req.params.id, 'API token id');
    const tenant = tenantOf(res);
    const principal = principalOf(res);
    const revoked = await withTenant(deps.db, tenant.id, (tx) => revokeApiToken(tx, { id, actorRole: principal.role }));
    if (!revoked) throw new AppError('API_TOKEN_NOT_FOUND', 'No such API token in this tenant.');
    res.json(presentApiToken(revoked));
  });

  return router;
}
