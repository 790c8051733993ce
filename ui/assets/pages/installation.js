// The installation page: live install status (the lifecycle signals as a timeline), health with
// the last error and what to do about it, Connect / Reconnect Mattermost, schedule and options,
// Run now with the hourly quota, recent runs with Retry. Never shows a secret: the connection is
// described by the API's masked metadata only, and the secret fields are emptied once sent.
import { api, ApiError, requireSession, tenantPath } from '../api.js';
import {
  $, announce, badge, busy, errorKindBadge, h, jsonDetails, message, pageError, relative, renderIfChanged, renderShell, replace, showFieldErrors, signalLabel, table, temporalLink, timeEl,
} from '../dom.js';
import { updatePanel } from './installation-update.js';

const ACTIVE_INSTALL = new Set(['requested', 'installing', 'uninstalling']);
const ACTIVE_RUN = new Set(['pending', 'running']);
const FAST_MS = 1500;
const SLOW_MS = 10_000;

const state = {
  membership: null,
  canManage: false,
  id: '',
  pkg: null,
  installation: null,
  health: null,
  llm: null, // GET …/llm: provider availability (or why not) and spend against the budget
  credential: null,
  runs: [],
  install: null, // { directive, signals }
  watchingRun: null, // execution id started from this page
};

const path = (rest = '') => tenantPath(state.membership, `/installations/${state.id}${rest}`);
const FLASH_MS = 15_000;

/** A message; success and progress notes clear themselves after a while (errors stay). */
function flash(box, tone, text, extra) {
  message(box, tone, text, extra);
  if (tone === 'err') return;
  const shown = box.firstElementChild;
  setTimeout(() => {
    if (box.firstElementChild === shown) replace(box);
  }, FLASH_MS);
}

// ---------------------------------------------------------------- skeleton

function card(id, title, ...body) {
  return h('section', { class: 'card', id, 'aria-labelledby': `${id}-title` }, h('h2', { id: `${id}-title` }, title), ...body);
}

function skeleton() {
  return [
    h('nav', { class: 'breadcrumbs', 'aria-label': 'Breadcrumb' },
      h('ol', {}, h('li', {}, h('a', { href: '/marketplace' }, 'Marketplace')), h('li', {}, h('a', { id: 'crumb-package', href: '#' }, 'Package')), h('li', {}, h('span', { 'aria-current': 'page' }, 'Installation')))),
    h('div', { class: 'page-head' }, h('h1', { id: 'title' }, 'Installation'), h('span', { id: 'status-badge' })),
    h('p', { class: 'lede', id: 'lede' }),
    h('div', { id: 'page-message' }),
    h('div', { id: 'update-available' }),
    h('div', { id: 'progress-top' }),
    h('div', { class: 'cols' },
      h('div', {},
        card('health', 'Status', h('div', { id: 'health-body' })),
        card('run', 'Run now', h('div', { id: 'run-body' }), h('div', { id: 'run-message' })),
        card('runs', 'Recent runs', h('div', { id: 'runs-body' }))),
      h('div', {},
        card('connection', 'Mattermost connection', h('div', { id: 'connection-state' }), h('div', { id: 'connect-message' }), connectForm()),
        card('settings', 'Schedule and options', h('div', { id: 'settings-message' }), settingsForm()))),
    h('div', { id: 'progress-bottom' }),
  ];
}

// ---------------------------------------------------------------- connection

function field(id, label, input, hint) {
  const hintId = hint ? `${id}-hint` : null;
  if (hintId) input.setAttribute('aria-describedby', hintId);
  return h('div', { class: 'field' }, h('label', { for: id }, label), input, hint ? h('p', { class: 'hint', id: hintId }, hint) : null);
}

