// @ts-check
// Marketplace: the package registry (latest version of each), marked when already installed.
import { api, requireSession, tenantPath } from '../api.js';
import { $, badge, h, message, pageError, renderShell, replace } from '../dom.js';

function latestPerSlug(items) {
  const seen = new Map();
  for (const p of items) if (!seen.has(p.slug)) seen.set(p.slug, p);
  return [...seen.values()];
}

function packageCard(p, installation) {
  const installed = installation && installation.status !== 'uninstalled';
  const titleId = `pkg-${p.slug}`;
  return h(
    'article',
    { class: 'card package-card', 'aria-labelledby': titleId },
    h('h2', { id: titleId }, h('a', { href: `/packages/${encodeURIComponent(p.slug)}` }, p.name)),
    h('p', { class: 'meta' }, `${p.publisher} · ${p.category} · version ${p.version}`),
    h('p', {}, p.description),
    h(
      'div',
      { class: 'actions' },
      installed ? badge(installation.status) : null,
      installed
        ? h(
            'a',
            { class: 'btn secondary', href: `/installations/${installation.id}` },
            'Open installation',
            h('span', { class: 'visually-hidden' }, ` of ${p.name}`),
          )
        : h('a', { class: 'btn', href: `/packages/${encodeURIComponent(p.slug)}` }, 'View and install', h('span', { class: 'visually-hidden' }, ` ${p.name}`)),
    ),
  );
}

async function main() {
  const session = await requireSession();
  const { membership } = renderShell({ session, active: 'marketplace' });
  const list = $('#packages');
  if (!membership) {
    message($('#page-message'), 'warn', 'Your account is not a member of any organisation yet. Ask an owner to invite you.');
    replace(list);
    return;
  }
  const [packages, installations] = await Promise.all([api.get('/api/packages'), api.get(tenantPath(membership, '/installations'))]);
  const bySlug = new Map(installations.items.map((i) => [i.package_slug, i]));
  const items = latestPerSlug(packages.items);
  list.removeAttribute('aria-busy');
  replace(list, items.length ? items.map((p) => packageCard(p, bySlug.get(p.slug))) : h('p', { class: 'empty' }, 'No packages are published yet.'));
}

main().catch(pageError);
