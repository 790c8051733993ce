// @ts-check
// Support view: the last signals (with filters), directives, runs with their logs, and the
// correlation timeline that answers "what happened?" for any install or run — each with a link
// to its workflow in the Temporal Web UI. ?installation=<id> narrows everything to one
// installation; ?correlation=<id> opens that timeline.
import { api, requireSession, tenantPath } from '../api.js';
import {
  $,
  badge,
  busy,
  errorKindBadge,
  formatShort,
  h,
  jsonDetails,
  labelCells,
  message,
  pageError,
  renderShell,
  replace,
  signalLabel,
  table,
  temporalLink,
  timeEl,
} from '../dom.js';

const params = new URLSearchParams(location.search);
const state = { membership: null, installationId: params.get('installation'), signalsCursor: null };
const tp = (rest) => tenantPath(state.membership, rest);
const SIGNAL_PREFIXES = ['package.', 'directive.', 'integration.', 'mattermost.', 'value.', 'agent.execution.', 'workflow.run.'];

function card(id, title, ...body) {
  return h('section', { class: 'card', id, 'aria-labelledby': `${id}-title` }, h('h2', { id: `${id}-title`, tabindex: '-1' }, title), ...body);
}

function field(id, label, input) {
  return h('div', { class: 'field' }, h('label', { for: id }, label), input);
}

// ---------------------------------------------------------------- names and words

/** installation id → its package's name, so subjects read as names, not UUIDs. */
const names = new Map();

async function loadNames() {
  const [installations, packages] = await Promise.all([api.get(tp('/installations')), api.get('/api/packages')]);
  const pkgNames = new Map(packages.items.map((p) => [p.slug, p.name]));
  for (const i of installations.items)
    names.set(i.id, `${pkgNames.get(i.package_slug) ?? i.package_slug}${i.status === 'uninstalled' ? ' (uninstalled)' : ''}`);
}

/** "installation:<uuid>" → its package's name; anything else as it is. */
function subjectName(subject) {
  if (!subject) return null;
  const m = /^installation:([0-9a-f-]{36})$/.exec(subject);
  return m && names.has(m[1]) ? names.get(m[1]) : subject;
}

const KIND_WORDS = { auth: 'authentication', rate_limit: 'rate limit', network: 'network', validation: 'validation', unknown: 'unknown outcome' };
const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** One event in words (the raw JSON stays behind a toggle). */
function describeEvent(e) {
  const d = e.data ?? {};
  const p = d.payload ?? {};
  const bits = [];
  if (e.kind === 'signal') {
    const who = subjectName(d.subject);
    if (who) bits.push(`For ${who}.`);
    if (typeof p.error === 'string') bits.push(`Error: ${p.error}${p.error_kind ? ` (${KIND_WORDS[p.error_kind] ?? p.error_kind})` : ''}.`);
    else if (p.error_kind) bits.push(`Error kind: ${KIND_WORDS[p.error_kind] ?? p.error_kind}.`);
    if (typeof p.attempts === 'number') bits.push(`After ${plural(p.attempts, 'attempt')}${p.how ? `, via ${p.how}` : ''}.`);
    if (typeof p.line_count === 'number')
      bits.push(`${plural(p.line_count, 'line')}${p.truncated ? ', cut to fit' : ''}, from ${plural(p.total_signals ?? 0, 'signal')}.`);
    if (typeof p.reason === 'string') bits.push(`Reason: ${p.reason.replaceAll('_', ' ')}.`);
    if (typeof p.cost_usd === 'number') bits.push(`Cost about $${p.cost_usd.toFixed(2)}.`);
    bits.push(`Reported by ${d.source}.`);
  } else if (e.kind === 'log') {
    if (typeof d.attempt === 'number') bits.push(`Attempt ${d.attempt}.`);
    if (d.kind) bits.push(`Kind: ${KIND_WORDS[d.kind] ?? d.kind}.`);
    if (d.code) bits.push(`Mattermost code ${d.code}${d.status ? ` (HTTP ${d.status})` : ''}.`);
    if (typeof d.retry_after_ms === 'number') bits.push(`Mattermost asked to wait ${Math.round(d.retry_after_ms / 1000)} s.`);
    if (typeof d.line_count === 'number') bits.push(`${plural(d.line_count, 'line')}${d.truncated ? ', cut to fit' : ''}.`);
    if (typeof d.attempts === 'number') bits.push(`${plural(d.attempts, 'attempt')}.`);
  } else if (e.kind === 'directive') {
    if (d.error) bits.push(`Error: ${d.error}.`);
    if (d.actor_role) bits.push(`By ${d.actor_role === 'system' ? 'the system' : `an ${d.actor_role}`}.`);
  } else if (e.kind === 'execution') {
    if (d.error_kind) bits.push(`Error kind: ${KIND_WORDS[d.error_kind] ?? d.error_kind}.`);
  }
  return bits.join(' ');
}

