// @ts-check
// The failure alerts' installation page (PackageDefinition.uiSection; served at
// /assets/packages/mattermost_failure_alerts/ui/section.js, loaded by the installation page):
// status from what the alert workflow will do next (the package's GET …/health, computed from the
// database by the same rules), the Mattermost connection (the core's card, as on the digest's
// page), the settings (window, hourly limit,
// quiet hours in the installation's zone, filters, channel) and the recent alerts with what each
// one said. Every line comes from the API; nothing here guesses. Never shows a secret. The head,
// install progress and uninstall are the core's (ui/assets/installation/).
import { api, tenantPath } from '../../../api.js';
import { $, badge, busy, card, errorKindBadge, field, h, message, renderIfChanged, replace, showFieldErrors, table, timeEl } from '../../../dom.js';
import { connectionCard } from '../../../installation/connection-card.js';
import { frameHead, renderFrameHead } from '../../../installation/frame.js';
import { installProgress, progressSlots } from '../../../installation/install-progress.js';
import { renderUninstall } from '../../../installation/uninstall.js';
import { mattermostPost } from '../../../mattermost-post.js';
import { poller } from '../../../poll.js';
import { timeZoneOptions } from '../../../time-zones.js';

const POLL_MS = 5_000;
const ABOUT = 'One Mattermost message per window of failures: the failures that arrive within the window of the first one are posted together.';
const UNINSTALL_STOPS = 'Stops the alerts: failures are no longer posted.';
const FAILURE_TYPES = [
  ['agent.execution.failed', 'Agent executions that failed'],
  ['workflow.run.failed', 'Workflow runs that failed'],
  ['package.install.failed', 'Package installs that failed'],
  ['directive.failed', 'Directives that failed'],
];
const OFF_REASONS = {
  disabled: 'Alerts are off (Alerts on is unticked below). Failures are not alerted on; turning it on again alerts on those since the last alert.',
  not_connected: 'Not posting: Mattermost is not connected. Failures are kept and go into the first alert once you connect.',
  not_installed: 'This installation is not installed.',
};
/** "21:04": the wall-clock time in `zone` (the sentence names the zone once). */
function clock(iso, zone) {
  return new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
}

const HELD = { quiet_hours: 'quiet hours', hourly_limit: 'the hourly limit' };

/** @type {{ ctx: import('../../../installation/frame.js').SectionContext, membership: any, canManage: boolean, id: string, installation: any, pkg: any, health: any, alerts: any[], credential: any }} */
const state = { ctx: null, membership: null, canManage: false, id: '', installation: null, pkg: null, health: null, alerts: [], credential: null };
const path = (rest = '') => tenantPath(state.membership, `/installations/${state.id}${rest}`);
const config = () => state.installation?.config ?? {};

function checkbox(id, name, label, value) {
  return h('div', { class: 'field choice' }, h('input', { type: 'checkbox', id, name, value }), h('label', { for: id }, label));
}

// ---------------------------------------------------------------- skeleton

function skeleton() {
  const slots = progressSlots();
  return [
    ...frameHead(),
    h('div', { id: 'refresh-message' }),
    slots.top,
    h(
      'div',
      { class: 'cols' },
      h('div', {}, card('alert-status', 'Status', h('div', { id: 'alert-status-body', 'aria-live': 'polite' })), connection.node),
      h('div', {}, card('settings', 'Alert settings', h('div', { id: 'settings-message' }), settingsForm())),
    ),
    card('recent-alerts', 'Recent alerts', h('div', { id: 'recent-alerts-body' })),
    slots.bottom,
    h('div', { id: 'uninstall-slot' }),
  ];
}