function connectForm() {
  const form = h('form', { id: 'connect-form', novalidate: true },
    h('fieldset', { id: 'connect-fields', disabled: true },
      h('legend', {}, 'How FleetPrompt posts'),
      h('div', { class: 'choice' }, h('input', { type: 'radio', id: 'kind-webhook', name: 'kind', value: 'webhook', checked: true }), h('label', { for: 'kind-webhook' }, 'Incoming webhook (recommended)')),
      h('div', { class: 'choice' }, h('input', { type: 'radio', id: 'kind-pat', name: 'kind', value: 'pat' }), h('label', { for: 'kind-pat' }, 'Personal access token'))),
    h('div', { id: 'webhook-fields' },
      field('webhook_url', 'Incoming webhook URL', h('input', { id: 'webhook_url', name: 'webhook_url', type: 'url', autocomplete: 'off', spellcheck: 'false', inputmode: 'url' }),
        'In Mattermost: Integrations › Incoming Webhooks › Add. It is stored encrypted and never shown again.'),
      h('div', { class: 'field choice' }, h('input', { type: 'checkbox', id: 'verify', name: 'verify', checked: true }), h('label', { for: 'verify' }, 'Send a test post to check it'))),
    h('div', { id: 'pat-fields', hidden: true },
      field('base_url', 'Mattermost server URL', h('input', { id: 'base_url', name: 'base_url', type: 'url', autocomplete: 'off', placeholder: 'https://chat.example.com' })),
      field('token', 'Personal access token', h('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'off' }), 'Profile › Security › Personal Access Tokens. Stored encrypted; never shown again.'),
      field('team', 'Team (URL name, optional)', h('input', { id: 'team', name: 'team', type: 'text', autocomplete: 'off', placeholder: 'e.g. ops' }), 'Needed to post to a channel by name.')),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'btn', id: 'connect-button', disabled: true }, 'Connect Mattermost'),
      h('button', { type: 'button', class: 'btn danger', id: 'disconnect-button', hidden: true }, 'Disconnect')));

  const syncKind = () => {
    const pat = form.querySelector('#kind-pat').checked;
    form.querySelector('#webhook-fields').hidden = pat;
    form.querySelector('#pat-fields').hidden = !pat;
  };
  form.addEventListener('change', (e) => e.target.name === 'kind' && syncKind());
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    connect(form);
  });
  form.querySelector('#disconnect-button').addEventListener('click', (e) => disconnect(e.currentTarget));
  return form;
}

async function connect(form) {
  const box = $('#connect-message');
  const kind = form.querySelector('#kind-pat').checked ? 'pat' : 'webhook';
  const body =
    kind === 'webhook'
      ? { kind, webhook_url: form.webhook_url.value.trim(), verify: form.verify.checked ? 'test_post' : 'dry_run' }
      : { kind, base_url: form.base_url.value.trim(), token: form.token.value.trim(), team: form.team.value.trim() || null };
  const missing = kind === 'webhook' ? (!body.webhook_url ? form.webhook_url : null) : !body.base_url ? form.base_url : !body.token ? form.token : null;
  if (missing) {
    message(box, 'err', `Enter the ${missing.labels[0].textContent.toLowerCase()}.`);
    missing.focus();
    return;
  }
  await busy($('#connect-button'), kind === 'webhook' && body.verify === 'test_post' ? 'Sending a test post…' : 'Checking…', async () => {
    try {
      await api.put(path('/credential'), body);
      for (const name of ['webhook_url', 'token']) form[name].value = ''; // the secret leaves the page
      showFieldErrors(form, null);
      const how = kind === 'webhook' ? (body.verify === 'test_post' ? 'A test post was sent to Mattermost.' : 'The address was checked without posting.') : 'Mattermost accepted the token.';
      flash(box, 'ok', `Connected. ${how}`);
      announce('Mattermost connected');
    } catch (err) {
      const hint = err instanceof ApiError ? err.details?.hint : null;
      message(box, 'err', err.message, hint ? h('p', {}, h('strong', {}, 'What to do: '), hint) : null);
      showFieldErrors(form, err);
    }
  });
  await refresh().catch(() => undefined); // after busy(): the button shows the new state
}

