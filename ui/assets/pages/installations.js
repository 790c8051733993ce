// @ts-check
// My installations: every package installed in the organisation, with its version, state, last
// post and problem, and a way in to each.
import { api, requireSession, tenantPath } from '../api.js';
import { badge, h, pageError, renderShell, replace, table, timeEl } from '../dom.js';

async function main() {
  const session = await requireSession();
  const { membership } = renderShell({ session, active: 'installations' });
  const main = /** @type {HTMLElement} */ (document.getElementById('main'));
  if (!membership) {
    replace(
      main,
      h('h1', {}, 'My installations'),
      h('p', { class: 'callout warn' }, 'Your account is not a member of any organisation yet. Ask an owner to invite you.'),
    );
    return;
  }
  const [installations, packages] = await Promise.all([api.get(tenantPath(membership, '/installations')), api.get('/api/packages')]);
  const names = new Map(packages.items.map((p) => [p.slug, p.name]));
  const live = installations.items.filter((i) => i.status !== 'uninstalled');
  const gone = installations.items.filter((i) => i.status === 'uninstalled');
  const row = (i) =>
    h(
      'tr',
      { dataset: { installationId: i.id } },
      h('td', {}, h('a', { href: `/installations/${encodeURIComponent(i.id)}` }, names.get(i.package_slug) ?? i.package_slug)),
      h('td', {}, i.package_version),
      h('td', {}, badge(i.status)),
      h('td', {}, i.last_successful_post_at ? timeEl(i.last_successful_post_at, { short: true }) : 'none yet'),
      h('td', { class: 'wrap' }, i.last_error_kind ? badge(i.last_error_kind, 'err') : '—'),
    );
  const columns = ['Package', 'Version', 'Status', 'Last post', 'Problem'];
  replace(
    main,
    h('div', { class: 'page-head' }, h('h1', {}, 'My installations')),
    h(
      'p',
      { class: 'lede' },
      `Packages installed in ${membership.tenant_name}. Open one to see what it does, connect it, change its settings or uninstall it.`,
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'live-title' },
      h('h2', { id: 'live-title' }, `Installed (${live.length})`),
      table({ caption: 'Installed packages', columns, rows: live.map(row), empty: 'Nothing is installed yet.' }),
      live.length ? null : h('p', {}, h('a', { class: 'btn', href: '/marketplace' }, 'Browse the marketplace')),
    ),
    gone.length
      ? h(
          'section',
          { class: 'card', 'aria-labelledby': 'gone-title' },
          h('h2', { id: 'gone-title' }, `Uninstalled (${gone.length})`),
          table({ caption: 'Uninstalled packages', columns, rows: gone.map(row), empty: '' }),
        )
      : null,
  );
}

main().catch(pageError);
