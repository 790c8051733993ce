// @ts-check
// Package detail and Install. The button acts once however often it is clicked (it is disabled
// while the request runs), and the API is idempotent anyway: the same request gives the same
// directive and installation.
import { api, ApiError, requireSession, tenantPath } from '../api.js';
import { announce, badge, busy, h, message, pageError, renderShell, replace, table } from '../dom.js';
import { mattermostPost } from '../mattermost-post.js';

const TYPE_LABELS = {
  uuid: 'reference',
  'iana-time-zone': 'time zone',
  'HH:MM': 'time of day',
  boolean: 'on / off',
  integer: 'number',
  number: 'number',
  string: 'text',
  uri: 'URL',
  array: 'list',
};

/** The kind of a JSON Schema property (the manifest's config_schema is generated JSON Schema). */
function kindOf(f) {
  const variant = (f.anyOf ?? []).find((x) => x.type !== 'null') ?? f;
  const type = Array.isArray(variant.type) ? variant.type.find((t) => t !== 'null') : variant.type;
  return TYPE_LABELS[variant.format] ?? TYPE_LABELS[type] ?? variant.format ?? type ?? 'value';
}

/** A setting's name: its JSON Schema title (the package's zod .meta({ title })), else its key in words. */
function settingLabel(key, f) {
  if (typeof f?.title === 'string') return f.title;
  const words = key.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function list(items, render) {
  return items.length
    ? h(
        'ul',
        {},
        items.map((x) => h('li', {}, render(x))),
      )
    : h('p', { class: 'empty' }, 'None.');
}

function installPanel(pkg, membership, canManage, existing) {
  const schema = pkg.manifest?.config_schema?.properties ?? {};
  const usesMattermost = (pkg.manifest?.required_integrations ?? []).some((i) => i?.provider === 'mattermost');
  // A package with a time zone setting starts in the browser's (one without refuses a field it does not have).
  const zone = 'timezone' in schema ? Intl.DateTimeFormat().resolvedOptions().timeZone || null : null;
  const box = h('div', { id: 'install-message' });
  const live = existing && existing.status !== 'uninstalled';
  const panel = h('section', { class: 'card', 'aria-labelledby': 'install-title' }, h('h2', { id: 'install-title' }, 'Install'), box);
  if (live) {
    panel.append(
      h('p', {}, 'This package is installed in ', h('strong', {}, membership.tenant_name), '. ', badge(existing.status)),
      h('a', { class: 'btn', href: `/installations/${existing.id}` }, 'Open installation'),
    );
    return panel;
  }
  panel.append(
    h(
      'p',
      {},
      'Installing records a ',
      h('code', {}, 'package.install'),
      ' directive and runs it as a workflow; you can follow each step live.',
      usesMattermost
        ? ' Afterwards, connect Mattermost and choose its settings on the installation page.'
        : ' Afterwards, its settings are on the installation page.',
    ),
    zone
      ? h(
          'p',
          { class: 'hint' },
          typeof schema.schedule_time?.default === 'string'
            ? `It starts with the daily time ${schema.schedule_time.default} in your time zone (${zone}); you can change both after installing.`
            : `It starts in your time zone (${zone}); you can change it after installing.`,
        )
      : null,
  );
  if (!canManage) {
    panel.append(h('p', { class: 'callout warn' }, `Installing needs the owner or admin role; you are ${membership.role}.`));
    return panel;
  }
  const button = h('button', { type: 'button', class: 'btn', id: 'install-button' }, `Install ${pkg.name}`);
  button.addEventListener('click', () =>
    busy(button, 'Installing…', async () => {
      try {
        const res = await api.post(tenantPath(membership, '/installations'), { package_slug: pkg.slug, config: zone ? { timezone: zone } : undefined });
        message(box, 'ok', res.created ? 'Install requested. Opening the installation…' : 'Already requested. Opening the installation…');
        announce('Install requested');
        location.assign(`/installations/${res.installation.id}`);
        await new Promise(() => {}); // keep the button disabled while the next page loads
      } catch (err) {
        const existingId = err instanceof ApiError && err.details?.installation_id;
        message(box, 'err', err.message, existingId ? h('p', {}, h('a', { href: `/installations/${existingId}` }, 'Open the existing installation')) : null);
      }
    }),
  );
  panel.append(h('div', { class: 'actions' }, button));
  return panel;
}

async function main() {
  const session = await requireSession();
  const { membership, canManage } = renderShell({ session, active: 'marketplace' });
  const slug = decodeURIComponent(location.pathname.split('/')[2] ?? '');
  const [pkg, installations, example] = await Promise.all([
    api.get(`/api/packages/${encodeURIComponent(slug)}`),
    membership ? api.get(tenantPath(membership, '/installations')) : { items: [] },
    api.get(`/api/packages/${encodeURIComponent(slug)}/example-digest`).catch(() => null),
  ]);
  const exampleCard = examplePostCard(example);
  document.title = `${pkg.name} · FleetPrompt`;
  const m = pkg.manifest ?? {};
  const provides = m.provides ?? {};
  const schema = m.config_schema?.properties ?? {};
  const required = new Set(m.config_schema?.required ?? []);
  // The credential reference is set by connecting Mattermost, not chosen here. By name: the
  // registry keeps the manifest as jsonb, which does not keep the schema's order.
  const config = Object.keys(schema)
    .filter((k) => k !== 'mattermost_credential_id')
    .map((k) => [k, schema[k], settingLabel(k, schema[k])])
    .sort((a, b) => a[2].localeCompare(b[2], undefined, { sensitivity: 'base' }));
  const existing = installations.items.find((i) => i.package_slug === pkg.slug);

  replace(
    document.getElementById('main'),
    h(
      'nav',
      { class: 'breadcrumbs', 'aria-label': 'Breadcrumb' },
      h('ol', {}, h('li', {}, h('a', { href: '/marketplace' }, 'Marketplace')), h('li', {}, h('span', { 'aria-current': 'page' }, pkg.name))),
    ),
    h('div', { class: 'page-head' }, h('h1', {}, pkg.name), badge(`version ${pkg.version}`, 'info')),
    h('p', { class: 'lede' }, pkg.description),
    h(
      'div',
      { class: 'cols' },
      h(
        'div',
        {},
        h(
          'section',
          { class: 'card', 'aria-labelledby': 'about-title' },
          h('h2', { id: 'about-title' }, 'About'),
          h(
            'dl',
            { class: 'facts' },
            h('dt', {}, 'Publisher'),
            h('dd', {}, pkg.publisher),
            h('dt', {}, 'Category'),
            h('dd', {}, pkg.category),
            h('dt', {}, 'Versions'),
            h('dd', {}, pkg.versions.join(', ')),
          ),
          h('h3', {}, 'What it adds'),
          list([...(provides.workflow_templates ?? []), ...(provides.agent_templates ?? [])], (t) => [h('strong', {}, t.name), ` — ${t.description}`]),
          h('h3', {}, 'Connects to'),
          list(
            provides.integrations ?? [],
            (i) =>
              `${i.provider[0].toUpperCase()}${i.provider.slice(1)} (${i.kinds.map((k) => (k === 'pat' ? 'personal access token' : 'incoming webhook')).join(' or ')})`,
          ),
          h('h3', {}, 'Reads these signals'),
          list(m.consumes ?? [], (s) => h('code', {}, s)),
          h('h3', {}, 'Reports these signals'),
          list(m.emits ?? [], (s) => h('code', {}, s)),
        ),
        h(
          'section',
          { class: 'card', 'aria-labelledby': 'settings-title' },
          h('h2', { id: 'settings-title' }, 'Settings'),
          table({
            caption: 'Package settings',
            columns: ['Setting', 'Kind', 'Default', 'Required'],
            rows: config.map(([name, f, label]) =>
              h(
                'tr',
                {},
                h('td', {}, label, h('br'), h('code', { class: 'meta' }, name)),
                h('td', {}, kindOf(f)),
                h('td', {}, f.default === undefined || f.default === null ? '—' : String(f.default)),
                h('td', {}, required.has(name) ? 'yes' : 'no'),
              ),
            ),
            empty: 'This package has no settings.',
          }),
        ),
      ),
      h('div', {}, installPanel(pkg, membership, canManage, existing), exampleCard),
    ),
  );
}

/** The package's example post (PackageModule.examplePost: what it posts), rendered as Mattermost would. */
function examplePostCard(example) {
  if (!example) return null;
  return h(
    'section',
    { class: 'card', id: 'example-digest', 'aria-labelledby': 'example-title' },
    h('h2', { id: 'example-title' }, 'What it posts'),
    h(
      'p',
      { class: 'hint' },
      'An example of what the package posts to Mattermost, for a made-up but typical day, with the default settings. Yours are made from your own signals.',
    ),
    mattermostPost({
      text: example.text,
      username: example.username,
      iconUrl: example.icon_url,
      truncated: example.truncated,
      label: 'Example post as Mattermost shows it',
    }),
  );
}

main().catch(pageError);