async function disconnect(button) {
  if (!confirm('Disconnect Mattermost? Digests stop until you connect again.')) return;
  await busy(button, 'Disconnecting…', async () => {
    try {
      await api.del(path('/credential'));
      flash($('#connect-message'), 'ok', 'Disconnected. The stored credential was deleted.');
    } catch (err) {
      message($('#connect-message'), 'err', err.message);
    }
  });
  await refresh().catch(() => undefined);
}

function renderConnectionState() {
  const c = state.credential;
  const needsReconnect = c && (c.status !== 'connected' || state.health?.last_error_kind === 'auth');
  const form = $('#connect-form');
  const installed = state.installation.status === 'installed';
  form.hidden = !state.canManage; // members see the connection, not the form to change it
  if (needsReconnect && $('#connect-message .callout.ok')) replace($('#connect-message')); // "Connected" is no longer true
  form.querySelector('#connect-fields').disabled = !state.canManage || !installed;
  for (const input of form.querySelectorAll('input')) input.disabled = !state.canManage || !installed;
  const button = $('#connect-button');
  if (button.dataset.busy !== '1') {
    button.disabled = !state.canManage || !installed;
    button.textContent = c ? 'Reconnect Mattermost' : 'Connect Mattermost';
  }
  $('#disconnect-button').hidden = !c || !state.canManage;

  renderIfChanged($('#connection-state'), [c, needsReconnect, installed, state.canManage], () => {
    if (!installed) return h('p', { class: 'hint' }, 'You can connect Mattermost once the install has completed.');
    const parts = [];
    if (!c) {
      parts.push(h('p', {}, badge('not connected', 'warn'), ' Connect an incoming webhook (or a personal access token) so the digest can be posted.'));
    } else {
      const md = c.metadata ?? {};
      parts.push(
        h('dl', { class: 'facts', id: 'credential-facts' },
          h('dt', {}, 'Status'), h('dd', {}, badge(c.status)),
          h('dt', {}, 'Method'), h('dd', {}, c.kind === 'webhook' ? 'Incoming webhook' : 'Personal access token'),
          h('dt', {}, 'Server'), h('dd', {}, c.host),
          c.kind === 'webhook' && md.masked_url ? [h('dt', {}, 'Webhook'), h('dd', { class: 'mono' }, md.masked_url)] : null,
          c.kind === 'pat' && md.username ? [h('dt', {}, 'Posts as'), h('dd', {}, md.username)] : null,
          c.kind === 'pat' && md.team ? [h('dt', {}, 'Team'), h('dd', {}, md.team)] : null,
          h('dt', {}, 'Fingerprint'), h('dd', { class: 'mono' }, c.fingerprint),
          h('dt', {}, 'Last checked'), h('dd', {}, timeEl(c.last_verified_at, { withRelative: true }))),
      );
    }
    if (needsReconnect) {
      parts.push(h('div', { class: 'callout warn', id: 'reconnect-callout' }, h('p', {}, h('strong', {}, 'Reconnect needed. '), 'Mattermost refused the stored credential. Create a new incoming webhook (or token) and Reconnect below.')));
    }
    if (!state.canManage) parts.push(h('p', { class: 'hint' }, `Changing the connection needs the owner or admin role; you are ${state.membership.role}.`));
    return parts;
  });
}

// ---------------------------------------------------------------- settings

function zones() {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return ['UTC'];
  }
}

