// @ts-check
// The digest's "Schedule and options": the settings form (daily switch, time and time zone with
// the next runs it would give, channel, cost, the LLM summary with its availability and caps, line
// limit, sender overrides), Save, and the preview of the digest with unsaved changes.
import { api } from '../../../api.js';
import { $, announce, badge, busy, field, formatDateTime, h, message, renderIfChanged, replace, showFieldErrors } from '../../../dom.js';
import { flash } from '../../../installation/frame.js';
import { mattermostPost, overridesNote, renderMarkdown } from '../../../mattermost-post.js';
import { browserZone, canonicalZone, formatOffset, nextLocalTimes, offsetMinutes, timeZoneOptions } from '../../../time-zones.js';
import { state, path, page, FULL_DIGEST_REST, tokenUserOf } from './page-state.js';
import { channelPicker, renderChannelPicker } from './channel-picker.js';

const ZONES = timeZoneOptions();
const ZONE_NAMES = new Set(ZONES.map((z) => z.name));

export function settingsForm() {
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
      channelPicker(() => renderSettingsState()),
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

export function fillSettings() {
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
  await page.refresh().catch(() => undefined);
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

export function renderSettingsState() {
  if (!state.installation) return;
  const installed = state.installation.status === 'installed';
  $('#settings-fields').disabled = !state.canManage || !installed;
  renderLlmSummary();
  if ($('#save-settings').dataset.busy !== '1') $('#save-settings').disabled = !state.canManage || !installed;
  if ($('#preview-button').dataset.busy !== '1') $('#preview-button').disabled = !installed;
  const unsaved = installed ? unsavedFields() : [];
  $('#unsaved-note').textContent = unsaved.length ? `Unsaved changes (${unsaved.length}).` : '';
  // A token posts to a channel picked from the ones its user can post to; a webhook to its own channel unless overridden.
  renderChannelPicker(() => renderSettingsState());
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
