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

/** The settings a person chooses, in the order the installation page shows them. */
const SETTING_LABELS = {
  enabled: 'Daily digest on',
  schedule_time: 'Time of day',
  timezone: 'Time zone',
  channel: 'Channel',
  include_cost_estimates: 'Include approximate cost',
  include_llm_summary: 'Include an LLM summary',
  max_lines: 'Most lines per digest',
  post_as_username: 'Post as',
  post_icon_url: 'Icon URL',
};

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
      ' directive and runs it as a workflow; you can follow each step live. Afterwards, connect Mattermost and choose when the digest is posted.',
    ),
    h(
      'p',
      { class: 'hint' },
      `It starts with the daily time 09:00 in your time zone (${Intl.DateTimeFormat().resolvedOptions().timeZone}); you can change both after installing.`,
    ),
  );
  if (!canManage) {
    panel.append(h('p', { class: 'callout warn' }, `Installing needs the owner or admin role; you are ${membership.role}.`));
    return panel;
  }
  const button = h('button', { type: 'button', class: 'btn', id: 'install-button' }, `Install ${pkg.name}`);
  button.addEventListener('click', () =>
    busy(button, 'Installing…', async () => {
      try {
        const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
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
  const exampleCard = exampleDigestCard(example);
  document.title = `${pkg.name} · FleetPrompt`;
  const m = pkg.manifest ?? {};
  const provides = m.provides ?? {};
  const schema = m.config_schema?.properties ?? {};
  const required = new Set(m.config_schema?.required ?? []);
  // The credential reference is set by connecting Mattermost, not chosen here.
  const config = [
    ...Object.keys(SETTING_LABELS).filter((k) => k in schema),
    ...Object.keys(schema).filter((k) => !(k in SETTING_LABELS) && k !== 'mattermost_credential_id'),
  ].map((k) => [k, schema[k]]);
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
            rows: config.map(([name, f]) =>
              h(
                'tr',
                {},
                h('td', {}, SETTING_LABELS[name] ?? name, h('br'), h('code', { class: 'meta' }, name)),
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

/** The example digest (what the package posts), rendered as Mattermost would. */
function exampleDigestCard(example) {
  if (!example) return null;
  return h(
    'section',
    { class: 'card', id: 'example-digest', 'aria-labelledby': 'example-title' },
    h('h2', { id: 'example-title' }, 'Example digest'),
    h(
      'p',
      { class: 'hint' },
      'What the package posts to Mattermost each day, for a made-up but typical day, with the default settings. Your digest is made from your own signals.',
    ),
    mattermostPost({
      text: example.text,
      username: example.username,
      iconUrl: example.icon_url,
      truncated: example.truncated,
      label: 'Example digest as Mattermost shows it',
    }),
  );
}

main().catch(pageError);
