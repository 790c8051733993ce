// @ts-check
// "Update available" on the installation page: shown when the registry has a newer version of
// the package than the installation runs. Lists what changed in each newer version (from the
// registry's changelog) and upgrades with one click — a package.upgrade directive; the API
// makes repeated clicks one directive, and the button is disabled while the request runs.
import { api } from '../api.js';
import { announce, busy, h, message } from '../dom.js';

function compareVersions(a, b) {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i] < pb[i] ? -1 : 1;
  return 0;
}

/** The panel, or null when the installation runs the newest version (or is not installed). */
export function updatePanel({ pkg, installation, canManage, upgradePath, onRequested }) {
  if (!pkg || installation.status !== 'installed') return null;
  const newer = (pkg.changelog ?? []).filter((c) => compareVersions(c.version, installation.package_version) > 0);
  if (newer.length === 0) return null;
  const target = newer[0].version; // newest first
  const box = h('div', { id: 'update-message' });
  const panel = h(
    'section',
    { class: 'card', id: 'update', 'aria-labelledby': 'update-title' },
    h('h2', { id: 'update-title' }, `Update available: version ${target}`),
    h('p', {}, `This installation runs version ${installation.package_version}. What changed:`),
    h(
      'ul',
      {},
      newer.map((c) => h('li', {}, h('strong', {}, c.version), ' — ', c.changes.join(' '))),
    ),
    box,
  );
  if (!canManage) {
    panel.append(h('p', { class: 'hint' }, 'Upgrading needs the owner or admin role.'));
    return panel;
  }
  const button = h('button', { type: 'button', class: 'btn', id: 'upgrade-button' }, `Upgrade to ${target}`);
  button.addEventListener('click', () =>
    busy(button, 'Upgrading…', async () => {
      try {
        const res = await api.post(upgradePath, { version: target });
        message(box, 'ok', res.created ? `Upgrade to ${target} requested; settings are carried over.` : `An upgrade to ${target} is already running.`);
        announce('Upgrade requested');
        await onRequested();
      } catch (err) {
        message(box, 'err', err.message);
      }
    }),
  );
  panel.append(
    h('p', { class: 'hint' }, 'Your settings, connection and schedule are kept; new settings start at their defaults.'),
    h('div', { class: 'actions' }, button),
  );
  return panel;
}
