// @ts-check
// Support view: the last signals (with filters), directives, runs with their logs, and the
// correlation timeline that answers "what happened?" for any install or run — each with a link
// to its workflow in the Temporal Web UI. ?installation=<id> narrows everything to one
// installation; ?correlation=<id> opens that timeline.
import { api, requireSession, tenantPath } from '../api.js';
import { $, badge, busy, errorKindBadge, h, jsonDetails, labelCells, message, pageError, renderShell, replace, signalLabel, table, temporalLink, timeEl } from '../dom.js';

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

// ---------------------------------------------------------------- timeline

const KIND_TONE = { directive: 'info', execution: 'info', log: 'neutral', signal: 'neutral' };

function timelineEvent(e) {
  const failed = e.level === 'error' || e.status === 'failed';
  const label = e.kind === 'signal' ? signalLabel(e.title) : e.title;
  const title = e.kind === 'signal' && label !== e.title ? [label, ' ', h('code', {}, e.title)] : e.kind === 'signal' ? h('code', {}, e.title) : e.title;
  const subject = e.kind === 'signal' ? e.data?.subject : null;
  const error = e.kind === 'signal' && typeof e.data?.payload?.error === 'string' ? e.data.payload.error : null;
  return h('li', { class: failed ? 'failed' : e.status === 'completed' || e.status === 'succeeded' ? 'done' : '', dataset: { kind: e.kind } },
    h('div', { class: 'when' }, timeEl(e.at), ' · ', badge(e.kind, KIND_TONE[e.kind]), subject ? ` · ${subject}` : null),
    h('div', { class: 'what' }, title, e.status ? [' ', badge(e.status)] : null, e.level && e.level !== 'info' && e.kind === 'log' ? [' ', badge(e.level, e.level === 'error' ? 'err' : 'warn')] : null),
    e.kind === 'execution' && e.data?.hint ? h('p', {}, h('strong', {}, 'What to do: '), e.data.hint) : null,
    error ? h('p', {}, error, e.data.payload.error_kind ? [' ', errorKindBadge(e.data.payload.error_kind)] : null) : null,
    e.temporal_url ? h('div', {}, temporalLink(e.temporal_url)) : null,
    jsonDetails('Details', e.data));
}

async function showTimeline(correlationId, { focus = false } = {}) {
  const out = $('#timeline-result');
  const form = $('#timeline-form');
  form.correlation.value = correlationId;
  const url = new URL(location.href);
  url.searchParams.set('correlation', correlationId);
  history.replaceState(null, '', url);
  replace(out, h('p', { class: 'loading' }, 'Loading the timeline…'));
  try {
    const t = await api.get(tp(`/timeline/${encodeURIComponent(correlationId)}`));
    if (!t.events.length) {
      replace(out, h('p', { class: 'empty' }, 'Nothing was recorded under this correlation id in your organisation.'));
    } else {
      replace(out,
        h('p', { id: 'timeline-summary' }, `${t.events.length} events: ${t.directives.length} directive(s), ${t.executions.length} run(s), ${t.signals.length} signal(s).`),
        t.truncated ? h('p', { class: 'callout warn' }, 'Only the first 500 of each kind are shown.') : null,
        h('div', { class: 'actions' },
          t.directives.map((d) => temporalLink(d.temporal_url, `Directive workflow in Temporal (${d.type})`)),
          t.executions.map((e) => temporalLink(e.temporal_url, `Run workflow in Temporal (${e.trigger})`))),
        h('ol', { class: 'timeline', id: 'timeline-events', 'aria-label': `Timeline of ${correlationId}` }, t.events.map(timelineEvent)));
    }
  } catch (err) {
    message(out, 'err', err.message);
  }
  if (focus) {
    $('#timeline').scrollIntoView();
    $('#timeline-title').focus();
  }
}

function timelineButton(correlationId, label = 'Timeline') {
  return h('button', { type: 'button', class: 'btn small secondary', onclick: () => showTimeline(correlationId, { focus: true }) }, label, h('span', { class: 'visually-hidden' }, ` of ${correlationId}`));
}