function settingsForm() {
  const zones = timeZoneOptions();
  return h(
    'form',
    { id: 'alert-settings-form', novalidate: true },
    h(
      'fieldset',
      { id: 'alert-settings-fields', disabled: true },
      h('legend', { class: 'visually-hidden' }, 'Alert settings'),
      h('p', { class: 'hint', id: 'settings-disabled-reason', hidden: true }),
      h(
        'div',
        { class: 'field switch' },
        h('input', { type: 'checkbox', role: 'switch', id: 'enabled', name: 'enabled' }),
        h('label', { for: 'enabled' }, 'Alerts on'),
      ),
      field(
        'channel',
        'Channel',
        h('input', { id: 'channel', name: 'channel', type: 'text', autocomplete: 'off', spellcheck: 'false', placeholder: 'e.g. ops-alerts' }),
        'The channel name from its URL. With a webhook, leave it empty to post to the webhook’s own channel; a token needs one.',
      ),
      h(
        'div',
        { class: 'inline-fields' },
        field(
          'window_minutes',
          'Window (minutes)',
          h('input', { id: 'window_minutes', name: 'window_minutes', type: 'number', min: '2', max: '30', step: '1', inputmode: 'numeric', required: true }),
          '2–30. Failures within this many minutes of the first one go into one alert.',
        ),
        field(
          'max_alerts_per_hour',
          'At most alerts per hour',
          h('input', {
            id: 'max_alerts_per_hour',
            name: 'max_alerts_per_hour',
            type: 'number',
            min: '1',
            max: '60',
            step: '1',
            inputmode: 'numeric',
            required: true,
          }),
          '1–60. Later failures wait and go into the next alert allowed.',
        ),
      ),
      field(
        'max_lines',
        'Failures listed per alert',
        h('input', { id: 'max_lines', name: 'max_lines', type: 'number', min: '3', max: '50', step: '1', inputmode: 'numeric', required: true }),
        '3–50. The rest are counted in an “… and N more suppressed” line.',
      ),
      h(
        'fieldset',
        { class: 'nested' },
        h('legend', {}, 'Quiet hours'),
        h(
          'div',
          { class: 'field choice' },
          h('input', { type: 'checkbox', id: 'quiet_on', name: 'quiet_on' }),
          h('label', { for: 'quiet_on' }, 'No alerts during quiet hours'),
        ),
        h(
          'div',
          { class: 'inline-fields' },
          field('quiet_start', 'From', h('input', { id: 'quiet_start', name: 'start', type: 'time', step: '60' })),
          field('quiet_end', 'Until', h('input', { id: 'quiet_end', name: 'end', type: 'time', step: '60' })),
        ),
        field(
          'timezone',
          'In the time zone',
          h(
            'select',
            { id: 'timezone', name: 'timezone' },
            zones.map((z) => h('option', { value: z.name }, `${z.name.replaceAll('_', ' ')} (${z.offset})`)),
          ),
          'Failures during quiet hours are not dropped: they go into the first alert after. A period may cross midnight (22:00–07:00).',
        ),
      ),
      h(
        'fieldset',
        { class: 'nested', id: 'signal-types' },
        h('legend', {}, 'Alert on'),
        FAILURE_TYPES.map(([type, label], i) => checkbox(`type-${i}`, 'signal_types', label, type)),
      ),
      field(
        'sources',
        'Only from these sources (optional)',
        h('textarea', { id: 'sources', name: 'sources', rows: '3', spellcheck: 'false', placeholder: 'billing-bot\netl-*' }),
        'One per line: an exact source, or a prefix ending in * . Empty: every source.',
      ),
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn', id: 'save-settings' }, 'Save settings')),
    ),
  );
}

// ---------------------------------------------------------------- status

function statusLines(health) {
  const o = health.outlook;
  const c = config();
  const zone = c.timezone ?? 'UTC';
  const failures = (n) => `${n} failure${n === 1 ? '' : 's'}`;
  const lines = [];
  if (o.state === 'off') lines.push(h('p', { id: 'alert-outlook' }, OFF_REASONS[o.reason] ?? `This installation is ${o.reason}.`));
  if (o.state === 'watching') lines.push(h('p', { id: 'alert-outlook' }, 'Watching for failures. None is waiting for an alert.'));
  if (o.state === 'posting') lines.push(h('p', { id: 'alert-outlook' }, 'Posting an alert now.'));
  if (o.state === 'due') lines.push(h('p', { id: 'alert-outlook' }, `${failures(o.waiting)} waiting: the alert is due now.`));
  if (o.state === 'waiting') {
    const first = clock(o.first_failure_at, zone);
    const due = clock(o.due_at, zone);
    const text =
      o.reason === 'window'
        ? `${failures(o.waiting)} waiting: the alert goes out at ${due} (${zone}), when the ${c.window_minutes}-minute window that opened at ${first} closes.`
        : o.reason === 'quiet_hours'
          ? `${failures(o.waiting)} waiting: held by quiet hours until ${due} (${zone}); they go into the first alert after.`
          : `${failures(o.waiting)} waiting: held by the limit of ${c.max_alerts_per_hour} alerts per hour until ${due} (${zone}).`;
    lines.push(h('p', { id: 'alert-outlook' }, text));
  }
  lines.push(
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, 'Last alert posted'),
      h('dd', { id: 'last-posted' }, timeEl(health.last_successful_post_at, { withRelative: true })),
      health.last_error ? [h('dt', {}, 'Last error'), h('dd', { id: 'last-error' }, errorKindBadge(health.last_error_kind), ' ', health.last_error)] : null,
    ),
  );
  if (health.last_error && health.hint) lines.push(h('p', { class: 'hint' }, health.hint));
  return lines;
}

