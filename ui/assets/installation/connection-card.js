// @ts-check
// The "Mattermost connection" card of an installation page: what the installation posts through
// (the organisation's connection, or one of its own from before connections were shared) from the
// API's masked metadata and evidence, the shared connect form (Connect / Reconnect), and Disconnect
// (of the organisation's connection when that is what it uses, saying which other packages stop
// too). For a package whose section has a connect endpoint (PUT/DELETE …/installations/:id/credential).
import { api, tenantPath } from '../api.js';
import { $, badge, card, h, message, renderIfChanged, replace, busy } from '../dom.js';
import { connectForm, connectionFacts, disconnectedSentence, evidenceNotes, presetConnectForm, submitConnect } from '../mattermost-connection.js';
import { flash, installationPath } from './frame.js';

/**
 * @param {import('./frame.js').SectionContext} ctx
 * @param {{ resumes: string, onChanged: () => Promise<unknown>, connectedExtra?: () => string }} how `resumes`: what connecting again
 *   resumes (e.g. "its posts"); `onChanged`: after a Connect or Disconnect (re-read the page); `connectedExtra`: a sentence after "Connected."
 */
export function connectionCard(ctx, { resumes, onChanged, connectedExtra = () => '' }) {
  /** @type {{ credential: any, tenant: any }} */
  const seen = { credential: null, tenant: null };
  /** This installation posts through the organisation's connection (not one of its own from before). */
  const usesTenantConnection = () => Boolean(seen.credential && seen.tenant?.connection?.id === seen.credential.id);
  /** The other installed packages that post through the organisation's connection. */
  const otherBoundPackages = () =>
    (seen.tenant?.bindings ?? []).filter((b) => b.bound_to === 'tenant' && b.installation_id !== ctx.installation.id).map((b) => b.package_name);

  async function connect(form) {
    const box = $('#connect-message');
    // Connects the organisation's connection, checked with this installation's channel, and binds this installation to it.
    await submitConnect(form, box, {
      send: (body) => api.put(installationPath(ctx, '/credential'), body),
      ok: (text) => flash(box, 'ok', text),
      extra: connectedExtra,
    });
    await onChanged().catch(() => undefined); // after busy(): the button shows the new state
  }

  async function disconnect(button) {
    const shared = usesTenantConnection();
    const others = shared ? otherBoundPackages() : [];
    const also = others.length ? ` This is your organisation’s connection: ${others.join(', ')} will stop posting too.` : '';
    if (
      !confirm(
        `Disconnect Mattermost? FleetPrompt deletes the stored webhook URL or token, and nothing is posted until you connect again.${also} Nothing changes in Mattermost itself.`,
      )
    )
      return;
    await busy(button, 'Disconnecting…', async () => {
      try {
        await api.del(shared ? tenantPath(ctx.membership, '/integrations/mattermost') : installationPath(ctx, '/credential'));
        flash($('#connect-message'), 'ok', `You disconnected Mattermost. FleetPrompt deleted the stored credential; connect again to resume ${resumes}.`);
      } catch (err) {
        message($('#connect-message'), 'err', err.message);
      }
    });
    await onChanged().catch(() => undefined);
  }

  const form = connectForm({ submit: connect });
  form.querySelector('#disconnect-button').addEventListener('click', (e) => disconnect(e.currentTarget));
  const node = card('connection', 'Mattermost connection', h('div', { id: 'connection-state' }), h('div', { id: 'connect-message' }), form);

  /**
   * @param {{ installation: { status: string }, credential: any, tenant: any }} now the installation, its credential
   *   (GET …/credential) and the organisation's connection with its bindings (GET …/integrations/mattermost; null if unread)
   */
  function render({ installation, credential: c, tenant }) {
    seen.credential = c;
    seen.tenant = tenant;
    // From evidence (the API's `state`): disconnected = a person disconnected it (Disconnect, or
    // uninstall); invalid = Mattermost refused it twice; refused_once = being checked again.
    const disconnected = c?.state === 'disconnected';
    const needsReconnect = c && c.state === 'invalid';
    const installed = installation.status === 'installed';
    form.hidden = !ctx.canManage; // members see the connection, not the form to change it
    if (needsReconnect && $('#connect-message .callout.ok')) replace($('#connect-message')); // "Connected" is no longer true
    /** @type {HTMLFieldSetElement} */ (form.querySelector('#connect-fields')).disabled = !ctx.canManage || !installed;
    for (const input of form.querySelectorAll('input')) input.disabled = !ctx.canManage || !installed;
    const button = /** @type {HTMLButtonElement} */ ($('#connect-button'));
    if (button.dataset.busy !== '1') {
      button.disabled = !ctx.canManage || !installed;
      button.textContent = c && !disconnected ? 'Reconnect Mattermost' : 'Connect Mattermost';
    }
    $('#disconnect-button').hidden = !c || disconnected || !ctx.canManage;

    presetConnectForm(form, c);
    const shared = usesTenantConnection();
    const others = otherBoundPackages();
    renderIfChanged($('#connection-state'), [c, installed, ctx.canManage, shared, others], () => {
      if (!installed) return h('p', { class: 'hint' }, 'You can connect Mattermost once the install has completed.');
      const parts = [];
      if (disconnected) {
        parts.push(
          h(
            'p',
            { id: 'disconnected-note' },
            badge('disconnected', 'warn'),
            ' ',
            disconnectedSentence(c, ctx.me),
            ` The stored credential was deleted. Connect again to resume ${resumes}.`,
          ),
        );
      } else if (!c) {
        parts.push(h('p', {}, badge('not connected', 'warn'), ` Connect an incoming webhook (or a personal access token) so ${resumes} can be posted.`));
      } else {
        parts.push(connectionFacts(c, ctx.me), ...evidenceNotes(c));
      }
      parts.push(
        h(
          'p',
          { class: 'hint', id: 'connection-scope' },
          shared
            ? `Your organisation’s connection${others.length ? `, also used by ${others.join(', ')}` : ''}: connecting here changes it for every package. `
            : c && !disconnected
              ? 'A connection of this installation’s own, made before connections were shared; Reconnect to use your organisation’s. '
              : 'Mattermost is connected once for your organisation; every package posts through it, each to its own channel. ',
          h('a', { href: '/integrations', id: 'manage-connections' }, 'Manage on Connections'),
        ),
      );
      if (!ctx.canManage) parts.push(h('p', { class: 'hint' }, `Changing the connection needs the owner or admin role; you are ${ctx.membership.role}.`));
      return parts;
    });
  }

  return { node, render };
}