function settingsForm() {
  const myZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const form = h('form', { id: 'settings-form', novalidate: true },
    h('fieldset', { id: 'settings-fields', disabled: true },
      h('legend', { class: 'visually-hidden' }, 'Digest settings'),
      h('div', { class: 'field switch' },
        h('input', { type: 'checkbox', role: 'switch', id: 'enabled', name: 'enabled', 'aria-describedby': 'enabled-hint' }),
        h('label', { for: 'enabled' }, 'Daily digest on')),
      h('p', { class: 'hint', id: 'enabled-hint' }, 'Off pauses the daily schedule. Run now still works.'),
      h('div', { class: 'inline-fields' },
        field('schedule_time', 'Post every day at', h('input', { id: 'schedule_time', name: 'schedule_time', type: 'time', step: '60', required: true })),
        field('timezone', 'Time zone', h('select', { id: 'timezone', name: 'timezone' }, zones().map((z) => h('option', { value: z }, z.replaceAll('_', ' ')))))),
      h('div', { class: 'actions' }, h('button', { type: 'button', class: 'btn secondary small', id: 'use-my-zone' }, `Use my time zone (${myZone})`)),
      h('div', { id: 'next-runs', 'aria-live': 'polite' }),
      field('channel', 'Channel (optional)', h('input', { id: 'channel', name: 'channel', type: 'text', autocomplete: 'off', placeholder: 'town-square' }),
        'Mattermost channel name, e.g. town-square. Leave empty to post to the webhook’s own channel.'),
      h('div', { class: 'field choice' }, h('input', { type: 'checkbox', id: 'include_cost_estimates', name: 'include_cost_estimates' }), h('label', { for: 'include_cost_estimates' }, 'Include approximate cost')),
      h('div', { class: 'field choice' }, h('input', { type: 'checkbox', id: 'include_llm_summary', name: 'include_llm_summary', 'aria-describedby': 'llm-summary-hint' }), h('label', { for: 'include_llm_summary' }, 'Include an LLM summary')),
      h('p', { class: 'hint', id: 'llm-summary-hint', 'aria-live': 'polite' }),
      h('div', { class: 'inline-fields', id: 'llm-caps' },
        field('llm_monthly_budget_usd', 'LLM budget per month (USD)', h('input', { id: 'llm_monthly_budget_usd', name: 'llm_monthly_budget_usd', type: 'number', min: '0', max: '10000', step: '0.01', placeholder: 'platform default' })),
        field('llm_max_tokens_per_run', 'LLM tokens per run', h('input', { id: 'llm_max_tokens_per_run', name: 'llm_max_tokens_per_run', type: 'number', min: '500', max: '200000', step: '1', placeholder: 'platform default' }))),
      field('max_lines', 'Most lines per digest', h('input', { id: 'max_lines', name: 'max_lines', type: 'number', min: '5', max: '200', step: '1' })),
      field('post_as_username', 'Post as (optional)', h('input', { id: 'post_as_username', name: 'post_as_username', type: 'text', autocomplete: 'off', placeholder: 'fleetprompt' }),
        'A display name for the posts, if your Mattermost server allows overrides.')),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn', id: 'save-settings', disabled: true }, 'Save settings')));
  form.querySelector('#use-my-zone').addEventListener('click', () => {
    const select = form.querySelector('#timezone');
    if ([...select.options].some((o) => o.value === myZone)) select.value = myZone;
    select.focus();
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    saveSettings(form);
  });
  return form;
}

function fillSettings() {
  const form = $('#settings-form');
  const c = state.installation.config ?? {};
  const select = form.querySelector('#timezone');
  const zone = c.timezone ?? 'UTC';
  if (![...select.options].some((o) => o.value === zone)) select.append(h('option', { value: zone }, zone));
  select.value = zone;
  form.schedule_time.value = c.schedule_time ?? '09:00';
  form.enabled.checked = c.enabled ?? true;
  form.channel.value = c.channel ?? '';
  form.include_cost_estimates.checked = c.include_cost_estimates ?? true;
  form.include_llm_summary.checked = c.include_llm_summary ?? false;
  form.llm_monthly_budget_usd.value = c.llm_monthly_budget_usd == null ? '' : String(c.llm_monthly_budget_usd);
  form.llm_max_tokens_per_run.value = c.llm_max_tokens_per_run == null ? '' : String(c.llm_max_tokens_per_run);
  form.max_lines.value = String(c.max_lines ?? 40);
  form.post_as_username.value = c.post_as_username ?? '';
}

async function saveSettings(form) {
  const box = $('#settings-message');
  const body = {
    enabled: form.enabled.checked,
    schedule_time: form.schedule_time.value,
    timezone: form.timezone.value,
    channel: form.channel.value.trim() || null,
    include_cost_estimates: form.include_cost_estimates.checked,
    include_llm_summary: form.include_llm_summary.checked,
    max_lines: Number(form.max_lines.value),
    post_as_username: form.post_as_username.value.trim() || null,
  };
  // The cost caps exist from digest 1.1.0 on (an older version's config refuses them); empty = platform default.
  if (hasLlmCaps()) {
    body.llm_monthly_budget_usd = form.llm_monthly_budget_usd.value === '' ? null : Number(form.llm_monthly_budget_usd.value);
    body.llm_max_tokens_per_run = form.llm_max_tokens_per_run.value === '' ? null : Number(form.llm_max_tokens_per_run.value);
  }
  await busy($('#save-settings'), 'Saving…', async () => {
    try {
      const res = await api.put(path('/config'), body);
      state.installation = res.installation;
      showFieldErrors(form, null);
      const next = res.schedule?.next_runs?.[0];
      const text = !body.enabled ? 'Saved. The daily digest is off.' : next ? `Saved. Next digest: ${next.local} (${body.timezone}).` : 'Saved.';
      flash(box, 'ok', text);
      announce(text);
    } catch (err) {
      message(box, 'err', err.code === 'VALIDATION_FAILED' ? 'Some settings need fixing; see the highlighted fields.' : err.message);
      showFieldErrors(form, err);
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

function renderSettingsState() {
  const installed = state.installation.status === 'installed';
  $('#settings-fields').disabled = !state.canManage || !installed;
  renderLlmSummary();
  if ($('#save-settings').dataset.busy !== '1') $('#save-settings').disabled = !state.canManage || !installed;
  const h0 = state.health;
  renderIfChanged($('#next-runs'), [h0?.next_runs, h0?.schedule_paused, installed], () => {
    if (!installed) return h('p', { class: 'hint' }, 'Settings can be changed once the install has completed.');
    if (h0?.schedule_paused) return h('p', { class: 'hint' }, badge('paused', 'warn'), ' No daily digest is scheduled (the digest is off, or Mattermost is not connected).');
    const runs = h0?.next_runs ?? [];
    if (!runs.length) return h('p', { class: 'hint' }, 'No daily digest is scheduled yet: connect Mattermost first.');
    return h('div', { class: 'hint' }, h('p', { id: 'next-runs-title' }, 'Next digests:'), h('ul', { 'aria-labelledby': 'next-runs-title' }, runs.slice(0, 3).map((r) => h('li', {}, h('time', { datetime: r.at }, `${r.local} (UTC${r.utc_offset})`)))));
  });
}

// ---------------------------------------------------------------- health, run now, runs

function latestFailedRun() {
  const latest = state.runs[0];
  return latest && latest.status === 'failed' ? latest : null;
}

async function retry(button, execution) {
  await busy(button, 'Retrying…', async () => {
    try {
      const res = await api.post(tenantPath(state.membership, `/executions/${execution.id}/retry`));
      state.watchingRun = res.execution.id;
      state.health = { ...state.health, run_quota: res.run_quota };
      flash($('#run-message'), 'info', 'Retry started. Nothing is posted twice: if the first attempt reached Mattermost, the retry does not post again.');
      announce('Retry started');
      await refresh();
    } catch (err) {
      message($('#run-message'), 'err', err.message);
    }
  });
}

function renderHealth() {
  const i = state.installation;
  const hl = state.health;
  const failed = latestFailedRun();
  renderIfChanged($('#health-body'), [i.status, i.config?.timezone, hl?.last_successful_post_at, hl?.last_error, hl?.last_error_kind, hl?.hint, failed?.id, state.canManage, hl?.next_runs?.[0]], () => [
    h('dl', { class: 'facts' },
      h('dt', {}, 'Status'), h('dd', {}, badge(i.status)),
      h('dt', {}, 'Last successful post'), h('dd', { id: 'last-post' }, timeEl(hl?.last_successful_post_at, { withRelative: true })),
      h('dt', {}, 'Next digest'), h('dd', {}, hl?.next_runs?.[0] ? h('time', { datetime: hl.next_runs[0].at }, `${hl.next_runs[0].local} (${i.config?.timezone ?? 'UTC'})`) : 'not scheduled'),
      h('dt', {}, 'Installed'), h('dd', {}, i.installed_at ? timeEl(i.installed_at) : 'not yet')),
    hl?.last_error
      ? h('div', { class: 'callout err', id: 'last-error', role: 'alert' },
          h('h3', {}, 'Last error'),
          h('p', { id: 'last-error-message' }, hl.last_error),
          h('p', {}, 'Kind: ', errorKindBadge(hl.last_error_kind), h('span', { class: 'visually-hidden' }, ` (${hl.last_error_kind})`)),
          hl.hint ? h('p', { id: 'last-error-hint' }, h('strong', {}, 'What to do: '), hl.hint) : null,
          state.canManage
            ? h('div', { class: 'actions' },
                hl.last_error_kind === 'auth'
                  ? h('button', { type: 'button', class: 'btn secondary', id: 'goto-reconnect', onclick: () => { $('#connection').scrollIntoView(); $('#webhook_url').focus(); } }, 'Reconnect Mattermost')
                  : null,
                failed ? h('button', { type: 'button', class: 'btn', id: 'retry-last', onclick: (e) => retry(e.currentTarget, failed) }, 'Retry run') : null)
            : null)
      : h('p', { class: 'callout ok', id: 'no-error' }, 'No errors. ', hl?.last_successful_post_at ? 'The last digest reached Mattermost.' : 'Nothing has been posted yet.'),
  ]);
}

function quotaText(q) {
  if (!q) return '';
  if (q.remaining > 0) return `${q.remaining} of ${q.limit} manual runs left this hour.`;
  return `No manual runs left this hour${q.resets_at ? `; the next one is possible ${relative(q.resets_at)}` : ''}.`;
}

function renderRun() {
  const i = state.installation;
  const q = state.health?.run_quota;
  const running = state.runs.find((r) => ACTIVE_RUN.has(r.status));
  const reason = !state.canManage
    ? `Run now needs the owner or admin role; you are ${state.membership.role}.`
    : i.status !== 'installed'
      ? 'Available once the install has completed.'
      : !state.credential
        ? 'Connect Mattermost first.'
        : q && q.remaining <= 0
          ? 'The hourly limit is reached.'
          : null;
  renderIfChanged($('#run-body'), [q, reason, running?.id, running?.status], () => [
    h('p', {}, 'Post a digest of the last 24 hours now. Scheduled digests do not count against the limit.'),
    h('p', { class: 'quota', id: 'quota' }, quotaText(q)),
    running ? h('p', { role: 'status' }, badge(running.status), ' A run is in progress…') : null,
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'btn', id: 'run-now', disabled: Boolean(reason), 'aria-describedby': reason ? 'run-reason' : null, onclick: (e) => runNow(e.currentTarget) }, 'Run now'),
      reason ? h('span', { class: 'hint', id: 'run-reason' }, reason) : null),
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

function renderRuns() {
  const retried = new Set(state.runs.filter((r) => r.retry_of_execution_id && r.status !== 'failed').map((r) => r.retry_of_execution_id));
  renderIfChanged($('#runs-body'), [state.runs.map((r) => [r.id, r.status, r.error_kind]), state.canManage], () =>
    table({
      caption: 'Recent runs, newest first',
      columns: ['Started', 'Trigger', 'Status', 'Problem', 'Details'],
      empty: 'No runs yet. Use Run now to post the first digest.',
      rows: state.runs.map((r) =>
        h('tr', { dataset: { executionId: r.id } },
          h('td', {}, timeEl(r.created_at, { short: true })),
          h('td', {}, r.trigger),
          h('td', {}, badge(r.status)),
          h('td', {}, r.error_kind ? errorKindBadge(r.error_kind) : '—'),
          h('td', {},
            h('div', { class: 'actions' },
              h('a', { href: `/admin?correlation=${encodeURIComponent(r.correlation_id)}#timeline` }, 'What happened?'),
              temporalLink(r.temporal_url, 'Temporal'),
              r.status === 'failed' && state.canManage && !retried.has(r.id)
                ? h('button', { type: 'button', class: 'btn small secondary', id: `retry-${r.id}`, onclick: (e) => retry(e.currentTarget, r) }, 'Retry', h('span', { class: 'visually-hidden' }, ` the run from ${new Date(r.created_at).toLocaleString()}`))
                : null)))),
    }),
  );
}

// ---------------------------------------------------------------- install progress

const STEP_ORDER = ['package.install.requested', 'package.install.started', 'package.install.completed'];

function renderProgress() {
  const inst = state.install;
  const active = ACTIVE_INSTALL.has(state.installation.status);
  const top = $('#progress-top');
  const bottom = $('#progress-bottom');
  const slot = active || state.installation.status === 'failed' ? top : bottom;
  (slot === top ? bottom : top).replaceChildren();
  delete (slot === top ? bottom : top).dataset.renderKey;
  renderIfChanged(slot, [inst?.directive?.id, inst?.directive?.status, inst?.signals?.map((s) => s.id), state.installation.status, slot.id], () => {
    if (!inst) return null;
    const seen = new Map(inst.signals.map((s) => [s.type, s]));
    const failed = seen.get('package.install.failed');
    const steps = STEP_ORDER.map((type, n) => {
      const s = seen.get(type);
      if (type === 'package.install.completed' && failed) return { type: failed.type, s: failed, cls: 'failed' };
      return { type, s, cls: s ? 'done' : n === 0 || seen.get(STEP_ORDER[n - 1]) ? 'pending' : '' };
    });
    return h('section', { class: 'card', id: 'install-progress', 'aria-labelledby': 'install-progress-title' },
      h('h2', { id: 'install-progress-title' }, 'Install progress ', badge(inst.directive.status)),
      h('ol', { class: 'timeline', id: 'lifecycle', 'aria-live': active ? 'polite' : null },
        steps.map(({ type, s, cls }) =>
          h('li', { class: cls, dataset: { signal: type } },
            h('div', { class: 'what' }, signalLabel(type), s ? null : h('span', { class: 'visually-hidden' }, ' (not yet)')),
            h('div', { class: 'when' }, s ? timeEl(s.occurred_at) : cls === 'pending' ? 'waiting…' : 'not yet'),
            s && type.endsWith('failed') ? h('p', {}, String(s.payload?.error ?? inst.directive.error ?? '')) : null))),
      h('div', { class: 'actions' },
        temporalLink(inst.directive.temporal_url),
        h('a', { href: `/admin?correlation=${encodeURIComponent(inst.directive.correlation_id)}#timeline` }, 'Full timeline'),
        jsonDetails('All lifecycle signals', inst.signals.map((s) => ({ type: s.type, at: s.occurred_at })))));
  });
}

// ---------------------------------------------------------------- data

async function loadInstallDirective() {
  const list = await api.get(tenantPath(state.membership, `/directives?installation_id=${state.id}&type=package.install&limit=1`));
  const d = list.items[0];
  if (!d) return null;
  const detail = await api.get(tenantPath(state.membership, `/directives/${d.id}`));
  return { directive: detail, signals: detail.signals };
}

async function refresh() {
  const [installation, health, credential, runs, llm] = await Promise.all([
    api.get(path()),
    api.get(path('/health')),
    api.get(path('/credential')),
    api.get(tenantPath(state.membership, `/executions?installation_id=${state.id}&limit=10`)),
    api.get(path('/llm')).catch(() => null),
  ]);
  const wasActive = state.installation && ACTIVE_INSTALL.has(state.installation.status);
  const firstInstalled = state.installation && state.installation.status !== 'installed' && installation.status === 'installed';
  state.installation = installation;
  state.health = health;
  state.llm = llm?.llm ?? null;
  state.credential = credential.credential;
  state.runs = runs.items;
  if (!state.install || wasActive || ACTIVE_INSTALL.has(installation.status) || firstInstalled) state.install = await loadInstallDirective();
  if (firstInstalled) {
    fillSettings();
    announce('Install completed. You can now connect Mattermost.');
  }
  render();
  settleWatchedRun();
  schedulePoll();
}

function settleWatchedRun() {
  const run = state.watchingRun && state.runs.find((r) => r.id === state.watchingRun);
  if (!run || ACTIVE_RUN.has(run.status)) return;
  state.watchingRun = null;
  const box = $('#run-message');
  if (run.status === 'succeeded') {
    flash(box, 'ok', `The run succeeded: the digest was posted to Mattermost. ${quotaText(state.health.run_quota)}`);
    announce('Run succeeded');
  } else if (run.status === 'skipped') {
    flash(box, 'warn', 'The run was skipped (this digest had already been posted).');
  } else {
    message(box, 'err', `The run failed${run.error_kind ? ` (${run.error_kind})` : ''}.`, run.hint ? h('p', {}, h('strong', {}, 'What to do: '), run.hint) : null);
    announce('Run failed');
  }
}

function render() {
  const i = state.installation;
  $('#title').textContent = state.pkg?.name ?? i.package_slug;
  document.title = `${state.pkg?.name ?? i.package_slug} · FleetPrompt`;
  renderIfChanged($('#status-badge'), [i.status], () => badge(i.status));
  renderIfChanged($('#lede'), [i.package_version], () => [
    `Version ${i.package_version} in ${state.membership.tenant_name}. `,
    h('a', { href: `/admin?installation=${encodeURIComponent(i.id)}` }, 'Everything that happened to it, in the support view'),
  ]);
  const crumb = $('#crumb-package');
  crumb.textContent = state.pkg?.name ?? i.package_slug;
  crumb.href = `/packages/${encodeURIComponent(i.package_slug)}`;
  renderIfChanged($('#page-message'), [i.status], () =>
    i.status === 'uninstalled'
      ? h('div', { class: 'callout warn', role: 'status' }, h('p', {}, 'This installation was uninstalled. ', h('a', { href: `/packages/${encodeURIComponent(i.package_slug)}` }, 'Install it again')))
      : i.status === 'failed'
        ? h('div', { class: 'callout err', role: 'alert' }, h('p', {}, 'The install failed. See the install progress below, then try again from the package page.'))
        : null,
  );
  renderIfChanged($('#update-available'), [i.package_version, i.status], () =>
    updatePanel({ pkg: state.pkg, installation: i, canManage: state.canManage, upgradePath: path('/upgrade'), onRequested: () => refresh() }));
  renderProgress();
  renderHealth();
  renderRun();
  renderRuns();
  renderConnectionState();
  renderSettingsState();
}

function busyNow() {
  return ACTIVE_INSTALL.has(state.installation?.status) || state.runs.some((r) => ACTIVE_RUN.has(r.status)) || Boolean(state.watchingRun);
}

// Polls fast while something is in progress, slowly otherwise; every refresh (a poll, or one
// after an action) reschedules, so a run started by a click is followed at once.
let pollTimer = null;
function schedulePoll() {
  clearTimeout(pollTimer);
  pollTimer = setTimeout(async () => {
    if (document.hidden) return schedulePoll();
    await refresh().catch(() => schedulePoll());
  }, busyNow() ? FAST_MS : SLOW_MS);
}

async function main() {
  const session = await requireSession();
  const shell = renderShell({ session, active: 'marketplace' });
  state.membership = shell.membership;
  state.canManage = shell.canManage;
  state.id = decodeURIComponent(location.pathname.split('/')[2] ?? '');
  if (!state.membership) throw new Error('Your account is not a member of any organisation.');
  replace($('#main'), skeleton());
  state.installation = await api.get(path());
  state.pkg = await api.get(`/api/packages/${encodeURIComponent(state.installation.package_slug)}`).catch(() => null);
  state.installation = null; // refresh() sees the first load
  await refresh();
  fillSettings();
}

main().catch(pageError);
