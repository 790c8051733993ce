// @ts-check
// The frame every installation page shares, whatever the package: the breadcrumbs, the title with
// the status badge, the version line with a way into the support view, the uninstalled / failed
// callout and "Update available". A package's section (its manifest's ui_section) builds its own
// cards under it; the generic page (a package without a section) uses it as it is.
import { tenantPath } from '../api.js';
import { $, badge, breadcrumbs, h, message, renderIfChanged, replace } from '../dom.js';
import { updatePanel } from './update-panel.js';

/**
 * What the installation page hands a section (PackageDefinition.uiSection's renderSection).
 * @typedef {object} SectionContext
 * @property {HTMLElement} main the page's <main>, for the section to fill
 * @property {any} membership the organisation the page works in (tenant_slug, tenant_name, role)
 * @property {boolean} canManage owner or admin
 * @property {string} me the signed-in user's id (so a connection's actor reads as "you")
 * @property {import('../../types/api').Installation} installation as first read (GET …/installations/:id)
 * @property {import('../../types/api').PackageDetail | null} pkg the registry's package (null if it could not be read)
 */

/** `/api/tenants/<slug>/installations/<id><rest>` for the page's installation. */
export const installationPath = (/** @type {SectionContext} */ ctx, rest = '') => tenantPath(ctx.membership, `/installations/${ctx.installation.id}${rest}`);

/** The package's display name (the registry's; the slug when the registry could not be read). */
export const packageName = (/** @type {SectionContext} */ ctx) => ctx.pkg?.name ?? ctx.installation.package_slug;

/** Whether the package posts through the organisation's Mattermost connection (its manifest's required integrations). */
export const usesMattermost = (/** @type {SectionContext} */ ctx) =>
  Array.isArray(ctx.pkg?.manifest?.required_integrations) && ctx.pkg.manifest.required_integrations.some((i) => i?.provider === 'mattermost');

const FLASH_MS = 15_000;

/** A message; success and progress notes clear themselves after a while (errors stay). */
export function flash(box, tone, text, extra) {
  message(box, tone, text, extra);
  if (tone === 'err') return;
  const shown = box.firstElementChild;
  setTimeout(() => {
    if (box.firstElementChild === shown) replace(box);
  }, FLASH_MS);
}

/** The head of the page: breadcrumbs, title and status badge, the version line, the lifecycle callout, the update slot. */
export function frameHead() {
  return [
    breadcrumbs({ text: 'My installations', href: '/installations' }, { text: 'Package', href: '#', id: 'crumb-package' }, { text: 'Installation' }),
    h('div', { class: 'page-head' }, h('h1', { id: 'title' }, 'Installation'), h('span', { id: 'status-badge' })),
    h('p', { class: 'lede', id: 'lede' }),
    h('div', { id: 'page-message' }),
    h('div', { id: 'update-available' }),
  ];
}

/**
 * Fills the head from the installation as last read. `about` is the section's one sentence on
 * what the package does (optional); `onUpgraded` runs once an upgrade was requested.
 * @param {SectionContext} ctx
 * @param {import('../../types/api').Installation} i
 * @param {{ about?: string, onUpgraded?: () => unknown }} [opts]
 */
export function renderFrameHead(ctx, i, { about, onUpgraded } = {}) {
  const name = packageName(ctx);
  const packageHref = `/packages/${encodeURIComponent(i.package_slug)}`;
  $('#title').textContent = name;
  document.title = `${name} · FleetPrompt`;
  renderIfChanged($('#status-badge'), [i.status], () => badge(i.status));
  renderIfChanged($('#lede'), [i.package_version, about], () => [
    about ? `${about} ` : null,
    `Version ${i.package_version} in ${ctx.membership.tenant_name}. `,
    h('a', { href: `/admin?installation=${encodeURIComponent(i.id)}` }, 'Everything that happened to it, in the support view'),
  ]);
  const crumb = /** @type {HTMLAnchorElement} */ ($('#crumb-package'));
  crumb.textContent = name;
  crumb.href = packageHref;
  renderIfChanged($('#page-message'), [i.status], () =>
    i.status === 'uninstalled'
      ? h(
          'div',
          { class: 'callout warn', role: 'status' },
          h('p', {}, 'This installation was uninstalled. ', h('a', { href: packageHref }, 'Install it again')),
        )
      : i.status === 'failed'
        ? h(
            'div',
            { class: 'callout err', role: 'alert' },
            h('p', {}, 'The install failed. See the install progress below, then try again from the package page.'),
          )
        : null,
  );
  renderIfChanged($('#update-available'), [i.package_version, i.status], () =>
    updatePanel({ pkg: ctx.pkg, installation: i, canManage: ctx.canManage, upgradePath: installationPath(ctx, '/upgrade'), onRequested: () => onUpgraded?.() }),
  );
}
