// @ts-check
// The digest's section of the installation page (PackageDefinition.uiSection; served at
// /assets/packages/mattermost_daily_ops_digest/ui/section.js, loaded by the core installation
// page): the first-run checklist, health with the last error and what to do about it, the
// Mattermost connection (the core card), schedule and options with the LLM summary's caps, the
// preview, Run now with the hourly quota, and recent runs with the digest each posted and Retry.
// The install progress, uninstall and the page's head are the core's. Never shows a secret: the
// connection is described by the API's masked metadata only.
import { api, tenantPath } from '../../../api.js';
import { connectionKey, hintLine } from '../../../mattermost-connection.js';
import {
  $,
  announce,
  badge,
  busy,
  card,
  errorKindBadge,
  field,
  formatClock,
  formatDateTime,
  formatShort,
  h,
  message,
  renderIfChanged,
  replace,
  showFieldErrors,
  table,
  temporalLink,
  timeEl,
} from '../../../dom.js';
import { connectionCard } from '../../../installation/connection-card.js';
import { flash, frameHead, renderFrameHead } from '../../../installation/frame.js';
import { ACTIVE_INSTALL, installProgress, progressSlots } from '../../../installation/install-progress.js';
import { renderUninstall } from '../../../installation/uninstall.js';
import { mattermostPost, overridesNote, renderMarkdown } from '../../../mattermost-post.js';
import { poller } from '../../../poll.js';
import { browserZone, canonicalZone, formatOffset, nextLocalTimes, offsetMinutes, timeZoneOptions } from '../../../time-zones.js';

const ACTIVE_RUN = new Set(['pending', 'running']);
const FAST_MS = 1500;
const SLOW_MS = 10_000;
const UNINSTALL_STOPS = 'Stops the daily digest and deletes its schedule.';
const FULL_DIGEST_REST = 'The rest is in the full digest in FleetPrompt.';

/**
 * @typedef {import('../../../ui/types/api').Installation & { config: Record<string, any> }} Installation
 * @typedef {import('../../../ui/types/api').InstallationHealth} Health
 * @typedef {import('../../../ui/types/api').Credential} Credential
 * @typedef {import('../../../ui/types/api').Execution} Execution
 * @typedef {import('../../../installation/frame.js').SectionContext} SectionContext
 */

/** @type {{ ctx: SectionContext, membership: any, canManage: boolean, id: string, installation: Installation | null, health: Health | null, credential: Credential | null, tenant: any, channels: any, runs: Execution[], watchingRun: string | null, openMessages: Set<string>, llm?: any }} */
const state = {
  ctx: null,
  membership: null,
  canManage: false,
  id: '',
  installation: null,
  health: null,
  llm: null, // GET …/llm: provider availability (or why not) and spend against the budget
  credential: null,
  tenant: null, // GET …/integrations/mattermost: the organisation's connection and what is bound to it
  channels: null, // the channel picker: { key, list?, team?, error? } for the current token connection
  runs: [],
  watchingRun: null, // execution id started from this page
  openMessages: new Set(), // runs whose digest row is open
};

const path = (rest = '') => tenantPath(state.membership, `/installations/${state.id}${rest}`);
/** The core's parts of the page, made once the context is known (renderSection). */
let connection = null;
let progress = null;
const poll = poller(
  () => refresh(),
  () => (busyNow() ? FAST_MS : SLOW_MS),
);

// ---------------------------------------------------------------- skeleton

function skeleton() {
  // Order matters on a phone (one column): status, connect, then Run now — you cannot run
  // before you connect. On a wide screen: status, connection and Run now on the left; the
  // schedule, options and preview on the right; the runs across the bottom.
  const slots = progressSlots();
  return [
    ...frameHead(),
    h('div', { id: 'checklist-slot' }),
    slots.top,
    h(
      'div',
      { class: 'cols' },
      h(
        'div',
        {},
        card('health', 'Status', h('div', { id: 'health-body' })),
        connection.node,
        card('run', 'Run now', h('div', { id: 'run-body' }), h('div', { id: 'run-message' })),
      ),
      h('div', {}, card('settings', 'Schedule and options', h('div', { id: 'settings-message' }), settingsForm())),
    ),
    h(
      'section',
      { class: 'card', id: 'preview-card', 'aria-labelledby': 'preview-title', hidden: true },
      h('div', { id: 'preview-panel', class: 'preview-panel' }),
    ),
    card('runs', 'Recent runs', h('div', { id: 'runs-body' })),
    slots.bottom,
    h('div', { id: 'uninstall-slot' }),
  ];
}

// ---------------------------------------------------------------- first run