/** A status for a signal from its type (signals have no status of their own). */
function signalStatus(type) {
  if (/\.failed$/.test(type)) return 'failed';
  if (/\.(completed|posted|connected|generated)$/.test(type)) return 'completed';
  if (/\.(requested|started)$/.test(type)) return type.endsWith('started') ? 'running' : 'requested';
  return null;
}

// ---------------------------------------------------------------- timeline

const KIND_TONE = { directive: 'info', execution: 'info', log: 'neutral', signal: 'neutral' };
const KIND_LABEL = { directive: 'directive', execution: 'run', log: 'log', signal: 'signal' };

function seconds(ms) {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

function timelineEvent(e, index, events, span) {
  const status = e.kind === 'signal' ? signalStatus(e.title) : e.status;
  const failed = e.level === 'error' || status === 'failed';
  const label = e.kind === 'signal' ? signalLabel(e.title) : e.title;
  const title = e.kind === 'signal' ? [label, ' ', h('code', { class: 'break-anywhere' }, e.title)] : e.title;
  const start = new Date(events[0].at).getTime();
  const at = new Date(e.at).getTime();
  const since = index === 0 ? 0 : at - new Date(events[index - 1].at).getTime();
  const offset = span > 0 ? ((at - start) / span) * 100 : 0;
  const words = describeEvent(e);
  return h(
    'li',
    { class: failed ? 'failed' : status === 'completed' || status === 'succeeded' ? 'done' : '', dataset: { kind: e.kind } },
    h(
      'div',
      { class: 'when' },
      timeEl(e.at),
      ' · ',
      badge(KIND_LABEL[e.kind] ?? e.kind, KIND_TONE[e.kind]),
      ' · ',
      index === 0 ? 'start' : `+${seconds(since)}`,
    ),
    h(
      'span',
      { class: 'waterfall', 'aria-hidden': 'true', title: `${seconds(at - start)} after the first event` },
      h('span', { style: null, dataset: { offset: offset.toFixed(1) } }),
    ),
    h(
      'div',
      { class: 'what' },
      title,
      status ? [' ', badge(status)] : null,
      e.level && e.level !== 'info' && e.kind === 'log' ? [' ', badge(e.level, e.level === 'error' ? 'err' : 'warn')] : null,
    ),
    words ? h('p', { class: 'event-words break-anywhere' }, words) : null,
    e.kind === 'execution' && e.data?.hint ? h('p', {}, h('strong', {}, 'What to do: '), e.data.hint) : null,
    e.temporal_url ? h('div', {}, temporalLink(e.temporal_url)) : null,
    jsonDetails('Raw JSON', e.data),
  );
}

/** The bars' positions (CSP forbids inline styles in markup, so they are set from script). */
function placeBars(root) {
  for (const bar of root.querySelectorAll('.waterfall > span')) /** @type {HTMLElement} */ (bar).style.left = `${bar.dataset.offset}%`;
}

let shownTimeline = { id: null, key: null };

async function showTimeline(correlationId, { focus = false, quiet = false } = {}) {
  const out = $('#timeline-result');
  const form = $('#timeline-form');
  if (!quiet) {
    form.correlation.value = correlationId;
    const url = new URL(location.href);
    url.searchParams.set('correlation', correlationId);
    history.replaceState(null, '', url);
    replace(out, h('p', { class: 'loading' }, 'Loading the timeline…'));
  }
  try {
    const t = await api.get(tp(`/timeline/${encodeURIComponent(correlationId)}`));
    const key = JSON.stringify(t.events.map((e) => [e.at, e.kind, e.title, e.status]));
    if (quiet && shownTimeline.id === correlationId && shownTimeline.key === key) return; // nothing new
    shownTimeline = { id: correlationId, key };
    if (!t.events.length) {
      replace(out, h('p', { class: 'empty' }, 'Nothing was recorded under this correlation id in your organisation.'));
    } else {
      const count = (kind) => t.events.filter((e) => e.kind === kind).length;
      const first = new Date(t.events[0].at).getTime();
      const span = new Date(t.events[t.events.length - 1].at).getTime() - first;
      replace(
        out,
        h(
          'p',
          { id: 'timeline-summary' },
          `${plural(t.events.length, 'event')} over ${seconds(span)}: ${plural(count('directive'), 'directive event')}, ${plural(count('execution'), 'run event')}, ${plural(count('log'), 'log line')}, ${plural(count('signal'), 'signal')}.`,
        ),
        t.truncated ? h('p', { class: 'callout warn' }, 'Only the first 500 of each kind are shown.') : null,
        h(
          'div',
          { class: 'actions' },
          temporalLink(t.temporal_search_url, 'Every workflow of this correlation id in Temporal'),
          t.directives.map((d) => temporalLink(d.temporal_url, `Directive workflow in Temporal (${d.type})`)),
          t.executions.map((e) => temporalLink(e.temporal_url, `Run workflow in Temporal (${e.trigger})`)),
        ),
        h(
          'ol',
          { class: 'timeline', id: 'timeline-events', 'aria-label': `Timeline of ${correlationId}` },
          t.events.map((e, i) => timelineEvent(e, i, t.events, span)),
        ),
      );
      placeBars(out);
    }
  } catch (err) {
    if (!quiet) message(out, 'err', err.message);
  }
  if (focus) {
    $('#timeline').scrollIntoView();
    $('#timeline-title').focus();
  }
}

function timelineButton(correlationId, label = 'Timeline') {
  return h(
    'button',
    { type: 'button', class: 'btn small secondary', onclick: () => showTimeline(correlationId, { focus: true }) },
    label,
    h('span', { class: 'visually-hidden' }, ` of ${correlationId}`),
  );
}

function timelineCard() {
  const form = h(
    'form',
    { id: 'timeline-form', class: 'toolbar' },
    field(
      'correlation',
      'Correlation id',
      h('input', {
        id: 'correlation',
        name: 'correlation',
        type: 'text',
        class: 'wide',
        autocomplete: 'off',
        spellcheck: 'false',
        'aria-describedby': 'correlation-hint',
      }),
    ),
    h('button', { type: 'submit', class: 'btn' }, 'Show timeline'),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const v = form.correlation.value.trim();
    if (v) showTimeline(v);
  });
  return card(
    'timeline',
    'What happened? (timeline)',
    h(
      'p',
      { class: 'hint', id: 'correlation-hint' },
      'Every install, run and credential change has a correlation id. Pick one from the tables below, or paste one.',
    ),
    form,
    h('div', { id: 'timeline-result', 'aria-live': 'polite' }, h('p', { class: 'empty' }, 'Choose a directive or run below to see its timeline.')),
  );
}

