// @ts-check
// Uninstall, for every package: a card (owners and admins, while installed or failed) that asks
// first, then requests the package.uninstall directive (DELETE …/installations/:id); the page's
// install progress and status follow it. The section says in one sentence what stops.
import { api } from '../api.js';
import { $, announce, busy, h, message, renderIfChanged } from '../dom.js';
import { flash, installationPath, packageName, usesMattermost } from './frame.js';

/**
 * Renders the card into #uninstall-slot for the installation as last read.
 * @param {import('./frame.js').SectionContext} ctx
 * @param {{ status: string }} installation
 * @param {{ stops: string, onRequested: () => unknown }} what `stops`: what uninstalling stops, as a sentence (e.g. "Stops the package and removes what it set up.")
 */
export function renderUninstall(ctx, installation, { stops, onRequested }) {
  const show = ctx.canManage && (installation.status === 'installed' || installation.status === 'failed');
  const name = packageName(ctx);
  const connection = usesMattermost(ctx)
    ? ' Your organisation’s Mattermost connection stays for its other packages (disconnect it on Connections); a connection of this installation’s own is deleted.'
    : '';
  renderIfChanged($('#uninstall-slot'), [show, installation.status, stops], () =>
    show
      ? h(
          'section',
          { class: 'card', id: 'uninstall', 'aria-labelledby': 'uninstall-title' },
          h('h2', { id: 'uninstall-title' }, 'Uninstall'),
          h('p', {}, `${stops}${connection} The history (runs and signals) stays until retention removes it. You can install the package again later.`),
          h('div', { id: 'uninstall-message' }),
          h(
            'div',
            { class: 'actions' },
            h(
              'button',
              { type: 'button', class: 'btn danger', id: 'uninstall-button', onclick: (e) => uninstall(ctx, e.currentTarget, stops, onRequested) },
              `Uninstall ${name}`,
            ),
          ),
        )
      : null,
  );
}

async function uninstall(ctx, button, stops, onRequested) {
  if (
    !confirm(
      `Uninstall ${packageName(ctx)} from ${ctx.membership.tenant_name}? ${stops}${usesMattermost(ctx) ? ' Your organisation’s Mattermost connection stays.' : ''}`,
    )
  )
    return;
  await busy(button, 'Uninstalling…', async () => {
    try {
      await api.del(installationPath(ctx));
      flash($('#uninstall-message'), 'info', 'Uninstall requested. This page follows its progress.');
      announce('Uninstall requested');
    } catch (err) {
      message($('#uninstall-message'), 'err', err.message);
    }
  });
  await Promise.resolve(onRequested()).catch(() => undefined);
}
