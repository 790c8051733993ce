// Email + password check. An unknown email costs the same scrypt work as a wrong password, and
// both give the same answer, so neither the reply nor its timing says which accounts exist.
import type { Db } from '../db/client';
import { hashPassword, verifyPassword } from './passwords';
import { randomToken } from './sessions';

let dummyHash: Promise<string> | undefined;

function dummy(): Promise<string> {
  dummyHash ??= hashPassword(randomToken());
  return dummyHash;
}

export interface SignedInUser {
  id: string;
  email: string;
  name: string;
}

/** The one spelling of an address that users.email stores (a CHECK constraint holds it so). */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** The user when the email and password match, else null. */
export async function verifyCredentials(db: Db, email: string, password: string): Promise<SignedInUser | null> {
  // Exact equality on the normalised address: never a pattern (a case-insensitive "equals"
  // becomes ILIKE, where "_" and "%" in what was typed are wildcards).
  const user = await db.user.findUnique({
    where: { email: normalizeEmail(email) },
    select: { id: true, email: true, name: true, passwordHash: true },
  });
  // No such user, or one without a usable password (e.g. created by a script): same work, same answer.
  if (!user || !user.passwordHash.startsWith('scrypt$')) {
    await verifyPassword(password, await dummy());
    return null;
  }
  if (!(await verifyPassword(password, user.passwordHash))) return null;
  return { id: user.id, email: user.email, name: user.name };
}

export async function getUser(db: Db, userId: string): Promise<SignedInUser | null> {
  return db.user.findUnique({ where: { id: userId }, select: { id: true, email: true, name: true } });
}