function renderStatus() {
  renderIfChanged($('#alert-status-body'), [state.health, state.installation.config], () => statusLines(state.health));
}

// ---------------------------------------------------------------- settings

function fillSettings() {
  const c = config();
  const set = (id, v) => /** @type {HTMLInputElement} */ ($(`#${id}`).value = v ?? '');
  /** @type {HTMLInputElement} */ ($('#enabled')).checked = c.enabled !== false;
  set('channel', c.channel);
  set('window_minutes', c.window_minutes);
  set('max_alerts_per_hour', c.max_alerts_per_hour);
  set('max_lines', c.max_lines);
  set('timezone', c.timezone ?? 'UTC');
  /** @type {HTMLInputElement} */ ($('#quiet_on')).checked = Boolean(c.quiet_hours);
  set('quiet_start', c.quiet_hours?.start ?? '22:00');
  set('quiet_end', c.quiet_hours?.end ?? '07:00');
  for (const box of document.querySelectorAll('input[name=signal_types]')) {
    /** @type {HTMLInputElement} */ (box).checked = (c.signal_types ?? []).includes(/** @type {HTMLInputElement} */ (box).value);
  }
  set('sources', (c.sources ?? []).join('\n'));
  syncQuiet();
  const fields = /** @type {HTMLFieldSetElement} */ ($('#alert-settings-fields'));
  const reason = !state.canManage
    ? 'Only owners and admins can change these settings.'
    : state.installation.status !== 'installed'
      ? `The installation is ${state.installation.status}; settings can be changed once it is installed.`
      : null;
  fields.disabled = Boolean(reason);
  const note = $('#settings-disabled-reason');
  note.hidden = !reason;
  note.textContent = reason ?? '';
}

function syncQuiet() {
  const on = /** @type {HTMLInputElement} */ ($('#quiet_on')).checked;
  for (const id of ['quiet_start', 'quiet_end']) /** @type {HTMLInputElement} */ ($(`#${id}`)).disabled = !on;
}

function settingsBody() {
  const value = (id) => /** @type {HTMLInputElement} */ ($(`#${id}`)).value.trim();
  const number = (id) => (value(id) === '' ? NaN : Number(value(id)));
  const quiet = /** @type {HTMLInputElement} */ ($('#quiet_on')).checked;
  return {
    enabled: /** @type {HTMLInputElement} */ ($('#enabled')).checked,
    channel: value('channel') || null,
    window_minutes: number('window_minutes'),
    max_alerts_per_hour: number('max_alerts_per_hour'),
    max_lines: number('max_lines'),
    timezone: value('timezone'),
    quiet_hours: quiet ? { start: value('quiet_start'), end: value('quiet_end') } : null,
    signal_types: [...document.querySelectorAll('input[name=signal_types]:checked')].map((b) => /** @type {HTMLInputElement} */ (b).value),
    sources: value('sources')
      .split('\n')
      .map((s) => s.trim())
      .filter(Boolean),
  };
}

function wireSettings() {
  const form = /** @type {HTMLFormElement} */ ($('#alert-settings-form'));
  $('#quiet_on').addEventListener('change', syncQuiet);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    message($('#settings-message'), 'ok', null); // an earlier "Saved" is not this save's answer
    await busy(/** @type {HTMLButtonElement} */ ($('#save-settings')), 'Saving…', async () => {
      try {
        const res = await api.put(path('/config'), settingsBody());
        state.installation = res.installation;
        showFieldErrors(form, null);
        message($('#settings-message'), 'ok', 'Saved. The alert workflow plans again with these settings.');
        fillSettings();
        await refresh();
      } catch (err) {
        const placed = showFieldErrors(form, err);
        message($('#settings-message'), 'err', placed ? 'Some settings need fixing (see below).' : err.message);
      }
    });
  });
}

