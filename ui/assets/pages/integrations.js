// @ts-check
// Connections: the organisation connects Mattermost once (webhook or token; verified, then stored
// encrypted), sees its state from evidence (accepted, refused once, invalid, disconnected — and by
// whom, when), and which installed packages post through it, each to its own channel.
import { api, requireSession, tenantPath } from '../api.js';
import { $, announce, badge, busy, h, message, pageError, renderShell, replace, table } from '../dom.js';
import { connectForm, connectionFacts, disconnectedSentence, evidenceNotes, presetConnectForm, submitConnect } from '../mattermost-connection.js';

/** @type {{ membership: any, canManage: boolean, me: string, data: any }} */
const state = { membership: null, canManage: false, me: '', data: null };
const integration = () => tenantPath(state.membership, '/integrations/mattermost');

function bindingRow(b, kind) {
  const channel = b.channel
    ? h('span', { class: 'mono break-anywhere' }, b.channel)
    : kind === 'webhook'
      ? 'the webhook’s own channel'
      : kind === 'pat'
        ? h('span', {}, badge('no channel', 'warn'), ' pick one on its page')
        : '—';
  const uses =
    b.bound_to === 'tenant'
      ? 'this connection'
      : b.bound_to === 'own'
        ? 'its own connection (made before connections were shared)'
        : badge('not connected', 'warn');
  return h(
    'tr',
    { dataset: { installationId: b.installation_id } },
    h('td', {}, h('a', { href: `/installations/${encodeURIComponent(b.installation_id)}` }, b.package_name)),
    h('td', {}, channel),
    h('td', { class: 'wrap' }, uses),
    h('td', {}, badge(b.status)),
  );
}

function render() {
  const c = state.data.connection;
  const live = c && c.state !== 'disconnected';
  const parts = [];
  if (!c) parts.push(h('p', { id: 'not-connected' }, badge('not connected', 'warn'), ' Connect Mattermost once; every package you install posts through it.'));
  else if (!live)
    parts.push(
      h('p', { id: 'disconnected-note' }, badge('disconnected', 'warn'), ' ', disconnectedSentence(c, state.me), ' The stored credential was deleted.'),
    );
  else parts.push(connectionFacts(c, state.me), ...evidenceNotes(c));
  if (!state.canManage) parts.push(h('p', { class: 'hint' }, `Changing the connection needs the owner or admin role; you are ${state.membership.role}.`));
  replace($('#connection-state'), parts);

  const form = $('#connect-form');
  form.hidden = !state.canManage;
  presetConnectForm(form, c);
  const button = $('#connect-button');
  if (button.dataset.busy !== '1') button.textContent = live ? 'Reconnect Mattermost' : 'Connect Mattermost';
  $('#disconnect-button').hidden = !live || !state.canManage;

  const bindings = state.data.bindings;
  replace(
    $('#bindings-body'),
    table({
      caption: 'Installed packages that post to Mattermost',
      columns: ['Package', 'Channel', 'Posts through', 'Status'],
      rows: bindings.map((b) => bindingRow(b, live ? c.kind : null)),
      empty: 'No installed package posts to Mattermost yet.',
    }),
    bindings.length ? null : h('p', {}, h('a', { class: 'btn secondary', href: '/marketplace' }, 'Browse the marketplace')),
  );
}

async function load() {
  state.data = await api.get(integration());
  render();
}

async function connect(form) {
  const box = $('#connect-message');
  const res = await submitConnect(form, box, {
    send: (body) => api.put(integration(), body),
    ok: (text) => message(box, 'ok', text),
    extra: (r) =>
      r.bound_now?.length
        ? ` ${r.bound_now.length} package${r.bound_now.length === 1 ? '' : 's'} now post${r.bound_now.length === 1 ? 's' : ''} through it.`
        : '',
  });
  if (res) state.data = res;
  render();
}

async function disconnect(button) {
  const using = state.data.bindings.filter((b) => b.bound_to === 'tenant').map((b) => b.package_name);
  const affects = using.length ? ` ${using.join(', ')} will stop posting until you connect again.` : '';
  if (
    !confirm(
      `Disconnect Mattermost for the whole organisation? FleetPrompt deletes the stored webhook URL or token.${affects} Nothing changes in Mattermost itself.`,
    )
  )
    return;
  await busy(button, 'Disconnecting…', async () => {
    try {
      await api.del(integration());
      message($('#connect-message'), 'ok', 'You disconnected Mattermost. FleetPrompt deleted the stored credential; connect again to resume posting.');
      announce('Mattermost disconnected');
    } catch (err) {
      message($('#connect-message'), 'err', err.message);
    }
  });
  await load();
}

async function main() {
  const session = await requireSession();
  const { membership, canManage } = renderShell({ session, active: 'integrations' });
  const main = /** @type {HTMLElement} */ (document.getElementById('main'));
  if (!membership) {
    replace(
      main,
      h('h1', {}, 'Connections'),
      h('p', { class: 'callout warn' }, 'Your account is not a member of any organisation yet. Ask an owner to invite you.'),
    );
    return;
  }
  Object.assign(state, { membership, canManage, me: session.user.id });
  const form = connectForm({ submit: connect });
  form.querySelector('#disconnect-button').addEventListener('click', (e) => disconnect(e.currentTarget));
  replace(
    main,
    h('div', { class: 'page-head' }, h('h1', {}, 'Connections')),
    h(
      'p',
      { class: 'lede' },
      `Mattermost is connected once for ${membership.tenant_name}: every package posts through this connection, each to its own channel. One Mattermost workspace per organisation.`,
    ),
    h(
      'section',
      { class: 'card', id: 'mattermost', 'aria-labelledby': 'mattermost-title' },
      h('h2', { id: 'mattermost-title' }, 'Mattermost'),
      h('div', { id: 'connection-state' }),
      h('div', { id: 'connect-message', 'aria-live': 'polite' }),
      form,
    ),
    h(
      'section',
      { class: 'card', id: 'bindings', 'aria-labelledby': 'bindings-title' },
      h('h2', { id: 'bindings-title' }, 'Packages using it'),
      h('div', { id: 'bindings-body' }),
    ),
  );
  await load();
}

main().catch(pageError);
