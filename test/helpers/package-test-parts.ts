// A package's contributions to the core's cross-cutting tests (the OpenAPI probes, the role
// table): packages/<slug>/test/<part>.ts of each package the registry lists, found at run time so
// the core's tests name no package and a removed package takes its parts with it (as the workflow
// scenarios and stored histories do: test/workflows/scenarios/index.ts).
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Express } from 'express';
import type request from 'supertest';
import type { FakeMattermost } from '../fakes/mattermost-server';
import type { Db } from '../../lib/db/client';
import { withTenant } from '../../lib/db/with-tenant';
import { PACKAGE_MODULES } from '../../packages/registry';

const PACKAGES_DIR = path.resolve(__dirname, '..', '..', 'packages');

export function packageTestParts<T>(part: string): { slug: string; part: T }[] {
  return PACKAGE_MODULES.map((m) => m.definition.identity.slug)
    .filter((slug) => existsSync(path.join(PACKAGES_DIR, slug, 'test', `${part}.ts`)))
    .map((slug) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      return { slug, part: require(path.join(PACKAGES_DIR, slug, 'test', part)) as T };
    });
}

/**
 * What a package's OpenAPI probes get: the app, the tenant, and an installation of the package.
 * Functions, because the probes are listed before the test's beforeAll builds what they call.
 */
export interface OpenApiProbeContext {
  app(): Express;
  fake(): FakeMattermost;
  /** /api/tenants/<slug>. */
  T(): string;
  /** /api/tenants/<slug>/installations/<an installed installation of this package>. */
  INST(): string;
  bearer(role?: 'owner' | 'member'): { authorization: string };
  /** A failed run's execution and its correlation id, in the same tenant. */
  ids(): { execution: string; correlation: string };
}

/** packages/<slug>/test/openapi-probes.ts: one real call per operation the package documents (in order). */
export interface OpenApiProbes {
  probes(ctx: OpenApiProbeContext): Record<string, () => request.Test>;
}

/** One state-changing route in the core's role table (test/integration/auth/role-table.test.ts). */
export interface RoleTableRow {
  name: string;
  /** Where it is declared: "<file in api/routes or packages/<slug>/routes> <METHOD> <path in that router>". */
  source: string;
  method: 'post' | 'put' | 'patch' | 'delete';
  /** Path under /api/tenants/:tenant, built per request (some need a fresh target). */
  path: () => Promise<string> | string;
  body?: object;
  /** What owner/admin get once through the gate (default: anything but 401, 403 and a tenant 404). */
  allowedStatus?: number;
  /** A POST that changes nothing (a preview): members pass the gate like owners and admins. */
  readOnly?: true;
}

/** packages/<slug>/test/role-rows.ts: a row per state-changing route the package declares. */
export interface RoleTableRows {
  rows(ctx: { installationId(): string }): RoleTableRow[];
}

/** An installed installation of every registered package in the tenant (at its oldest version, empty config): slug → installation id. */
export async function installEveryPackage(db: Db, tenantId: string): Promise<Record<string, string>> {
  const installed: Record<string, string> = {};
  for (const { definition } of PACKAGE_MODULES) {
    const slug = definition.identity.slug;
    const row = await withTenant(db, tenantId, (tx) =>
      tx.installation.create({
        data: { tenantId, packageSlug: slug, packageVersion: definition.versions[0].version, status: 'installed', config: {}, installedAt: new Date() },
      }),
    );
    installed[slug] = row.id;
  }
  return installed;
}
