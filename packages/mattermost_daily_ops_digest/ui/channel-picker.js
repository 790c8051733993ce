// @ts-check
// The channel picker of the digest's settings: with a token connection, a select of the public
// channels the token's user can post to (read once per connection; searchable when long); with a
// webhook, the typed channel name (empty: the webhook's own channel).
import { api, tenantPath } from '../../../api.js';
import { $, h, renderIfChanged, replace } from '../../../dom.js';
import { connectionKey, hintLine } from '../../../mattermost-connection.js';
import { state } from './page-state.js';

/**
 * With a token connection: a select of the public channels the token's user can post to (searchable when long).
 * @param {() => void} onChange the settings form's state follows the choice
 */
export function channelPicker(onChange) {
  const picker = h(
    'div',
    { id: 'channel-picker', class: 'field', hidden: true },
    h('label', { for: 'channel-select' }, 'Channel'),
    h('input', {
      id: 'channel-search',
      type: 'search',
      autocomplete: 'off',
      spellcheck: 'false',
      placeholder: 'Filter channels by name',
      'aria-label': 'Filter the channel list',
      'aria-controls': 'channel-select',
      hidden: true,
    }),
    h('select', { id: 'channel-select', 'aria-describedby': 'channel-select-hint' }),
    h('p', { class: 'hint', id: 'channel-select-hint' }),
  );
  const select = /** @type {HTMLSelectElement} */ (picker.querySelector('#channel-select'));
  select.addEventListener('change', () => {
    const form = $('#settings-form');
    form.channel.value = select.value;
    onChange();
  });
  picker.querySelector('#channel-search').addEventListener('input', () => fillChannelOptions());
  return picker;
}

const SEARCH_FROM = 12; // a list longer than this gets a filter box

/** The options for the current list and filter; the saved choice stays listed even when filtered out. */
function fillChannelOptions() {
  const select = /** @type {HTMLSelectElement} */ ($('#channel-select'));
  const chosen = $('#settings-form').channel.value.trim();
  const list = state.channels?.list ?? [];
  const q = /** @type {HTMLInputElement} */ ($('#channel-search')).value.trim().toLowerCase();
  const shown = list.filter((c) => !q || c.name.includes(q) || c.display_name.toLowerCase().includes(q) || c.name === chosen);
  const options = [h('option', { value: '' }, list.length ? 'Choose a channel…' : 'No channel to choose from')];
  if (chosen && !list.some((c) => c.name === chosen)) {
    options.push(h('option', { value: chosen }, `${chosen} (saved; not in the list: the token’s user is not a member of it)`));
  }
  for (const c of shown) options.push(h('option', { value: c.name }, `${c.display_name} (${c.name})`));
  replace(select, options);
  select.value = chosen;
}

/** Reads the list once per connection (GET …/integrations/mattermost/channels?installation_id=…). */
/** @param {() => void} onLoaded */
async function loadChannels(onLoaded) {
  const c = state.credential;
  // Not updated_at: every accepted post (and this very read) moves it, which would read the list again on each poll.
  const key = c ? connectionKey(c) : '';
  if (state.channels?.key === key) return;
  state.channels = { key, loading: true };
  try {
    const res = await api.get(tenantPath(state.membership, `/integrations/mattermost/channels?installation_id=${encodeURIComponent(state.id)}`));
    state.channels = { key, list: res.channels, team: res.team };
  } catch (err) {
    state.channels = { key, error: err };
  }
  onLoaded();
}

/** @param {() => void} onLoaded re-renders once the list has been read */
export function renderChannelPicker(onLoaded) {
  const c = state.credential;
  const token = c?.kind === 'pat' && c.state !== 'disconnected';
  // Members cannot change settings (and the list is read with the stored token): they see the saved name.
  const picking = token && state.canManage && state.installation.status === 'installed';
  if (picking) void loadChannels(onLoaded);
  const ch = state.channels;
  const ready = picking && ch?.list;
  $('#channel-picker').hidden = !ready;
  $('#channel-text').hidden = Boolean(ready);
  const textHint = $('#channel-hint');
  if (token) {
    textHint.textContent = ch?.error
      ? 'Required with a personal access token: the channel name from its URL, e.g. town-square (a public channel the token’s user is a member of).'
      : 'Required with a personal access token: the channel name from its URL, e.g. town-square.';
    $('#channel').placeholder = 'town-square';
  } else {
    textHint.textContent =
      'Empty: the webhook’s own channel (the default). To post elsewhere, type a channel name from its URL, e.g. town-square; a webhook locked to its channel refuses any other.';
    $('#channel').placeholder = 'the webhook’s own channel';
  }
  renderIfChanged($('#channel-text-message'), [picking, ch?.error?.message, ch?.loading], () =>
    picking && ch?.error
      ? h('div', { class: 'callout warn' }, h('p', {}, `The channel list could not be read: ${ch.error.message}`), hintLine(ch.error))
      : picking && ch?.loading
        ? h('p', { class: 'hint' }, 'Reading the channels the token’s user can post to…')
        : null,
  );
  if (!ready) return;
  const search = /** @type {HTMLInputElement} */ ($('#channel-search'));
  search.hidden = ch.list.length <= SEARCH_FROM;
  renderIfChanged($('#channel-select-hint'), [ch.list.length, ch.team?.name], () => [
    ch.list.length
      ? `${ch.list.length} public channel${ch.list.length === 1 ? '' : 's'} in ${ch.team.display_name} (${ch.team.name}) that the token’s user is a member of; only members can post. Required with a token.`
      : `The token’s user is not a member of any public channel in ${ch.team.display_name} (${ch.team.name}). Add it to the channel in Mattermost, then reload this page.`,
  ]);
  if ($('#channel-select').dataset.key !== `${ch.key}|${$('#settings-form').channel.value}|${search.value}`) {
    fillChannelOptions();
    $('#channel-select').dataset.key = `${ch.key}|${$('#settings-form').channel.value}|${search.value}`;
  }
}