// ---------------------------------------------------------------- recent alerts

function alertRow(a) {
  const zone = config().timezone ?? 'UTC';
  const status =
    a.status === 'succeeded'
      ? badge('posted', 'ok')
      : a.status === 'failed'
        ? [badge(a.error_kind === 'unknown' ? 'outcome unknown' : 'failed', 'err'), a.error ? h('p', { class: 'hint' }, a.error) : null]
        : badge(a.status);
  return h(
    'tr',
    { dataset: { execution: a.execution_id } },
    h('td', {}, timeEl(a.finished_at ?? a.started_at, { short: true })),
    h('td', {}, `${clock(a.window_start, zone)}–${clock(a.window_end, zone)} (${zone})`),
    h('td', {}, status),
    h('td', { class: 'num' }, String(a.failures)),
    h('td', { class: 'num' }, a.suppressed === null ? '—' : String(a.suppressed)),
    h('td', {}, a.held_by ? `held by ${HELD[a.held_by] ?? a.held_by}` : '—'),
    h('td', {}, a.channel ?? 'webhook’s own'),
    h(
      'td',
      {},
      a.message
        ? h(
            'details',
            {},
            h('summary', {}, a.status === 'succeeded' ? 'What was posted' : 'What it would have said'),
            mattermostPost({
              text: a.message,
              kind: state.credential?.kind ?? null,
              at: a.finished_at ?? a.started_at,
              label: 'The alert as Mattermost shows it',
            }),
          )
        : '—',
    ),
  );
}

function renderAlerts() {
  renderIfChanged($('#recent-alerts-body'), [state.alerts, config().timezone], () =>
    table({
      caption: 'Recent alerts, newest first',
      columns: ['When', 'Window', 'Outcome', 'Failures', 'Counted only', 'Held', 'Channel', 'Message'],
      rows: state.alerts.map(alertRow),
      empty: 'No alert yet. The first failure that passes the filters opens a window.',
    }),
  );
}

// ---------------------------------------------------------------- loading

let progress = null;
let connection = null;
const poll = poller(
  () => refresh(),
  () => POLL_MS,
);
async function refresh() {
  try {
    const [installation, health, alerts, credential, tenant] = await Promise.all([
      api.get(path()),
      api.get(path('/health')),
      api.get(path('/alerts')),
      api.get(path('/credential')),
      api.get(tenantPath(state.membership, '/integrations/mattermost')).catch(() => null),
    ]);
    const configChanged = JSON.stringify(installation.config) !== JSON.stringify(state.installation?.config);
    state.installation = installation;
    state.health = health;
    state.alerts = alerts.items;
    state.credential = credential.credential;
    await progress.follow(installation);
    renderFrameHead(state.ctx, installation, { about: ABOUT, onUpgraded: () => refresh() });
    progress.render(installation);
    renderStatus();
    connection.render({ installation, credential: state.credential, tenant });
    renderAlerts();
    renderUninstall(state.ctx, installation, { stops: UNINSTALL_STOPS, onRequested: () => refresh() });
    // Settings are refilled only when the stored config changed (never under the user's typing).
    if (configChanged && !$('#alert-settings-form').contains(document.activeElement)) fillSettings();
    message($('#refresh-message'), 'ok', null);
  } catch (err) {
    message($('#refresh-message'), 'err', `Could not refresh: ${err.message}`);
  } finally {
    poll.schedule();
  }
}

/**
 * Renders the page into `main`. Called by the installation page for this package's installations.
 * @param {import('../../../installation/frame.js').SectionContext} ctx
 */
export async function renderSection(ctx) {
  state.ctx = ctx;
  state.membership = ctx.membership;
  state.canManage = ctx.canManage;
  state.id = ctx.installation.id;
  state.installation = ctx.installation;
  state.pkg = ctx.pkg;
  progress = installProgress(ctx);
  connection = connectionCard(ctx, {
    resumes: 'the alerts',
    onChanged: () => refresh(),
    connectedExtra: () => ' Failures that waited go into the next alert.',
  });
  replace(ctx.main, skeleton());
  fillSettings();
  wireSettings();
  await refresh();
}
