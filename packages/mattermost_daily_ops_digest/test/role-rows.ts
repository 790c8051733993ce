// The digest's state-changing routes in the core's role table (test/integration/auth/role-table.test.ts,
// through test/helpers/package-test-parts.ts): each sends input that passes the role gate and
// then stops (bad body, unknown id), so only the gate is asserted.
import type { RoleTableRow } from '../../../test/helpers/package-test-parts';

export function rows(ctx: { installationId(): string }): RoleTableRow[] {
  return [
    {
      name: 'PUT installations/:id/credential (connect)',
      source: 'installation-digest.ts PUT /credential',
      method: 'put',
      path: () => `/installations/${ctx.installationId()}/credential`,
      body: { kind: 'carrier-pigeon' },
    },
    {
      name: 'DELETE installations/:id/credential (disconnect)',
      source: 'installation-digest.ts DELETE /credential',
      method: 'delete',
      path: () => `/installations/${ctx.installationId()}/credential`,
    },
    {
      name: 'PUT installations/:id/config',
      source: 'installation-digest.ts PUT /config',
      method: 'put',
      path: () => `/installations/${ctx.installationId()}/config`,
      body: { no_such_option: true },
    },
    {
      name: 'POST installations/:id/digest-preview (read only)',
      source: 'digest-preview.ts POST /:id/digest-preview',
      method: 'post',
      path: () => `/installations/${ctx.installationId()}/digest-preview`,
      body: { config: { max_lines: 'many' } },
      readOnly: true,
    },
  ];
}
