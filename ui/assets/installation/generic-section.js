// @ts-check
// The installation page of a package without a section of its own (no ui_section in its
// manifest): what the platform knows about any installation, from real state only — its status
// and version, the last error, whether Temporal matches what was saved, the configuration as
// stored (named by the manifest's JSON Schema), the integrations it needs and whether the
// organisation has them, the install progress, "Update available" and Uninstall. It offers no
// control the platform cannot carry out for every package: settings, runs and the like are the
// package's own section's.
import { api, tenantPath } from '../api.js';
import { $, badge, card, errorKindBadge, h, message, renderIfChanged, replace, timeEl } from '../dom.js';
import { poller } from '../poll.js';
import { frameHead, installationPath, renderFrameHead } from './frame.js';
import { ACTIVE_INSTALL, installProgress, progressSlots } from './install-progress.js';
import { renderUninstall } from './uninstall.js';

const FAST_MS = 1500;
const SLOW_MS = 10_000;
const UNINSTALL_STOPS = 'Stops the package and removes what it set up.';

/** A stored config value in words (config is non-secret by contract: a credential is referenced by id). */
function valueText(v) {
  if (v === null || v === undefined || v === '') return h('span', { class: 'hint' }, 'not set');
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (Array.isArray(v))
    return v.length ? v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(', ') : h('span', { class: 'hint' }, 'none');
  if (typeof v === 'object') return h('code', { class: 'break-anywhere' }, JSON.stringify(v));
  return h('span', { class: 'break-anywhere' }, String(v));
}

/**
 * The config's keys, each named by its schema title (else the key) with its description, in
 * alphabetical order of those names (the registry stores the manifest as jsonb, which does not
 * keep the schema's order).
 */
function configFacts(config, schema) {
  const props = schema?.properties ?? {};
  const title = (k) => (typeof props[k]?.title === 'string' ? props[k].title : k);
  const keys = Object.keys(config).sort((a, b) => title(a).localeCompare(title(b), undefined, { sensitivity: 'base' }));
  if (!keys.length) return h('p', { class: 'empty', id: 'config-empty' }, 'This installation has no settings.');
  return h(
    'dl',
    { class: 'facts', id: 'config-facts' },
    keys.map((k) => [
      h('dt', {}, typeof props[k]?.title === 'string' ? props[k].title : h('code', {}, k)),
      h(
        'dd',
        { dataset: { key: k } },
        valueText(config[k]),
        typeof props[k]?.description === 'string' ? h('p', { class: 'hint' }, props[k].description) : null,
      ),
    ]),
  );
}

/**
 * @param {import('./frame.js').SectionContext} ctx
 */
