// Shared pieces of the hostile-input tests: a tenant with an installed package (rows made
// directly, no Temporal), a fingerprint of everything stored for it (to prove "no partial
// write"), and a tally of outcomes by status and error code (printed for the report).
import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import type { Response } from 'supertest';
import type { DbHandle } from '../../../lib/db/client';
import { withTenant } from '../../../lib/db/with-tenant';
import { ERROR_STATUS } from '../../../lib/errors/app-error';
import { aRegisteredPackage } from '../../helpers/registered-package';
import { createTestTenant, type TestTenant } from '../../helpers/db';

/** Any package will do here (the first the registry lists): what is tested is the core's. */
const PKG = aRegisteredPackage();

export interface HostileTenant {
  tenant: TestTenant;
  installationId: string;
  failedExecutionId: string;
}

export async function hostileTenant(handle: DbHandle): Promise<HostileTenant> {
  const tenant = await createTestTenant(handle, 'hx');
  const pkg = await handle.db.package.findFirstOrThrow({ where: { slug: PKG.slug }, orderBy: { createdAt: 'desc' } });
  return withTenant(handle.db, tenant.id, async (tx) => {
    const installation = await tx.installation.create({
      data: {
        tenantId: tenant.id,
        packageSlug: pkg.slug,
        packageVersion: pkg.version,
        status: 'installed',
        config: PKG.defaults(pkg.version),
      },
    });
    const id = randomUUID();
    await tx.execution.create({
      data: {
        id,
        tenantId: tenant.id,
        installationId: installation.id,
        kind: 'mattermost_digest',
        trigger: 'manual',
        status: 'failed',
        errorKind: 'network',
        correlationId: `digest:${tenant.id}:manual:${id}`,
        dedupeKey: `mattermost_post:${tenant.id}:manual:${id}`,
        workflowId: `digest:${tenant.id}:manual:${id}`,
        windowStart: new Date(Date.now() - 86_400_000),
        windowEnd: new Date(),
      },
    });
    return { tenant, installationId: installation.id, failedExecutionId: id };
  });
}

/**
 * A digest of every row of every tenant-scoped table for this tenant, plus the user's sessions.
 * An API token's last_used_at is left out: using a token records its use, which is not a write
 * the request made.
 */
export async function fingerprint(admin: Client, tenant: TestTenant): Promise<Record<string, string>> {
  const tables = await admin.query<{ table_name: string }>(
    `select table_name from information_schema.columns where table_schema = 'public' and column_name = 'tenant_id' order by table_name`,
  );
  const out: Record<string, string> = {};
  for (const { table_name: table } of tables.rows) {
    const r = await admin.query<{ n: string; h: string | null }>(
      `select count(*)::text as n, md5(string_agg((to_jsonb(t) - 'last_used_at')::text, ',' order by (to_jsonb(t) - 'last_used_at')::text)) as h from "${table}" t where tenant_id = $1`,
      [tenant.id],
    );
    out[table] = `${r.rows[0].n}:${r.rows[0].h ?? ''}`;
  }
  const sessions = await admin.query<{ n: string }>(`select count(*)::text as n from sessions where user_id = $1`, [tenant.userId]);
  out.sessions = sessions.rows[0].n;
  const tenants = await admin.query<{ n: string }>(`select count(*)::text as n from tenants`);
  out.tenants_total = tenants.rows[0].n;
  return out;
}

export const CLIENT_ERROR_CODES = new Set(
  Object.entries(ERROR_STATUS)
    .filter(([, status]) => status >= 400 && status < 500)
    .map(([code]) => code),
);

/** Outcomes by "status code" across a file, for the report. */
export class Tally {
  readonly counts = new Map<string, number>();
  total = 0;

  add(res: Response): void {
    this.total++;
    const key = `${res.status} ${res.body?.error?.code ?? (res.status < 300 ? 'ok' : '?')}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  toString(): string {
    return [...this.counts.entries()]
      .sort()
      .map(([k, n]) => `${k}: ${n}`)
      .join(', ');
  }
}

/** The one error shape, a 4xx and a stable code; never a 5xx. */
export function expectClientError(res: Response, context: string): void {
  if (res.status >= 500 || res.status < 400) {
    throw new Error(`${context}: expected a 4xx, got ${res.status} ${res.text.slice(0, 300)}`);
  }
  const code = res.body?.error?.code;
  if (!CLIENT_ERROR_CODES.has(code) || typeof res.body.error.message !== 'string') {
    throw new Error(`${context}: expected { error: { code, message } } with a stable code, got ${res.status} ${res.text.slice(0, 300)}`);
  }
}