function timelineCard() {
  const form = h('form', { id: 'timeline-form', class: 'toolbar' },
    field('correlation', 'Correlation id', h('input', { id: 'correlation', name: 'correlation', type: 'text', class: 'wide', autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'correlation-hint' })),
    h('button', { type: 'submit', class: 'btn' }, 'Show timeline'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const v = form.correlation.value.trim();
    if (v) showTimeline(v);
  });
  return card('timeline', 'What happened? (timeline)',
    h('p', { class: 'hint', id: 'correlation-hint' }, 'Every install, run and credential change has a correlation id. Pick one from the tables below, or paste one.'),
    form,
    h('div', { id: 'timeline-result', 'aria-live': 'polite' }, h('p', { class: 'empty' }, 'Choose a directive or run below to see its timeline.')));
}

// ---------------------------------------------------------------- signals

const SIGNAL_COLUMNS = ['When', 'Type', 'Subject', 'Source', 'Correlation', 'Payload'];

function signalRow(s) {
  return h('tr', {},
    h('td', {}, timeEl(s.occurred_at, { short: true })),
    h('td', {}, h('code', {}, s.type), s.type.endsWith('.failed') ? [' ', badge('failed')] : null),
    h('td', { class: 'wrap' }, s.subject ?? '—'),
    h('td', { class: 'wrap' }, s.source),
    h('td', {}, s.correlation_id ? timelineButton(s.correlation_id) : '—'),
    h('td', { class: 'wrap' }, jsonDetails('Payload', s.payload) ?? '—'));
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
      replace(body, table({ caption: 'Signals, newest first', columns: SIGNAL_COLUMNS, rows: page.items.map(signalRow), empty: 'No signals match these filters.' }));
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
  const form = h('form', { id: 'signals-form', class: 'toolbar' },
    field('type', 'Type or prefix', h('input', { id: 'type', name: 'type', type: 'text', list: 'signal-prefixes', autocomplete: 'off', placeholder: 'e.g. mattermost.' })),
    h('datalist', { id: 'signal-prefixes' }, SIGNAL_PREFIXES.map((p) => h('option', { value: p }))),
    field('correlation_id', 'Correlation id', h('input', { id: 'correlation_id', name: 'correlation_id', type: 'text', autocomplete: 'off' })),
    field('subject', 'Subject', h('input', { id: 'subject', name: 'subject', type: 'text', autocomplete: 'off', value: state.installationId ? `installation:${state.installationId}` : null })),
    field('limit', 'How many', h('select', { id: 'limit', name: 'limit' }, [20, 50, 100, 200].map((n) => h('option', { value: n, selected: n === 20 }, String(n))))),
    h('button', { type: 'submit', class: 'btn' }, 'Apply filters'),
    h('button', { type: 'reset', class: 'btn secondary' }, 'Clear'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(e.submitter ?? form.querySelector('[type=submit]'), 'Loading…', () => loadSignals());
  });
  form.addEventListener('reset', () => setTimeout(() => loadSignals(), 0));
  const more = h('button', { type: 'button', class: 'btn secondary', id: 'signals-more', hidden: true }, 'Load more signals');
  more.addEventListener('click', () => busy(more, 'Loading…', () => loadSignals({ more: true })));
  return card('signals', 'Signals',
    h('p', { class: 'hint' }, 'A type ending in "." is a prefix (e.g. agent.execution.); otherwise the exact type. Subjects look like installation:<id>.'),
    form, h('div', { id: 'signals-message' }), h('div', { id: 'signals-body' }),
    h('div', { class: 'actions' }, more, h('span', { class: 'hint', id: 'signals-count', 'aria-live': 'polite' })));
}

// ---------------------------------------------------------------- directives