// ---------------------------------------------------------------- signals

const SIGNAL_COLUMNS = ['When', 'Type', 'Subject', 'Source', 'Correlation', 'Payload'];

function signalRow(s) {
  return h(
    'tr',
    {},
    h('td', {}, timeEl(s.occurred_at, { short: true })),
    h('td', {}, h('code', {}, s.type), s.type.endsWith('.failed') ? [' ', badge('failed')] : null),
    h(
      'td',
      { class: 'wrap' },
      s.subject ? [subjectName(s.subject), subjectName(s.subject) !== s.subject ? h('span', { class: 'visually-hidden' }, ` (${s.subject})`) : null] : '—',
    ),
    h('td', { class: 'wrap' }, s.source),
    h('td', {}, s.correlation_id ? timelineButton(s.correlation_id) : '—'),
    h('td', { class: 'wrap' }, jsonDetails('Raw JSON', s.payload) ?? '—'),
  );
}

async function loadSignals({ more = false } = {}) {
  const form = $('#signals-form');
  const q = new URLSearchParams();
  for (const name of ['type', 'correlation_id', 'subject']) if (form[name].value.trim()) q.set(name, form[name].value.trim());
  q.set('limit', form.limit.value);
  if (more && state.signalsCursor) q.set('cursor', state.signalsCursor);
  const box = $('#signals-message');
  try {
    const page = await api.get(tp(`/signals?${q}`));
    message(box, null, '');
    state.signalsCursor = page.next_cursor;
    const body = $('#signals-body');
    if (!more) {
      replace(
        body,
        table({ caption: 'Signals, newest first', columns: SIGNAL_COLUMNS, rows: page.items.map(signalRow), empty: 'No signals match these filters.' }),
      );
    } else {
      $('#signals-body tbody')?.append(...page.items.map((s) => labelCells(signalRow(s), SIGNAL_COLUMNS)));
    }
    $('#signals-more').hidden = !page.next_cursor;
    $('#signals-count').textContent = `${$('#signals-body').querySelectorAll('tbody tr').length} shown`;
  } catch (err) {
    message(box, 'err', err.message);
  }
}

