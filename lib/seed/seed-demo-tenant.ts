// The demo tenant and its owner, created once. The password is generated on first seed and
// returned so `npm start` can print it; later seeds leave the user untouched.
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/client';
import { withTenant } from '../db/with-tenant';
import { hashPassword } from '../auth/passwords';

export const DEMO_TENANT_SLUG = 'demo';
export const DEMO_OWNER_EMAIL = 'owner@demo.fleetprompt.local';

export interface DemoSeed {
  tenantId: string;
  email: string;
  /** Only on the first seed; afterwards the password is whatever was printed then. */
  password?: string;
}

export async function seedDemoTenant(db: Db): Promise<DemoSeed> {
  const tenant = await db.tenant.upsert({ where: { slug: DEMO_TENANT_SLUG }, create: { slug: DEMO_TENANT_SLUG, name: 'Demo Org' }, update: {} });
  const existing = await db.user.findUnique({ where: { email: DEMO_OWNER_EMAIL } });
  let password: string | undefined;
  let userId = existing?.id;
  if (!existing) {
    password = randomBytes(9).toString('base64url');
    const user = await db.user.create({ data: { email: DEMO_OWNER_EMAIL, name: 'Demo Owner', passwordHash: await hashPassword(password) } });
    userId = user.id;
  }
  await withTenant(db, tenant.id, (tx) =>
    tx.membership.upsert({
      where: { tenantId_userId: { tenantId: tenant.id, userId: userId! } },
      create: { tenantId: tenant.id, userId: userId!, role: 'owner' },
      update: {},
    }),
  );
  return { tenantId: tenant.id, email: DEMO_OWNER_EMAIL, password };
}