async function loadDirectives() {
  const q = new URLSearchParams({ limit: '20' });
  if (state.installationId) q.set('installation_id', state.installationId);
  const page = await api.get(tp(`/directives?${q}`));
  replace($('#directives-body'),
    table({
      caption: 'Directives, newest first',
      columns: ['Recorded', 'Type', 'Status', 'Problem', 'Actor', 'Follow'],
      empty: 'No directives yet. Installing a package records one.',
      rows: page.items.map((d) =>
        h('tr', {},
          h('td', {}, timeEl(d.created_at, { short: true })),
          h('td', {}, h('code', {}, d.type)),
          h('td', {}, badge(d.status)),
          h('td', { class: 'wrap' }, d.error ? [errorKindBadge(d.error_kind), ' ', d.error] : '—'),
          h('td', {}, d.actor_role ?? 'system'),
          h('td', {}, h('div', { class: 'actions' }, timelineButton(d.correlation_id), temporalLink(d.temporal_url, 'Temporal'))))),
    }));
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
      const logs = h('tr', { class: 'logs-row', id: `logs-${run.id}` },
        h('td', { colspan: '6' },
          h('h3', {}, `Logs of the ${run.trigger} run`),
          detail.logs.length
            ? h('ol', { class: 'timeline' }, detail.logs.map((l) => h('li', { class: l.level === 'error' ? 'failed' : 'done' }, h('div', { class: 'when' }, timeEl(l.at), ' · ', badge(l.level, l.level === 'error' ? 'err' : l.level === 'warn' ? 'warn' : 'neutral')), h('div', { class: 'what' }, l.message), jsonDetails('Data', l.data))))
            : h('p', { class: 'empty' }, 'No logs yet.'),
          detail.hint ? h('p', { class: 'callout err' }, h('strong', {}, 'What to do: '), detail.hint) : null,
          jsonDetails('Summary', detail.summary)));
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
  replace($('#runs-body'),
    table({
      caption: 'Runs, newest first',
      columns: ['Started', 'Trigger', 'Status', 'Problem', 'Logs', 'Follow'],
      empty: 'No runs yet.',
      rows: page.items.map((r) =>
        h('tr', { dataset: { executionId: r.id } },
          h('td', {}, timeEl(r.created_at, { short: true })),
          h('td', {}, r.trigger),
          h('td', {}, badge(r.status)),
          h('td', {}, r.error_kind ? errorKindBadge(r.error_kind) : '—'),
          h('td', {}, h('button', { type: 'button', class: 'btn small secondary', 'aria-expanded': 'false', 'aria-controls': `logs-${r.id}`, onclick: (e) => toggleLogs(e.currentTarget, r) }, 'Logs', h('span', { class: 'visually-hidden' }, ` of the ${r.trigger} run from ${new Date(r.created_at).toLocaleString()}`))),
          h('td', {}, h('div', { class: 'actions' }, timelineButton(r.correlation_id), temporalLink(r.temporal_url, 'Temporal'))))),
    }));
}

// ---------------------------------------------------------------- page

async function main() {
  const session = await requireSession();
  const { membership } = renderShell({ session, active: 'admin' });
  if (!membership) throw new Error('Your account is not a member of any organisation.');
  state.membership = membership;
  const scope = state.installationId
    ? h('div', { class: 'callout info', role: 'status' },
        h('p', {}, 'Showing one installation. ', h('a', { href: `/installations/${encodeURIComponent(state.installationId)}` }, 'Open the installation'), ' · ', h('a', { href: '/admin' }, 'Show everything')))
    : null;
  replace($('#main'),
    h('div', { class: 'page-head' }, h('h1', {}, 'Support view')),
    h('p', { class: 'lede' }, `What happened in ${membership.tenant_name}: signals, directives, runs with their logs, and the timeline of any install or run.`),
    scope,
    h('nav', { class: 'sub-nav', 'aria-label': 'Sections' }, h('ul', {}, [['#timeline', 'Timeline'], ['#signals', 'Signals'], ['#directives', 'Directives'], ['#runs', 'Runs']].map(([href, label]) => h('li', {}, h('a', { href }, label))))),
    timelineCard(),
    card('runs', 'Runs and their logs', h('div', { id: 'runs-message' }), h('div', { id: 'runs-body' }, h('p', { class: 'loading' }, 'Loading…'))),
    card('directives', 'Directives', h('div', { id: 'directives-body' }, h('p', { class: 'loading' }, 'Loading…'))),
    signalsCard());
  await Promise.all([
    loadRuns().catch((err) => message($('#runs-body'), 'err', err.message)),
    loadDirectives().catch((err) => message($('#directives-body'), 'err', err.message)),
    loadSignals(),
    params.get('correlation') ? showTimeline(params.get('correlation')) : null,
  ]);
  if (params.get('correlation') && location.hash === '#timeline') $('#timeline').scrollIntoView();
}

main().catch(pageError);
