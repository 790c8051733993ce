// Which tenants a user belongs to, and with what role. Memberships are tenant-scoped (RLS), so
// the cross-tenant look-up goes through the SECURITY DEFINER function app_user_memberships.
import type { Db } from '../db/client';
import type { Role } from '../db/generated/client';

export interface UserMembership {
  tenantId: string;
  tenantSlug: string;
  tenantName: string;
  role: Role;
}

export async function findUserMemberships(db: Db, userId: string): Promise<UserMembership[]> {
  const rows = await db.$queryRaw<{ tenant_id: string; slug: string; name: string; role: Role }[]>`
    select m.tenant_id, t.slug, t.name, m.role
    from app_user_memberships(${userId}::uuid) m join tenants t on t.id = m.tenant_id
    order by t.name, t.slug`;
  return rows.map((r) => ({ tenantId: r.tenant_id, tenantSlug: r.slug, tenantName: r.name, role: r.role }));
}

/** The user's role in the tenant, or null when not a member. */
export async function findMembershipRole(db: Db, userId: string, tenantId: string): Promise<Role | null> {
  const rows = await db.$queryRaw<{ role: Role }[]>`
    select role from app_user_memberships(${userId}::uuid) where tenant_id = ${tenantId}::uuid`;
  return rows[0]?.role ?? null;
}