function signalsCard() {
  const form = h(
    'form',
    { id: 'signals-form', class: 'toolbar' },
    field(
      'type',
      'Type or prefix',
      h('input', {
        id: 'type',
        name: 'type',
        type: 'text',
        list: 'signal-prefixes',
        autocomplete: 'off',
        placeholder: 'e.g. mattermost.',
        'aria-describedby': 'type-suggestion',
      }),
    ),
    h(
      'datalist',
      { id: 'signal-prefixes' },
      SIGNAL_PREFIXES.map((p) => h('option', { value: p })),
    ),
    field('correlation_id', 'Correlation id', h('input', { id: 'correlation_id', name: 'correlation_id', type: 'text', autocomplete: 'off' })),
    field(
      'subject',
      'Subject',
      h('input', {
        id: 'subject',
        name: 'subject',
        type: 'text',
        autocomplete: 'off',
        value: state.installationId ? `installation:${state.installationId}` : null,
      }),
    ),
    field(
      'limit',
      'How many',
      h(
        'select',
        { id: 'limit', name: 'limit' },
        [20, 50, 100, 200].map((n) => h('option', { value: n, selected: n === 20 }, String(n))),
      ),
    ),
    h('button', { type: 'submit', class: 'btn' }, 'Apply filters'),
    h('button', { type: 'reset', class: 'btn secondary' }, 'Clear'),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(e.submitter ?? form.querySelector('[type=submit]'), 'Loading…', () => loadSignals());
  });
  // "mattermost" matches no type exactly; suggest the prefix "mattermost." it probably means.
  const suggestion = h('p', { class: 'hint', id: 'type-suggestion', 'aria-live': 'polite' });
  form.type.addEventListener('input', () => {
    const v = form.type.value.trim();
    const prefix = v && !v.endsWith('.') ? SIGNAL_PREFIXES.find((p) => p.startsWith(`${v}.`) || (p.startsWith(v) && p !== v)) : null;
    replace(
      suggestion,
      prefix
        ? [
            'Did you mean the prefix ',
            h(
              'button',
              {
                type: 'button',
                class: 'btn-link',
                id: 'use-type-prefix',
                onclick: () => {
                  form.type.value = prefix;
                  replace(suggestion);
                  form.requestSubmit();
                },
              },
              prefix,
            ),
            '? A type without a final "." must match exactly.',
          ]
        : null,
    );
  });
  form.append(suggestion);
  form.addEventListener('reset', () => setTimeout(() => loadSignals(), 0));
  const more = h('button', { type: 'button', class: 'btn secondary', id: 'signals-more', hidden: true }, 'Load more signals');
  more.addEventListener('click', () => busy(more, 'Loading…', () => loadSignals({ more: true })));
  return card(
    'signals',
    'Signals',
    h(
      'p',
      { class: 'hint' },
      'A type ending in "." is a prefix (e.g. mattermost. or agent.execution.); otherwise the exact type. Subjects look like installation:<id>; the table shows the installation’s name.',
    ),
    form,
    h('div', { id: 'signals-message' }),
    h('div', { id: 'signals-body' }),
    h('div', { class: 'actions' }, more, h('span', { class: 'hint', id: 'signals-count', 'aria-live': 'polite' })),
  );
}

