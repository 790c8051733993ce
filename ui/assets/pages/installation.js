// @ts-check
// The installation page, for any package: reads the installation and its package from the
// registry, then hands the page to the package's own section (its manifest's ui_section, served
// from the package's folder at /assets/packages/<slug>/ui/) or, for a package without one, to the
// generic page (status, version, configuration as stored, install progress, uninstall).
import { api, requireSession, tenantPath } from '../api.js';
import { $, pageError, renderShell } from '../dom.js';
import { renderGenericSection } from '../installation/generic-section.js';

async function main() {
  const session = await requireSession();
  const shell = renderShell({ session, active: 'installations' });
  if (!shell.membership) throw new Error('Your account is not a member of any organisation.');
  const id = decodeURIComponent(location.pathname.split('/')[2] ?? '');
  const installation = await api.get(tenantPath(shell.membership, `/installations/${id}`));
  const pkg = await api.get(`/api/packages/${encodeURIComponent(installation.package_slug)}`).catch(() => null);
  /** @type {import('../installation/frame.js').SectionContext} */
  const ctx = { main: $('#main'), membership: shell.membership, canManage: shell.canManage, me: session.user.id, installation, pkg };
  // Only a module the app serves from a package's folder (never an address from elsewhere).
  const section = pkg?.manifest?.ui_section;
  if (typeof section === 'string' && section.startsWith('/assets/packages/')) {
    const mod = await import(section);
    return mod.renderSection(ctx);
  }
  return renderGenericSection(ctx);
}

main().catch(pageError);