export async function renderGenericSection(ctx) {
  /** @type {{ installation: import('../../types/api').Installation, tenant: any }} */
  const state = { installation: ctx.installation, tenant: null };
  const required = Array.isArray(ctx.pkg?.manifest?.required_integrations) ? ctx.pkg.manifest.required_integrations : [];
  const needsMattermost = required.some((r) => r?.provider === 'mattermost');
  const progress = installProgress(ctx);
  const poll = poller(
    () => refresh(),
    () => (ACTIVE_INSTALL.has(state.installation.status) ? FAST_MS : SLOW_MS),
  );
  const slots = progressSlots();

  replace(
    ctx.main,
    ...frameHead(),
    slots.top,
    h(
      'div',
      { class: 'cols' },
      h(
        'div',
        {},
        card('health', 'Status', h('div', { id: 'health-body', 'aria-live': 'polite' })),
        required.length ? card('integrations', 'Integrations it needs', h('div', { id: 'integrations-body' })) : null,
      ),
      h(
        'div',
        {},
        card(
          'configuration',
          'Configuration',
          h('p', { class: 'hint' }, 'As stored for this installation. This package has no settings page of its own, so they are shown here read-only.'),
          h('div', { id: 'config-body' }),
        ),
      ),
    ),
    h('div', { id: 'refresh-message' }),
    slots.bottom,
    h('div', { id: 'uninstall-slot' }),
  );

  function renderHealth() {
    const i = state.installation;
    renderIfChanged($('#health-body'), [i.status, i.package_version, i.installed_at, i.last_error, i.last_error_kind, i.apply_state], () => [
      h(
        'dl',
        { class: 'facts' },
        h('dt', {}, 'Status'),
        h('dd', { id: 'installation-status' }, badge(i.status)),
        h('dt', {}, 'Version'),
        h('dd', {}, i.package_version),
        h('dt', {}, 'Installed'),
        h('dd', {}, i.installed_at ? timeEl(i.installed_at) : 'not yet'),
        h('dt', {}, 'Applied'),
        h(
          'dd',
          { id: 'apply-state' },
          i.apply_state === 'applied' ? 'Temporal matches the saved state.' : 'Being applied: Temporal does not yet match the saved state.',
        ),
      ),
      i.last_error
        ? h(
            'div',
            { class: 'callout err', id: 'last-error', role: 'alert' },
            h('h3', {}, 'Last error'),
            h('p', { class: 'break-anywhere' }, i.last_error),
            i.last_error_kind ? h('p', {}, 'Kind: ', errorKindBadge(i.last_error_kind)) : null,
          )
        : null,
    ]);
  }

  function renderIntegrations() {
    if (!required.length) return;
    const c = state.tenant?.connection ?? null;
    const binding = (state.tenant?.bindings ?? []).find((b) => b.installation_id === ctx.installation.id);
    renderIfChanged($('#integrations-body'), [required, c?.state, c?.host, binding?.bound_to, binding?.channel, state.tenant === null], () =>
      h(
        'ul',
        {},
        required.map((r) =>
          h(
            'li',
            {},
            h('strong', {}, r.provider === 'mattermost' ? 'Mattermost' : r.provider),
            ` (${r.kinds.join(' or ')}): ${r.purpose} `,
            r.provider !== 'mattermost'
              ? null
              : state.tenant === null
                ? 'Whether your organisation is connected could not be read.'
                : c && c.state !== 'disconnected'
                  ? [
                      badge(c.state === 'connected' ? 'connected' : c.state, c.state === 'connected' ? 'ok' : 'warn'),
                      ` Your organisation’s connection on ${c.host}`,
                      binding?.bound_to === 'tenant'
                        ? `; this installation posts through it${binding.channel ? ` to ${binding.channel}` : ''}.`
                        : '; this installation is not bound to it.',
                    ]
                  : [badge('not connected', 'warn'), ' Your organisation has not connected Mattermost.'],
            ' ',
            r.provider === 'mattermost' ? h('a', { href: '/integrations' }, 'Manage on Connections') : null,
          ),
        ),
      ),
    );
  }

  async function refresh() {
    try {
      const [installation, tenant] = await Promise.all([
        api.get(installationPath(ctx)),
        needsMattermost ? api.get(tenantPath(ctx.membership, '/integrations/mattermost')).catch(() => null) : null,
      ]);
      state.installation = installation;
      state.tenant = tenant;
      await progress.follow(installation);
      renderFrameHead(ctx, installation, { about: ctx.pkg?.description, onUpgraded: () => refresh() });
      progress.render(installation);
      renderHealth();
      renderIntegrations();
      renderIfChanged($('#config-body'), [installation.config, installation.package_version], () =>
        configFacts(installation.config ?? {}, ctx.pkg?.version === installation.package_version ? ctx.pkg?.manifest?.config_schema : null),
      );
      renderUninstall(ctx, installation, { stops: UNINSTALL_STOPS, onRequested: () => refresh() });
      message($('#refresh-message'), 'ok', null);
    } catch (err) {
      message($('#refresh-message'), 'err', `Could not refresh: ${err.message}`);
    } finally {
      poll.schedule();
    }
  }

  await refresh();
}