// ---------------------------------------------------------------- directives

async function loadDirectives() {
  const q = new URLSearchParams({ limit: '20' });
  if (state.installationId) q.set('installation_id', state.installationId);
  const page = await api.get(tp(`/directives?${q}`));
  const key = JSON.stringify(page.items.map((d) => [d.id, d.status]));
  if ($('#directives-body').dataset.key === key) return;
  $('#directives-body').dataset.key = key;
  replace(
    $('#directives-body'),
    table({
      caption: 'Directives, newest first',
      columns: ['Recorded', 'Type', 'Status', 'Problem', 'Actor', 'Follow'],
      empty: 'No directives yet. Installing a package records one.',
      rows: page.items.map((d) =>
        h(
          'tr',
          {},
          h('td', {}, timeEl(d.created_at, { short: true })),
          h('td', {}, h('code', {}, d.type)),
          h('td', {}, badge(d.status)),
          h('td', { class: 'wrap' }, d.error ? [errorKindBadge(d.error_kind), ' ', d.error] : '—'),
          h('td', {}, d.actor_role ?? 'system'),
          h('td', {}, h('div', { class: 'actions' }, timelineButton(d.correlation_id), temporalLink(d.temporal_url, 'Temporal'))),
        ),
      ),
    }),
  );
}

// ---------------------------------------------------------------- runs

async function toggleLogs(button, run) {
  const row = button.closest('tr');
  const open = button.getAttribute('aria-expanded') === 'true';
  const existing = document.getElementById(`logs-${run.id}`);
  const setLabel = (text) => (button.firstChild.textContent = text);
  if (open) {
    existing?.remove();
    button.setAttribute('aria-expanded', 'false');
    setLabel('Logs');
    return;
  }
  await busy(button, null, async () => {
    try {
      const detail = await api.get(tp(`/executions/${run.id}`));
      const logs = h(
        'tr',
        { class: 'logs-row', id: `logs-${run.id}` },
        h(
          'td',
          { colspan: '6' },
          h('h3', {}, `Logs of the ${run.trigger} run`),
          detail.logs.length
            ? h(
                'ol',
                { class: 'timeline' },
                detail.logs.map((l) =>
                  h(
                    'li',
                    { class: l.level === 'error' ? 'failed' : 'done' },
                    h('div', { class: 'when' }, timeEl(l.at), ' · ', badge(l.level, l.level === 'error' ? 'err' : l.level === 'warn' ? 'warn' : 'neutral')),
                    h('div', { class: 'what' }, l.message),
                    jsonDetails('Data', l.data),
                  ),
                ),
              )
            : h('p', { class: 'empty' }, 'No logs yet.'),
          detail.hint ? h('p', { class: 'callout err' }, h('strong', {}, 'What to do: '), detail.hint) : null,
          jsonDetails('Summary', detail.summary),
        ),
      );
      row.after(logs);
      button.setAttribute('aria-expanded', 'true');
      setLabel('Hide logs');
    } catch (err) {
      message($('#runs-message'), 'err', err.message);
    }
  });
}

async function loadRuns() {
  const q = new URLSearchParams({ limit: '20' });
  if (state.installationId) q.set('installation_id', state.installationId);
  const page = await api.get(tp(`/executions?${q}`));
  const key = JSON.stringify(page.items.map((r) => [r.id, r.status]));
  // Unchanged, or someone is reading a run's logs: leave the table as it is.
  if ($('#runs-body').dataset.key === key || $('#runs-body .logs-row')) return;
  $('#runs-body').dataset.key = key;
  replace(
    $('#runs-body'),
    table({
      caption: 'Runs, newest first',
      columns: ['Started', 'Trigger', 'Status', 'Problem', 'Logs', 'Follow'],
      empty: 'No runs yet.',
      rows: page.items.map((r) =>
        h(
          'tr',
          { dataset: { executionId: r.id } },
          h('td', {}, timeEl(r.created_at, { short: true })),
          h('td', {}, r.trigger),
          h('td', {}, badge(r.status)),
          h('td', {}, r.error_kind ? errorKindBadge(r.error_kind) : '—'),
          h(
            'td',
            {},
            h(
              'button',
              {
                type: 'button',
                class: 'btn small secondary',
                'aria-expanded': 'false',
                'aria-controls': `logs-${r.id}`,
                onclick: (e) => toggleLogs(e.currentTarget, r),
              },
              'Logs',
              h('span', { class: 'visually-hidden' }, ` of the ${r.trigger} run from ${formatShort(r.created_at)}`),
            ),
          ),
          h('td', {}, h('div', { class: 'actions' }, timelineButton(r.correlation_id), temporalLink(r.temporal_url, 'Temporal'))),
        ),
      ),
    }),
  );
}

