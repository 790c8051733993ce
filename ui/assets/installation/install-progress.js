// @ts-check
// Install progress, from the installation's package.install directive and its lifecycle signals
// (requested → started → completed, or failed with the error): on top while the install runs or
// after it failed, at the bottom once it is done. The same for every package.
import { api, tenantPath } from '../api.js';
import { $, badge, h, jsonDetails, renderIfChanged, signalLabel, temporalLink, timeEl } from '../dom.js';

/** The lifecycle states in which the page polls fast and re-reads the install directive. */
export const ACTIVE_INSTALL = new Set(['requested', 'installing', 'uninstalling']);

const STEP_ORDER = ['package.install.requested', 'package.install.started', 'package.install.completed'];

/** The slots the progress card moves between (place both in the page: top under the head, bottom at the end). */
export const progressSlots = () => ({ top: h('div', { id: 'progress-top' }), bottom: h('div', { id: 'progress-bottom' }) });

async function loadInstallDirective(membership, installationId) {
  const list = await api.get(tenantPath(membership, `/directives?installation_id=${installationId}&type=package.install&limit=1`));
  const d = list.items[0];
  if (!d) return null;
  const detail = await api.get(tenantPath(membership, `/directives/${d.id}`));
  return { directive: detail, signals: detail.signals };
}

/**
 * Follows one installation's install: `follow(installation)` re-reads the directive at first and
 * while the lifecycle moves (and says whether the install has just completed); `render()` shows it.
 * @param {import('./frame.js').SectionContext} ctx
 */
export function installProgress(ctx) {
  /** @type {{ directive: any, signals: any[] } | null} */
  let install = null;
  /** @type {string | null} */
  let lastStatus = null;
  return {
    /** @param {{ status: string }} installation @returns {Promise<boolean>} true when this read saw the install complete */
    async follow(installation) {
      const wasActive = lastStatus !== null && ACTIVE_INSTALL.has(lastStatus);
      const justInstalled = lastStatus !== null && lastStatus !== 'installed' && installation.status === 'installed';
      if (!install || wasActive || ACTIVE_INSTALL.has(installation.status) || justInstalled)
        install = await loadInstallDirective(ctx.membership, ctx.installation.id);
      lastStatus = installation.status;
      return justInstalled;
    },
    /** @param {{ status: string }} installation */
    render(installation) {
      renderProgress(install, installation.status);
    },
  };
}

function renderProgress(inst, status) {
  const active = ACTIVE_INSTALL.has(status);
  const top = $('#progress-top');
  const bottom = $('#progress-bottom');
  const slot = active || status === 'failed' ? top : bottom;
  (slot === top ? bottom : top).replaceChildren();
  delete (slot === top ? bottom : top).dataset.renderKey;
  renderIfChanged(slot, [inst?.directive?.id, inst?.directive?.status, inst?.signals?.map((s) => s.id), status, slot.id], () => {
    if (!inst) return null;
    const seen = new Map(inst.signals.map((s) => [s.type, s]));
    const failed = seen.get('package.install.failed');
    const steps = STEP_ORDER.map((type, n) => {
      const s = seen.get(type);
      if (type === 'package.install.completed' && failed) return { type: failed.type, s: failed, cls: 'failed' };
      return { type, s, cls: s ? 'done' : n === 0 || seen.get(STEP_ORDER[n - 1]) ? 'pending' : '' };
    });
    return h(
      'section',
      { class: 'card', id: 'install-progress', 'aria-labelledby': 'install-progress-title' },
      h('h2', { id: 'install-progress-title' }, 'Install progress ', badge(inst.directive.status)),
      h(
        'ol',
        { class: 'timeline', id: 'lifecycle', 'aria-live': active ? 'polite' : null },
        steps.map(({ type, s, cls }) =>
          h(
            'li',
            { class: cls, dataset: { signal: type } },
            h('div', { class: 'what' }, signalLabel(type), s ? null : h('span', { class: 'visually-hidden' }, ' (not yet)')),
            h('div', { class: 'when' }, s ? timeEl(s.occurred_at) : cls === 'pending' ? 'waiting…' : 'not yet'),
            s && type.endsWith('failed') ? h('p', {}, String(s.payload?.error ?? inst.directive.error ?? '')) : null,
          ),
        ),
      ),
      h(
        'div',
        { class: 'actions' },
        temporalLink(inst.directive.temporal_url),
        h('a', { href: `/admin?correlation=${encodeURIComponent(inst.directive.correlation_id)}#timeline` }, 'Full timeline'),
        jsonDetails(
          'All lifecycle signals',
          inst.signals.map((s) => ({ type: s.type, at: s.occurred_at })),
        ),
      ),
    );
  });
}
