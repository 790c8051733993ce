// Bearer tokens for programmatic access. Only a SHA-256 hash is stored; the plaintext is shown
// once at creation. Look-up goes through a narrow SECURITY DEFINER function because the tenant
// is not known until the token is.
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/client';
import type { Prisma, Role } from '../db/generated/client';
import { withTenant, type Tx } from '../db/with-tenant';
import { AppError } from '../errors/app-error';

export const API_TOKEN_PREFIX = 'fpk_';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function createApiToken(
  tx: Tx,
  input: { tenantId: string; name: string; role: Role; createdByUserId: string | null; expiresAt?: Date | null },
): Promise<{ id: string; token: string; name: string; role: Role; createdAt: Date; expiresAt: Date | null }> {
  const token = API_TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const row = await tx.apiToken.create({
    data: {
      tenantId: input.tenantId,
      name: input.name,
      role: input.role,
      tokenHash: hashToken(token),
      createdByUserId: input.createdByUserId,
      expiresAt: input.expiresAt ?? null,
    },
  });
  return { id: row.id, token, name: row.name, role: row.role, createdAt: row.createdAt, expiresAt: row.expiresAt };
}

/** Who may mint or revoke a token of a role: owners any; admins admin and member; members none. */
export function mayManageTokenRole(actor: Role, target: Role): boolean {
  if (actor === 'owner') return true;
  if (actor === 'admin') return target !== 'owner';
  return false;
}

// Never the hash: the listing and revocation answers are built from this selection.
export const apiTokenListSelect = {
  id: true,
  name: true,
  role: true,
  createdByUserId: true,
  lastUsedAt: true,
  expiresAt: true,
  revokedAt: true,
  createdAt: true,
} satisfies Prisma.ApiTokenSelect;

export type ApiTokenSummary = Prisma.ApiTokenGetPayload<{ select: typeof apiTokenListSelect }>;

export async function findApiTokens(tx: Tx): Promise<ApiTokenSummary[]> {
  return tx.apiToken.findMany({ select: apiTokenListSelect, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
}

/**
 * Revokes a token of the transaction's tenant (idempotent: an already revoked token keeps its
 * revoked_at). Null when there is no such token; throws FORBIDDEN when the actor's role may not
 * manage the token's role.
 */
export async function revokeApiToken(tx: Tx, input: { id: string; actorRole: Role; now?: Date }): Promise<ApiTokenSummary | null> {
  const token = await tx.apiToken.findUnique({ where: { id: input.id }, select: apiTokenListSelect });
  if (!token) return null;
  if (!mayManageTokenRole(input.actorRole, token.role)) {
    throw new AppError('FORBIDDEN', `The ${input.actorRole} role cannot revoke ${token.role} tokens.`);
  }
  if (token.revokedAt) return token;
  return tx.apiToken.update({ where: { id: input.id }, data: { revokedAt: input.now ?? new Date() }, select: apiTokenListSelect });
}

export interface TokenPrincipal {
  kind: 'token';
  tokenId: string;
  tenantId: string;
  role: Role;
  userId: string | null;
}

/** last_used_at is written at most this often per token (a busy token is not a write per request). */
export const LAST_USED_WRITE_INTERVAL_MS = 60_000;

export type ApiTokenVerdict = { ok: true; principal: TokenPrincipal } | { ok: false; reason: 'unknown' | 'revoked' | 'expired'; expiredAt?: Date };

/**
 * The principal of a bearer token, or why there is none. A live token's last_used_at is brought up
 * to date when it is older than LAST_USED_WRITE_INTERVAL_MS: the UPDATE's own condition makes
 * that hold across API replicas, and `recentlyWritten` saves the round trip within one process.
 */
export async function verifyApiToken(db: Db, token: string, now = new Date()): Promise<ApiTokenVerdict> {
  if (!token.startsWith(API_TOKEN_PREFIX) || token.length > 200) return { ok: false, reason: 'unknown' };
  const rows = await db.$queryRaw<{ id: string; tenant_id: string; role: Role; revoked_at: Date | null; expires_at: Date | null }[]>`
    select id, tenant_id, role, revoked_at, expires_at from app_find_api_token(${hashToken(token)})`;
  const row = rows[0];
  if (!row) return { ok: false, reason: 'unknown' };
  if (row.revoked_at) return { ok: false, reason: 'revoked' };
  if (row.expires_at && row.expires_at.getTime() <= now.getTime()) return { ok: false, reason: 'expired', expiredAt: row.expires_at };
  await recordTokenUse(db, row.id, row.tenant_id, now);
  return { ok: true, principal: { kind: 'token', tokenId: row.id, tenantId: row.tenant_id, role: row.role, userId: null } };
}

export async function authenticateApiToken(db: Db, token: string): Promise<TokenPrincipal | null> {
  const verdict = await verifyApiToken(db, token);
  return verdict.ok ? verdict.principal : null;
}

const recentlyWritten = new Map<string, number>();
const MAX_REMEMBERED_TOKENS = 10_000;

async function recordTokenUse(db: Db, tokenId: string, tenantId: string, now: Date): Promise<void> {
  const last = recentlyWritten.get(tokenId);
  if (last !== undefined && now.getTime() - last < LAST_USED_WRITE_INTERVAL_MS) return;
  // Forgetting an entry only costs one more (conditional) UPDATE later.
  if (recentlyWritten.size >= MAX_REMEMBERED_TOKENS) recentlyWritten.clear();
  recentlyWritten.set(tokenId, now.getTime());
  const cutoff = new Date(now.getTime() - LAST_USED_WRITE_INTERVAL_MS);
  await withTenant(db, tenantId, (tx) =>
    tx.apiToken.updateMany({ where: { id: tokenId, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: cutoff } }] }, data: { lastUsedAt: now } }),
  );
}
