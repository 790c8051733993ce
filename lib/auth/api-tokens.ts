// Bearer tokens for programmatic access. Only a SHA-256 hash is stored; the plaintext is shown
// once at creation. Look-up goes through a narrow SECURITY DEFINER function because the tenant
// is not known until the token is.
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/client';
import type { Role } from '../db/generated/client';
import type { Tx } from '../db/with-tenant';

export const API_TOKEN_PREFIX = 'fpk_';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function createApiToken(tx: Tx, input: { tenantId: string; name: string; role: Role; createdByUserId: string | null }): Promise<{ id: string; token: string }> {
  const token = API_TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const row = await tx.apiToken.create({
    data: { tenantId: input.tenantId, name: input.name, role: input.role, tokenHash: hashToken(token), createdByUserId: input.createdByUserId },
  });
  return { id: row.id, token };
}

export interface TokenPrincipal {
  kind: 'token';
  tokenId: string;
  tenantId: string;
  role: Role;
  userId: string | null;
}

export async function authenticateApiToken(db: Db, token: string): Promise<TokenPrincipal | null> {
  if (!token.startsWith(API_TOKEN_PREFIX) || token.length > 200) return null;
  const rows = await db.$queryRaw<{ id: string; tenant_id: string; role: Role; revoked_at: Date | null }[]>`
    select id, tenant_id, role, revoked_at from app_find_api_token(${hashToken(token)})`;
  const row = rows[0];
  if (!row || row.revoked_at) return null;
  return { kind: 'token', tokenId: row.id, tenantId: row.tenant_id, role: row.role, userId: null };
}