/** Connect → Schedule → Send the first digest, shown until the first post lands. */
function renderChecklist() {
  const i = state.installation;
  const c = state.credential;
  const hl = state.health;
  const show = i.status === 'installed' && !hl?.last_successful_post_at;
  // A token posts by channel: until one is chosen nothing can be posted, whatever the schedule says.
  const needsChannel = c?.kind === 'pat' && !i.config?.channel;
  renderIfChanged($('#checklist-slot'), [show, c?.status, hl?.next_runs?.length, hl?.schedule_paused, i.config?.enabled, state.canManage, needsChannel], () => {
    if (!show) return null;
    const connected = c?.status === 'connected';
    const scheduled = connected && !needsChannel && (hl?.next_runs?.length ?? 0) > 0 && !hl?.schedule_paused;
    const steps = [
      {
        done: connected,
        text: 'Connect Mattermost',
        detail: connected ? 'Connected.' : 'Paste an incoming webhook URL (or a personal access token) below.',
        target: '#connection',
      },
      {
        done: scheduled,
        text: 'Choose when the digest is posted',
        detail: scheduled
          ? 'Scheduled: Temporal will post it daily.'
          : connected && needsChannel
            ? 'Pick the channel under Schedule and options: a token connection posts only to a channel you choose.'
            : i.config?.enabled === false
              ? 'The daily digest is off; turn it on under Schedule and options.'
              : 'Set the time and time zone under Schedule and options (it is scheduled once Mattermost is connected).',
        target: '#settings',
      },
      {
        done: false,
        text: 'Send the first digest',
        detail: connected ? 'Use Run now to post one now, or wait for the schedule.' : 'Possible once Mattermost is connected.',
        target: '#run',
      },
    ];
    const current = steps.findIndex((x) => !x.done);
    return h(
      'section',
      { class: 'card', id: 'checklist', 'aria-labelledby': 'checklist-title' },
      h('h2', { id: 'checklist-title' }, 'Get your first digest'),
      h(
        'ol',
        { class: 'checklist' },
        steps.map((x, n) =>
          h(
            'li',
            { class: x.done ? 'done' : n === current ? 'current' : '' },
            h('span', { class: 'mark', 'aria-hidden': 'true' }, x.done ? '✓' : String(n + 1)),
            h(
              'span',
              { class: 'step' },
              h('a', { href: x.target }, x.text),
              x.done ? h('span', { class: 'visually-hidden' }, ' (done)') : n === current ? h('span', { class: 'visually-hidden' }, ' (next step)') : null,
              ': ',
              x.detail,
            ),
          ),
        ),
      ),
    );
  });
}

// ---------------------------------------------------------------- settings

const ZONES = timeZoneOptions();
const ZONE_NAMES = new Set(ZONES.map((z) => z.name));

function settingsForm() {
  const myZone = browserZone();
  const overrideHint =
    'Shown only if the Mattermost server allows integrations to override it (System Console › Integrations › Integration Management); webhooks only — with a token, posts show the token’s user.';
  const form = h(
    'form',
    { id: 'settings-form', novalidate: true },
    h(
      'fieldset',
      { id: 'settings-fields', disabled: true },
      h('legend', { class: 'visually-hidden' }, 'Digest settings'),
      h(
        'div',
        { class: 'field switch' },
        h('input', { type: 'checkbox', role: 'switch', id: 'enabled', name: 'enabled', 'aria-describedby': 'enabled-hint' }),
        h('label', { for: 'enabled' }, 'Daily digest on'),
      ),
      h('p', { class: 'hint', id: 'enabled-hint' }, 'Off pauses the daily schedule: no digest is posted until you turn it on again. Run now still works.'),
      h(
        'div',
        { class: 'inline-fields' },
        field('schedule_time', 'Post every day at', h('input', { id: 'schedule_time', name: 'schedule_time', type: 'time', step: '60', required: true })),
        field(
          'timezone',
          'Time zone',
          h('input', {
            id: 'timezone',
            name: 'timezone',
            type: 'search',
            list: 'timezone-list',
            autocomplete: 'off',
            spellcheck: 'false',
            placeholder: 'Type to search, e.g. Kolkata',
          }),
          'Type part of a city or region; the list shows each zone’s current UTC offset.',
        ),
      ),
      h(
        'datalist',
        { id: 'timezone-list' },
        ZONES.map((z) => h('option', { value: z.name, label: `${z.name.replaceAll('_', ' ')} (${z.offset})` })),
      ),
      h('div', { class: 'actions' }, h('button', { type: 'button', class: 'btn secondary small', id: 'use-my-zone' }, `Use my time zone (${myZone})`)),
      h('div', { id: 'next-runs', 'aria-live': 'polite' }),
      h(
        'div',
        { id: 'channel-text' },
        h('div', { id: 'channel-text-message' }),
        field(
          'channel',
          'Channel (optional)',
          h('input', { id: 'channel', name: 'channel', type: 'text', autocomplete: 'off', placeholder: 'the webhook’s own channel' }),
          'Empty: the webhook’s own channel (the default). To post elsewhere, type a channel name from its URL, e.g. town-square; a webhook locked to its channel refuses any other.',
        ),
      ),
      channelPicker(),
      h(
        'div',
        { class: 'field choice' },
        h('input', { type: 'checkbox', id: 'include_cost_estimates', name: 'include_cost_estimates' }),
        h('label', { for: 'include_cost_estimates' }, 'Include approximate cost'),
      ),
      h(
        'div',
        { class: 'field choice' },
        h('input', { type: 'checkbox', id: 'include_llm_summary', name: 'include_llm_summary', 'aria-describedby': 'llm-summary-hint' }),
        h('label', { for: 'include_llm_summary' }, 'Include an LLM summary'),
      ),
      h('p', { class: 'hint', id: 'llm-summary-hint', 'aria-live': 'polite' }),
      h(
        'div',
        { class: 'inline-fields', id: 'llm-caps' },
        field(
          'llm_monthly_budget_usd',
          'LLM budget per month (USD)',
          h('input', {
            id: 'llm_monthly_budget_usd',
            name: 'llm_monthly_budget_usd',
            type: 'number',
            min: '0',
            max: '10000',
            step: '0.01',
            placeholder: 'platform default',
          }),
        ),
        field(
          'llm_max_tokens_per_run',
          'LLM tokens per run',
          h('input', {
            id: 'llm_max_tokens_per_run',
            name: 'llm_max_tokens_per_run',
            type: 'number',
            min: '500',
            max: '200000',
            step: '1',
            placeholder: 'platform default',
          }),
        ),
      ),
      field(
        'max_lines',
        'Most lines per digest',
        h('input', { id: 'max_lines', name: 'max_lines', type: 'number', min: '5', max: '200', step: '1', inputmode: 'numeric' }),
        'A whole number from 5 to 200. A longer digest is cut: the counts stay, the failure lines go first, and a link opens the full digest in FleetPrompt.',
      ),
      field(
        'post_as_username',
        'Post as (optional)',
        h('input', { id: 'post_as_username', name: 'post_as_username', type: 'text', autocomplete: 'off', placeholder: 'fleetprompt' }),
        `1 to 64 letters, digits, “.”, “_” or “-”. ${overrideHint}`,
      ),
      field(
        'post_icon_url',
        'Icon URL (optional)',
        h('input', {
          id: 'post_icon_url',
          name: 'post_icon_url',
          type: 'url',
          autocomplete: 'off',
          inputmode: 'url',
          placeholder: 'https://example.com/icon.png',
        }),
        `An http(s) address of an image, up to 2048 characters. ${overrideHint}`,
      ),
    ),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', class: 'btn', id: 'save-settings', disabled: true }, 'Save settings'),
      h('button', { type: 'button', class: 'btn secondary', id: 'preview-button', disabled: true }, 'Preview digest'),
      h('span', { class: 'hint', id: 'unsaved-note', 'aria-live': 'polite' }),
    ),
    h('div', { id: 'preview-message' }),
  );
  form.querySelector('#use-my-zone').addEventListener('click', () => {
    const input = form.querySelector('#timezone');
    input.value = myZone;
    input.focus();
    renderSettingsState();
  });
  form.querySelector('#preview-button').addEventListener('click', (e) => previewDigest(/** @type {HTMLButtonElement} */ (e.currentTarget)));
  form.addEventListener('input', () => renderSettingsState());
  form.addEventListener('change', () => renderSettingsState());
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    saveSettings(form);
  });
  return form;
}