// ---------------------------------------------------------------- page

async function main() {
  const session = await requireSession();
  const { membership } = renderShell({ session, active: 'admin' });
  if (!membership) throw new Error('Your account is not a member of any organisation.');
  state.membership = membership;
  await loadNames().catch(() => undefined); // names are a nicety: UUIDs still work without them
  const search = await api.get(tp('/timeline')).catch(() => null);
  const scope = state.installationId
    ? h(
        'div',
        { class: 'callout info', role: 'status' },
        h(
          'p',
          {},
          'Showing one installation. ',
          h('a', { href: `/installations/${encodeURIComponent(state.installationId)}` }, 'Open the installation'),
          ' · ',
          h('a', { href: '/admin' }, 'Show everything'),
        ),
      )
    : null;
  replace(
    $('#main'),
    h('div', { class: 'page-head' }, h('h1', {}, 'Support view')),
    h('p', { class: 'lede' }, `What happened in ${membership.tenant_name}: signals, directives, runs with their logs, and the timeline of any install or run.`),
    scope,
    h(
      'div',
      { class: 'actions' },
      search?.temporal_search_url
        ? temporalLink(search.temporal_search_url, `All of ${membership.tenant_name}’s workflows in Temporal`)
        : h('span', { class: 'hint' }, 'The Temporal Web UI is not configured (TEMPORAL_UI_URL), so there are no links into it.'),
      h(
        'span',
        { class: 'choice' },
        h('input', { type: 'checkbox', id: 'auto-refresh', checked: true }),
        h('label', { for: 'auto-refresh' }, 'Refresh every 5 seconds'),
      ),
    ),
    h(
      'nav',
      { class: 'sub-nav', 'aria-label': 'Sections' },
      h(
        'ul',
        {},
        [
          ['#timeline', 'Timeline'],
          ['#signals', 'Signals'],
          ['#directives', 'Directives'],
          ['#runs', 'Runs'],
        ].map(([href, label]) => h('li', {}, h('a', { href }, label))),
      ),
    ),
    timelineCard(),
    card('runs', 'Runs and their logs', h('div', { id: 'runs-message' }), h('div', { id: 'runs-body' }, h('p', { class: 'loading' }, 'Loading…'))),
    card('directives', 'Directives', h('div', { id: 'directives-body' }, h('p', { class: 'loading' }, 'Loading…'))),
    signalsCard(),
  );
  await Promise.all([
    loadRuns().catch((err) => message($('#runs-body'), 'err', err.message)),
    loadDirectives().catch((err) => message($('#directives-body'), 'err', err.message)),
    loadSignals(),
    params.get('correlation') ? showTimeline(params.get('correlation')) : null,
  ]);
  if (params.get('correlation') && location.hash === '#timeline') $('#timeline').scrollIntoView();
  autoRefresh();
}

/** While the box is ticked and the tab visible: the timeline, runs and directives follow new events. */
function autoRefresh() {
  setTimeout(async () => {
    if (!document.hidden && $('#auto-refresh')?.checked) {
      const correlation = shownTimeline.id;
      await Promise.all([
        correlation ? showTimeline(correlation, { quiet: true }) : null,
        loadRuns().catch(() => undefined),
        loadDirectives().catch(() => undefined),
      ]);
    }
    autoRefresh();
  }, 5000);
}

main().catch(pageError);
