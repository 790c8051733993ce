// Server-side browser sessions. The cookie holds a random token; the database holds only its
// SHA-256 hash, the CSRF token for the session, and the expiry.
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/client';
import { hashToken } from './api-tokens';

export const SESSION_TTL_MS = 12 * 60 * 60_000;

export interface SessionIdentity {
  kind: 'session';
  sessionId: string;
  userId: string;
  csrfToken: string;
  expiresAt: Date;
}

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export async function createSession(
  db: Db,
  input: { userId: string; ttlMs?: number; now?: Date },
): Promise<{ id: string; token: string; csrfToken: string; expiresAt: Date }> {
  const token = randomToken();
  const csrfToken = randomToken();
  const now = input.now ?? new Date();
  const expiresAt = new Date(now.getTime() + (input.ttlMs ?? SESSION_TTL_MS));
  // Expired sessions of this user are dead weight; drop them while we are here.
  await db.session.deleteMany({ where: { userId: input.userId, expiresAt: { lte: now } } });
  const row = await db.session.create({ data: { userId: input.userId, tokenHash: hashToken(token), csrfToken, expiresAt } });
  return { id: row.id, token, csrfToken, expiresAt };
}

/** The live session a cookie token names, or null (unknown, malformed or expired). */
export async function findSession(db: Db, token: string, now = new Date()): Promise<SessionIdentity | null> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  const row = await db.session.findUnique({ where: { tokenHash: hashToken(token) } });
  if (!row) return null;
  if (row.expiresAt.getTime() <= now.getTime()) {
    await db.session.deleteMany({ where: { id: row.id } });
    return null;
  }
  return { kind: 'session', sessionId: row.id, userId: row.userId, csrfToken: row.csrfToken, expiresAt: row.expiresAt };
}

export async function deleteSession(db: Db, sessionId: string): Promise<void> {
  await db.session.deleteMany({ where: { id: sessionId } });
}