// ---------------------------------------------------------------- channel picker

/** With a token connection: a select of the public channels the token's user can post to (searchable when long). */
function channelPicker() {
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
    renderSettingsState();
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
async function loadChannels() {
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
  renderSettingsState();
}

function renderChannelPicker() {
  const c = state.credential;
  const token = c?.kind === 'pat' && c.state !== 'disconnected';
  // Members cannot change settings (and the list is read with the stored token): they see the saved name.
  const picking = token && state.canManage && state.installation.status === 'installed';
  if (picking) void loadChannels();
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

function fillSettings() {
  const form = $('#settings-form');
  const c = state.installation.config ?? {};
  form.timezone.value = canonicalZone(c.timezone ?? 'UTC');
  form.schedule_time.value = c.schedule_time ?? '09:00';
  form.enabled.checked = c.enabled ?? true;
  form.channel.value = c.channel ?? '';
  form.include_cost_estimates.checked = c.include_cost_estimates ?? true;
  form.include_llm_summary.checked = c.include_llm_summary ?? false;
  form.llm_monthly_budget_usd.value = c.llm_monthly_budget_usd == null ? '' : String(c.llm_monthly_budget_usd);
  form.llm_max_tokens_per_run.value = c.llm_max_tokens_per_run == null ? '' : String(c.llm_max_tokens_per_run);
  form.max_lines.value = String(c.max_lines ?? 40);
  form.post_as_username.value = c.post_as_username ?? '';
  form.post_icon_url.value = c.post_icon_url ?? '';
  renderSettingsState();
}

/** The form's values as the API's config fields (what Save would send). */
function formConfig(form = $('#settings-form')) {
  const lines = form.max_lines.value.trim();
  /** @type {Record<string, unknown>} */
  const config = {
    enabled: form.enabled.checked,
    schedule_time: form.schedule_time.value,
    timezone: form.timezone.value.trim(),
    channel: form.channel.value.trim() || null,
    include_cost_estimates: form.include_cost_estimates.checked,
    include_llm_summary: form.include_llm_summary.checked,
    max_lines: lines === '' ? Number.NaN : Number(lines),
    post_as_username: form.post_as_username.value.trim() || null,
    post_icon_url: form.post_icon_url.value.trim() || null,
  };
  // The cost caps exist from digest 1.1.0 on (an older version's config refuses them); empty = platform default.
  if (hasLlmCaps()) {
    config.llm_monthly_budget_usd = form.llm_monthly_budget_usd.value === '' ? null : Number(form.llm_monthly_budget_usd.value);
    config.llm_max_tokens_per_run = form.llm_max_tokens_per_run.value === '' ? null : Number(form.llm_max_tokens_per_run.value);
  }
  return config;
}

/** Fields whose form value differs from the saved config. */
function unsavedFields() {
  const saved = state.installation?.config ?? {};
  const now = formConfig();
  return Object.keys(now).filter((k) => {
    const a = now[k];
    const b = k === 'timezone' ? canonicalZone(saved[k] ?? 'UTC') : (saved[k] ?? null);
    return Number.isNaN(a) ? true : a !== b;
  });
}

/** JSON for the API: NaN (an empty number field) is sent as null so the API names the field. */
const forApi = (config) => Object.fromEntries(Object.entries(config).map(([k, v]) => [k, Number.isNaN(v) ? null : v]));

async function saveSettings(form) {
  const box = $('#settings-message');
  const body = forApi(formConfig(form));
  if (body.timezone && !ZONE_NAMES.has(body.timezone) && body.timezone !== (state.installation.config?.timezone ?? '')) {
    message(box, 'err', 'Pick the time zone from the list, e.g. Asia/Kolkata or Europe/Kyiv.');
    form.timezone.focus();
    return;
  }
  await busy($('#save-settings'), 'Saving…', async () => {
    try {
      const res = await api.put(path('/config'), body);
      state.installation = res.installation;
      showFieldErrors(form, null);
      const next = res.schedule?.next_runs?.[0];
      const text = !body.enabled
        ? 'Saved. The daily digest is off: no digest is scheduled.'
        : next
          ? `Saved. Next digest: ${formatDateTime(next.at, body.timezone)}.`
          : 'Saved.';
      flash(box, 'ok', text);
      announce(text);
    } catch (err) {
      const fields = showFieldErrors(form, err);
      message(box, 'err', err.code === 'VALIDATION_FAILED' && fields ? 'Some settings need fixing: see the messages under the fields.' : err.message);
    }
  });
  await refresh().catch(() => undefined);
}

const hasLlmCaps = () => 'llm_monthly_budget_usd' in (state.installation.config ?? {});
const usd = (n) => `$${Number(n).toFixed(2)}`;

/** The summary toggle works only with a provider (and digest 1.1.0+); otherwise it is disabled with the reason. */
function renderLlmSummary() {
  const llm = state.llm;
  $('#include_llm_summary').disabled = !llm?.available;
  $('#llm-caps').hidden = !hasLlmCaps();
  renderIfChanged($('#llm-summary-hint'), [llm], () => {
    if (!llm) return 'Checking the LLM provider…';
    const spend = `${usd(llm.spent_this_month_usd)} of ${usd(llm.monthly_budget_usd)} spent this month; at most ${llm.max_tokens_per_run} tokens per run.`;
    if (!llm.available) return `Not available: ${llm.reason}`;
    return `${llm.model} via ${llm.host} (${llm.source === 'tenant' ? 'your own key' : 'the platform’s provider'}). ${spend} Over budget, the digest posts without the summary and says so.`;
  });
}

async function previewDigest(button) {
  const form = $('#settings-form');
  const box = $('#preview-message');
  const panel = $('#preview-panel');
  await busy(button, 'Rendering…', async () => {
    try {
      const p = await api.post(path('/digest-preview'), { config: forApi(formConfig(form)) });
      showFieldErrors(form, null);
      replace(box);
      const c = state.credential;
      const kind = c?.kind ?? null;
      const unsaved = unsavedFields();
      replace(
        panel,
        h('h2', { id: 'preview-title', tabindex: '-1' }, 'Preview', unsaved.length ? ' (with your unsaved changes)' : ''),
        h(
          'p',
          { class: 'hint' },
          `The last 24 hours up to ${formatDateTime(p.window_end, p.timezone)}, as Run now would post them: ${p.line_count} lines${p.truncated ? `, cut where Mattermost’s post would end (at most ${formConfig(form).max_lines} lines)` : ''}. Nothing is posted.`,
        ),
        mattermostPost({
          text: p.text,
          username: p.username,
          iconUrl: p.icon_url,
          kind,
          tokenUser: tokenUserOf(c),
          truncated: p.truncated,
          rest: FULL_DIGEST_REST,
          label: 'Preview of the digest as Mattermost shows it',
        }),
        h('p', { class: 'hint', id: 'preview-overrides' }, overridesNote({ kind, username: p.username, iconUrl: p.icon_url })),
        p.channel
          ? h('p', { class: 'hint' }, `Posted to the channel “${p.channel}”.`)
          : h('p', { class: 'hint' }, kind === 'pat' ? 'A token connection needs a channel: set one above.' : 'Posted to the webhook’s own channel.'),
        p.truncated
          ? h(
              'details',
              { id: 'preview-full' },
              h('summary', {}, 'The full digest (what the link at the cut opens)'),
              h('div', { class: 'mm-post' }, h('div', { class: 'mm-body mm-message' }, renderMarkdown(p.full_text))),
            )
          : null,
      );
      $('#preview-card').hidden = false;
      $('#preview-title').focus();
      announce('Preview ready');
    } catch (err) {
      const fields = showFieldErrors(form, err);
      message(box, 'err', err.code === 'VALIDATION_FAILED' && fields ? 'Fix the highlighted settings to preview them.' : err.message);
    }
  });
}

function renderSettingsState() {
  if (!state.installation) return;
  const installed = state.installation.status === 'installed';
  $('#settings-fields').disabled = !state.canManage || !installed;
  renderLlmSummary();
  if ($('#save-settings').dataset.busy !== '1') $('#save-settings').disabled = !state.canManage || !installed;
  if ($('#preview-button').dataset.busy !== '1') $('#preview-button').disabled = !installed;
  const unsaved = installed ? unsavedFields() : [];
  $('#unsaved-note').textContent = unsaved.length ? `Unsaved changes (${unsaved.length}).` : '';
  // A token posts to a channel picked from the ones its user can post to; a webhook to its own channel unless overridden.
  renderChannelPicker();
  const h0 = state.health;
  const form = $('#settings-form');
  const draft = formConfig(form);
  const scheduleChanged = unsaved.some((k) => k === 'schedule_time' || k === 'timezone' || k === 'enabled');
  renderIfChanged(
    $('#next-runs'),
    [
      h0?.next_runs,
      h0?.schedule_paused,
      installed,
      state.credential?.status,
      scheduleChanged && [draft.schedule_time, draft.timezone, draft.enabled],
      state.installation.config?.enabled,
    ],
    () => {
      if (!installed) return h('p', { class: 'hint' }, 'Settings can be changed once the install has completed.');
      if (scheduleChanged) {
        // Not saved yet: computed here from the form, and labelled as such.
        if (!draft.enabled)
          return h('p', { class: 'hint', id: 'next-runs-draft' }, badge('off', 'warn'), ' If you save, the daily digest is off: no next run.');
        if (!ZONE_NAMES.has(draft.timezone))
          return h('p', { class: 'hint', id: 'next-runs-draft' }, 'Pick a time zone from the list to see when the digest would be posted.');
        const times = nextLocalTimes(draft.schedule_time, draft.timezone, 3);
        return h(
          'div',
          { class: 'hint', id: 'next-runs-draft' },
          h('p', { id: 'next-runs-title' }, 'If you save, the next digests would be:'),
          h(
            'ul',
            { 'aria-labelledby': 'next-runs-title' },
            times.map((t) =>
              h(
                'li',
                {},
                h(
                  'time',
                  { datetime: t.toISOString() },
                  `${formatDateTime(t.toISOString(), draft.timezone)} ${formatOffset(offsetMinutes(draft.timezone, t))}`,
                ),
              ),
            ),
          ),
          state.credential?.status === 'connected' ? null : h('p', {}, 'Nothing is scheduled until Mattermost is connected.'),
        );
      }
      const zone = state.installation.config?.timezone ?? 'UTC';
      if (state.installation.config?.enabled === false)
        return h(
          'p',
          { class: 'hint', id: 'next-runs-paused' },
          badge('paused', 'warn'),
          ' The daily digest is off: no next run. Turn it on and save to schedule it.',
        );
      if (h0?.schedule_paused)
        return h(
          'p',
          { class: 'hint', id: 'next-runs-paused' },
          badge('paused', 'warn'),
          ' No next run: the schedule is paused',
          state.credential?.status === 'connected' ? '.' : ' until Mattermost is connected.',
        );
      const runs = h0?.next_runs ?? [];
      if (!runs.length) return h('p', { class: 'hint', id: 'next-runs-none' }, 'No next run: nothing is scheduled until Mattermost is connected.');
      return h(
        'div',
        { class: 'hint', id: 'next-runs-saved' },
        h('p', { id: 'next-runs-title' }, 'Temporal will post the next digests at:'),
        h(
          'ul',
          { 'aria-labelledby': 'next-runs-title' },
          runs.slice(0, 3).map((r) => h('li', {}, h('time', { datetime: r.at }, `${formatDateTime(r.at, zone)} UTC${r.utc_offset}`))),
        ),
      );
    },
  );
}

// ---------------------------------------------------------------- health, run now, runs

function latestFailedRun() {
  const latest = state.runs[0];
  return latest && latest.status === 'failed' ? latest : null;
}

/** The token's Mattermost user (PAT connections), from the credential's masked metadata. */
const tokenUserOf = (c) => (typeof c?.metadata?.username === 'string' ? c.metadata.username : null);

const quotaSpent = () => Boolean(state.health?.run_quota && state.health.run_quota.remaining <= 0);

/** Why Retry cannot be used now (for this run, when given), or null. */
function retryBlocked(execution) {
  const later = execution?.retry_superseded_by;
  if (later) return `The scheduled digest for ${later.digest_date} already reported this run's period; a Retry would report its events twice.`;
  if (!state.canManage) return `Retry needs the owner or admin role; you are ${state.membership.role}.`;
  const q = state.health?.run_quota;
  if (quotaSpent())
    return `No manual runs left this hour (a Retry is a manual run)${q?.resets_at ? `; the next one is possible at ${formatClock(q.resets_at)}` : ''}.`;
  return null;
}

/** "Retry" with what it costs, for the button's description. */
function retryCost() {
  const q = state.health?.run_quota;
  return q ? `A Retry is a manual run: it uses 1 of the ${q.limit} allowed per hour (${q.remaining} left).` : 'A Retry is a manual run.';
}

async function retry(button, execution) {
  await busy(button, 'Retrying…', async () => {
    try {
      const res = await api.post(tenantPath(state.membership, `/executions/${execution.id}/retry`));
      state.watchingRun = res.execution.id;
      state.health = { ...state.health, run_quota: res.run_quota };
      flash(
        $('#run-message'),
        'info',
        `Retry started; it used one manual run. ${quotaText(res.run_quota)} Nothing is posted twice: if the first attempt reached Mattermost, the retry does not post again.`,
      );
      announce('Retry started');
      await refresh();
    } catch (err) {
      message($('#run-message'), 'err', err.message);
    }
  });
}

function retryButton(id, execution, label) {
  const blocked = retryBlocked(execution);
  const describedBy = `${id}-cost`;
  return [
    h(
      'button',
      {
        type: 'button',
        class: 'btn small secondary',
        id,
        disabled: Boolean(blocked),
        'aria-describedby': describedBy,
        onclick: (e) => retry(e.currentTarget, execution),
      },
      ...label,
    ),
    h('span', { class: 'hint', id: describedBy }, blocked ?? retryCost()),
  ];
}

function renderHealth() {
  const i = state.installation;
  const hl = state.health;
  const failed = latestFailedRun();
  const c = state.credential;
  const zone = i.config?.timezone ?? 'UTC';
  const next = hl?.next_runs?.[0];
  const paused = i.config?.enabled === false || hl?.schedule_paused;
  renderIfChanged(
    $('#health-body'),
    [
      i.status,
      zone,
      i.config?.enabled,
      hl?.last_successful_post_at,
      hl?.last_error,
      hl?.last_error_kind,
      hl?.last_error_code,
      hl?.hint,
      hl?.schedule_paused,
      failed?.id,
      state.canManage,
      next,
      c?.status,
      hl?.run_quota,
    ],
    () => [
      h(
        'dl',
        { class: 'facts' },
        h('dt', {}, 'Status'),
        h('dd', {}, badge(i.status)),
        h('dt', {}, 'Last successful post'),
        h('dd', { id: 'last-post' }, hl?.last_successful_post_at ? timeEl(hl.last_successful_post_at, { withRelative: true }) : 'none yet'),
        h('dt', {}, 'Next digest'),
        h(
          'dd',
          { id: 'next-digest' },
          i.config?.enabled === false
            ? 'none: the daily digest is off'
            : paused
              ? 'none: the schedule is paused'
              : next
                ? h('time', { datetime: next.at }, formatDateTime(next.at, zone))
                : 'none: not scheduled until Mattermost is connected',
        ),
        h('dt', {}, 'Installed'),
        h('dd', {}, i.installed_at ? timeEl(i.installed_at) : 'not yet'),
      ),
      hl?.last_error
        ? h(
            'div',
            { class: 'callout err', id: 'last-error', role: 'alert' },
            h('h3', {}, 'Last error'),
            h('p', { id: 'last-error-message', class: 'break-anywhere' }, hl.last_error),
            h(
              'p',
              {},
              'Kind: ',
              errorKindBadge(hl.last_error_kind),
              h('span', { class: 'visually-hidden' }, ` (${hl.last_error_kind})`),
              hl.last_error_code ? [' · Code: ', h('code', { class: 'break-anywhere', id: 'last-error-code' }, hl.last_error_code)] : null,
            ),
            hl.hint ? h('p', { id: 'last-error-hint' }, h('strong', {}, 'What to do: '), hl.hint) : null,
            state.canManage
              ? h(
                  'div',
                  { class: 'actions' },
                  hl.last_error_kind === 'auth'
                    ? h(
                        'button',
                        {
                          type: 'button',
                          class: 'btn secondary',
                          id: 'goto-reconnect',
                          onclick: () => {
                            $('#connection').scrollIntoView();
                            $('#webhook_url').focus();
                          },
                        },
                        'Reconnect Mattermost',
                      )
                    : null,
                  failed ? retryButton('retry-last', failed, ['Retry run']) : null,
                )
              : null,
          )
        : hl?.last_successful_post_at
          ? h('p', { class: 'callout ok', id: 'no-error' }, 'No errors. The last digest reached Mattermost.')
          : // Nothing set up or posted yet: no green "all fine" — there is nothing to be fine yet.
            h(
              'p',
              { class: 'callout', id: 'nothing-yet' },
              c?.status === 'connected'
                ? 'Nothing has been posted yet. Use Run now to send the first digest.'
                : 'Nothing has been posted yet: connect Mattermost first.',
            ),
    ],
  );
}

function quotaText(q) {
  if (!q) return '';
  if (q.remaining > 0) return `${q.remaining} of ${q.limit} manual runs left this hour.`;
  return `No manual runs left this hour${q.resets_at ? `; the next one is possible at ${formatClock(q.resets_at)}` : ''}.`;
}

function renderRun() {
  const i = state.installation;
  const q = state.health?.run_quota;
  const running = state.runs.find((r) => ACTIVE_RUN.has(r.status));
  const connected = state.credential?.status === 'connected';
  const reason = !state.canManage
    ? `Run now needs the owner or admin role; you are ${state.membership.role}.`
    : i.status !== 'installed'
      ? 'Available once the install has completed.'
      : !state.credential
        ? 'Connect Mattermost first (above).'
        : !connected
          ? state.credential.status === 'revoked'
            ? 'You disconnected Mattermost: connect it again first (above).'
            : 'Mattermost refused the stored credential: reconnect it first (above).'
          : q && q.remaining <= 0
            ? `The hourly limit of ${q.limit} manual runs is reached${q.resets_at ? `; the next one is possible at ${formatClock(q.resets_at)}` : ''}.`
            : null;
  renderIfChanged($('#run-body'), [q, reason, running?.id, running?.status], () => [
    h('p', {}, 'Post a digest of the last 24 hours now. Scheduled digests do not count against the limit; Run now and Retry do.'),
    h('p', { class: 'quota', id: 'quota' }, quotaText(q)),
    running ? h('p', { role: 'status' }, badge(running.status), ' A run is in progress…') : null,
    h(
      'div',
      { class: 'actions' },
      h(
        'button',
        {
          type: 'button',
          class: 'btn',
          id: 'run-now',
          disabled: Boolean(reason),
          'aria-describedby': reason ? 'run-reason' : null,
          onclick: (e) => runNow(e.currentTarget),
        },
        'Run now',
      ),
      reason ? h('span', { class: 'hint', id: 'run-reason' }, reason) : null,
    ),
  ]);
}

async function runNow(button) {
  await busy(button, 'Starting…', async () => {
    try {
      const res = await api.post(path('/runs'));
      state.watchingRun = res.execution.id;
      state.health = { ...state.health, run_quota: res.run_quota };
      flash($('#run-message'), 'info', `Run started. ${quotaText(res.run_quota)}`);
      announce('Run started');
      await refresh();
    } catch (err) {
      message($('#run-message'), 'err', err.message);
    }
  });
}

const TRIGGER_LABELS = { scheduled: 'Scheduled', manual: 'Run now', retry: 'Retry' };

/** Opens (or closes) the row under a run with the digest it posted. */
async function toggleMessage(button, run) {
  const row = button.closest('tr');
  const open = button.getAttribute('aria-expanded') === 'true';
  const existing = document.getElementById(`message-${run.id}`);
  if (open) {
    existing?.remove();
    button.setAttribute('aria-expanded', 'false');
    state.openMessages.delete(run.id);
    return;
  }
  state.openMessages.add(run.id);
  button.setAttribute('aria-expanded', 'true');
  const cell = h('td', { colspan: '5' }, h('p', { class: 'loading' }, 'Loading the digest…'));
  const detail = h('tr', { class: 'logs-row', id: `message-${run.id}` }, cell);
  row.after(detail);
  try {
    const m = await api.get(tenantPath(state.membership, `/executions/${run.id}/message`));
    const c = state.credential;
    replace(
      cell,
      h(
        'p',
        { class: 'hint' },
        m.run_status === 'succeeded'
          ? 'Posted to Mattermost:'
          : m.run_status === 'failed'
            ? 'The digest this run was to post (it did not reach Mattermost):'
            : `The digest of this run (${m.run_status}):`,
      ),
      mattermostPost({
        text: m.text,
        username: m.username,
        iconUrl: m.icon_url,
        kind: c?.kind ?? null,
        tokenUser: tokenUserOf(c),
        at: m.created_at,
        truncated: m.truncated,
        rest: FULL_DIGEST_REST,
        label: `The digest of the run from ${formatShort(run.created_at)}`,
      }),
      m.truncated ? h('p', {}, h('a', { href: `/digest?correlation=${encodeURIComponent(m.correlation_id)}` }, 'Open the full digest')) : null,
      h('p', { class: 'hint' }, `Kept for ${m.retention_days} days, like the signals it was made from.`),
    );
  } catch (err) {
    replace(cell, h('p', { class: 'callout warn' }, err.message));
  }
}

function renderRuns() {
  const retried = new Set(state.runs.filter((r) => r.retry_of_execution_id && r.status !== 'failed').map((r) => r.retry_of_execution_id));
  renderIfChanged(
    $('#runs-body'),
    [
      state.runs.map((r) => [r.id, r.status, r.error_kind, r.error_code, r.retry_superseded_by]),
      state.canManage,
      retryBlocked(),
      state.health?.run_quota?.remaining,
    ],
    () => {
      const out = table({
        caption: 'Recent runs, newest first',
        columns: ['Started', 'Trigger', 'Status', 'Problem', 'Details'],
        empty: 'No runs yet. Use Run now to post the first digest.',
        rows: state.runs.map((r) =>
          h(
            'tr',
            { dataset: { executionId: r.id } },
            h('td', {}, timeEl(r.created_at, { short: true })),
            h('td', {}, TRIGGER_LABELS[r.trigger] ?? r.trigger),
            h('td', {}, badge(r.status)),
            h(
              'td',
              { class: 'wrap' },
              r.error_kind
                ? [
                    errorKindBadge(r.error_kind),
                    r.error_code ? [' ', h('code', { class: 'break-anywhere' }, r.error_code)] : null,
                    r.hint ? h('p', { class: 'hint' }, r.hint) : null,
                  ]
                : '—',
            ),
            h(
              'td',
              {},
              h(
                'div',
                { class: 'actions' },
                r.status === 'pending'
                  ? null
                  : h(
                      'button',
                      {
                        type: 'button',
                        class: 'btn small secondary',
                        id: `digest-${r.id}`,
                        'aria-expanded': 'false',
                        'aria-controls': `message-${r.id}`,
                        onclick: (e) => toggleMessage(e.currentTarget, r),
                      },
                      'Digest',
                      h('span', { class: 'visually-hidden' }, ` of the run from ${formatShort(r.created_at)}`),
                    ),
                h('a', { href: `/admin?correlation=${encodeURIComponent(r.correlation_id)}#timeline` }, 'What happened?'),
                temporalLink(r.temporal_url, 'Temporal'),
                r.status === 'failed' && state.canManage && !retried.has(r.id)
                  ? retryButton(`retry-${r.id}`, r, ['Retry', h('span', { class: 'visually-hidden' }, ` the run from ${formatShort(r.created_at)}`)])
                  : null,
              ),
            ),
          ),
        ),
      });
      return out;
    },
  );
  // Rows re-rendered by polling keep their open digests.
  for (const id of state.openMessages) {
    const button = document.getElementById(`digest-${id}`);
    const run = state.runs.find((r) => r.id === id);
    if (button && run && button.getAttribute('aria-expanded') !== 'true') toggleMessage(button, run);
  }
}

// ---------------------------------------------------------------- data

async function refresh() {
  const [installation, health, credential, runs, llm, tenant] = await Promise.all([
    api.get(path()),
    api.get(path('/health')),
    api.get(path('/credential')),
    api.get(tenantPath(state.membership, `/executions?installation_id=${state.id}&limit=10`)),
    api.get(path('/llm')).catch(() => null),
    api.get(tenantPath(state.membership, '/integrations/mattermost')).catch(() => null),
  ]);
  state.installation = installation;
  state.health = health;
  state.llm = llm?.llm ?? null;
  state.credential = credential.credential;
  state.tenant = tenant;
  state.runs = runs.items;
  const justInstalled = await progress.follow(installation);
  if (justInstalled) {
    fillSettings();
    announce('Install completed. You can now connect Mattermost.');
  }
  render();
  settleWatchedRun();
  poll.schedule();
}

function settleWatchedRun() {
  const run = state.watchingRun && state.runs.find((r) => r.id === state.watchingRun);
  if (!run || ACTIVE_RUN.has(run.status)) return;
  state.watchingRun = null;
  const box = $('#run-message');
  if (run.status === 'succeeded') {
    flash(box, 'ok', `The run succeeded: the digest was posted to Mattermost (see it under Recent runs › Digest). ${quotaText(state.health.run_quota)}`);
    announce('Run succeeded');
  } else if (run.status === 'skipped') {
    flash(box, 'warn', 'The run was skipped (this digest had already been posted).');
  } else {
    message(
      box,
      'err',
      `The run failed${run.error_kind ? ` (${run.error_kind}${run.error_code ? `, ${run.error_code}` : ''})` : ''}.`,
      run.hint ? h('p', {}, h('strong', {}, 'What to do: '), run.hint) : null,
    );
    announce('Run failed');
  }
}

function render() {
  const i = state.installation;
  renderFrameHead(state.ctx, i, { onUpgraded: () => refresh() });
  progress.render(i);
  renderChecklist();
  renderHealth();
  renderRun();
  renderRuns();
  connection.render({ installation: i, credential: state.credential, tenant: state.tenant });
  renderSettingsState();
  renderUninstall(state.ctx, i, { stops: UNINSTALL_STOPS, onRequested: () => refresh() });
}

function busyNow() {
  return ACTIVE_INSTALL.has(state.installation?.status) || state.runs.some((r) => ACTIVE_RUN.has(r.status)) || Boolean(state.watchingRun);
}

/**
 * Renders the page into `ctx.main`. Called by the core installation page for this package's installations.
 * @param {SectionContext} ctx
 */
export async function renderSection(ctx) {
  state.ctx = ctx;
  state.membership = ctx.membership;
  state.canManage = ctx.canManage;
  state.id = ctx.installation.id;
  connection = connectionCard(ctx, {
    resumes: 'the digest',
    onChanged: () => {
      state.channels = null; // a new connection: its channels are read again
      return refresh();
    },
  });
  progress = installProgress(ctx);
  replace(ctx.main, skeleton());
  await refresh();
  fillSettings();
}
