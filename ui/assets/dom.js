// @ts-check
// Shared DOM helpers for the pages: element building (text only, never innerHTML), the site
// header, dates, badges, busy buttons and the screen-reader announcer.
import { canManage, currentMembership, logout, rememberTenant } from './api.js';
import { canonicalZone } from './time-zones.js';

/** h('a', { href: '/x', class: 'btn' }, 'text', child…): attributes, `on<event>` handlers, text children. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2).toLowerCase(), value);
    else if (key === 'class') el.className = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export const $ = (selector, root = document) => root.querySelector(selector);

/**
 * The breadcrumb trail: a link for each step up, then the current page (the last crumb, not a link).
 * @param {...{ text: string, href?: string, id?: string }} trail
 */
export function breadcrumbs(...trail) {
  const here = trail[trail.length - 1];
  return h(
    'nav',
    { class: 'breadcrumbs', 'aria-label': 'Breadcrumb' },
    h(
      'ol',
      {},
      trail.slice(0, -1).map((c) => h('li', {}, h('a', { href: c.href, id: c.id }, c.text))),
      h('li', {}, h('span', { 'aria-current': 'page' }, here.text)),
    ),
  );
}

/** A page card: a labelled <section> with its heading (`${id}-title`). */
export function card(id, title, ...body) {
  return h('section', { class: 'card', id, 'aria-labelledby': `${id}-title` }, h('h2', { id: `${id}-title` }, title), ...body);
}

/** A labelled form field with an optional hint the input is described by (`${id}-hint`). */
export function field(id, label, input, hint) {
  const hintId = hint ? `${id}-hint` : null;
  if (hintId) input.setAttribute('aria-describedby', hintId);
  return h('div', { class: 'field' }, h('label', { for: id }, label), input, hint ? h('p', { class: 'hint', id: hintId }, hint) : null);
}

// One date-time format everywhere, in the app's language (the page's lang), 24-hour, with the
// zone it is shown in named after it: "Dec 1, 2026, 09:41 (Europe/Berlin)".
const LANG = document.documentElement.lang || 'en';
const MY_ZONE = canonicalZone(Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC');
const formatters = new Map();
function formatter(zone, withYear) {
  const key = `${zone}|${withYear}`;
  if (!formatters.has(key)) {
    formatters.set(
      key,
      new Intl.DateTimeFormat(LANG, {
        timeZone: zone,
        year: withYear ? 'numeric' : undefined,
        month: 'short',
        day: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      }),
    );
  }
  return formatters.get(key);
}
const relativeFmt = new Intl.RelativeTimeFormat(LANG, { numeric: 'auto' });

/** The date-time in `zone` (default: the browser's), with the zone named. */
export function formatDateTime(iso, zone = MY_ZONE) {
  if (!iso) return '—';
  return `${formatter(zone, true).format(new Date(iso))} (${zone})`;
}

/** The clock time only, in `zone`, with the zone named: "10:42 (Europe/Berlin)". */
export function formatClock(iso, zone = MY_ZONE) {
  const t = new Intl.DateTimeFormat(LANG, { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
  return `${t} (${zone})`;
}

export function relative(iso) {
  if (!iso) return '';
  const seconds = Math.round((new Date(iso).getTime() - Date.now()) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return relativeFmt.format(seconds, 'second');
  if (abs < 2700) return relativeFmt.format(Math.round(seconds / 60), 'minute');
  if (abs < 64800) return relativeFmt.format(Math.round(seconds / 3600), 'hour');
  return relativeFmt.format(Math.round(seconds / 86400), 'day');
}

/** Compact, for tables: the same format without the year. */
export function formatShort(iso, zone = MY_ZONE) {
  return `${formatter(zone, false).format(new Date(iso))} (${zone})`;
}

/** <time> with the date-time (or `short`), and "(3 minutes ago)" when asked. */
export function timeEl(iso, { withRelative = false, short = false, zone = MY_ZONE } = {}) {
  if (!iso) return h('span', {}, 'never');
  return h(
    'time',
    { datetime: iso, title: formatDateTime(iso, zone) },
    short ? formatShort(iso, zone) : formatDateTime(iso, zone),
    withRelative ? ` (${relative(iso)})` : '',
  );
}

const TONES = {
  installed: 'ok',
  succeeded: 'ok',
  completed: 'ok',
  connected: 'ok',
  posted: 'ok',
  failed: 'err',
  invalid: 'err',
  revoked: 'err',
  error: 'err',
  requested: 'info',
  installing: 'info',
  running: 'info',
  pending: 'info',
  uninstalling: 'info',
  skipped: 'warn',
  warn: 'warn',
  paused: 'warn',
  uninstalled: 'neutral',
};

export function badge(text, tone = TONES[text] ?? 'neutral') {
  return h('span', { class: `badge ${tone}` }, text);
}

export const ERROR_KIND_LABELS = {
  auth: 'Authentication',
  rate_limit: 'Rate limited',
  network: 'Network',
  validation: 'Validation',
  unknown: 'Unknown outcome',
};

export function errorKindBadge(kind) {
  return kind ? badge(ERROR_KIND_LABELS[kind] ?? kind, kind === 'rate_limit' || kind === 'network' ? 'warn' : 'err') : null;
}

/** Disables a button while `work` runs (so a double click acts once) and shows progress. */
export async function busy(button, busyLabel, work) {
  if (button.dataset.busy === '1') return undefined;
  const label = button.textContent;
  button.dataset.busy = '1';
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  if (busyLabel) button.textContent = busyLabel;
  try {
    return await work();
  } finally {
    button.dataset.busy = '';
    button.disabled = false;
    button.removeAttribute('aria-busy');
    if (busyLabel) button.textContent = label;
  }
}

/** Polite announcement for screen readers (the page's #announcer live region). */
export function announce(message) {
  const region = document.getElementById('announcer');
  if (!region) return;
  region.textContent = '';
  setTimeout(() => (region.textContent = message), 50);
}

/** A message box: role=alert for errors (read at once), role=status otherwise. */
export function message(container, tone, text, extra) {
  replace(container, text ? h('div', { class: `callout ${tone}`, role: tone === 'err' ? 'alert' : 'status' }, h('p', {}, text), extra ?? null) : null);
}

/** "must be a whole number from 5 to 200" → "<the field's label> must be a whole number from 5 to 200." */
function asSentence(input, text) {
  const label = (input.labels?.[0]?.textContent ?? '').replace(/\s*\(optional\)\s*$/, '').trim();
  const body = String(text).trim().replace(/\.$/, '');
  const sentence = label && /^(must|is|needs|should|cannot|has)\b/.test(body) ? `${label} ${body}` : body;
  return `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`;
}

/** Puts the API's per-field errors next to the fields (inputs named like the API's fields). */
export function showFieldErrors(form, err) {
  for (const old of form.querySelectorAll('.field-error')) old.remove();
  for (const input of form.querySelectorAll('[aria-invalid]')) {
    input.removeAttribute('aria-invalid');
    const describedBy = (input.getAttribute('aria-describedby') ?? '').split(' ').filter((id) => !id.endsWith('-error'));
    if (describedBy.length) input.setAttribute('aria-describedby', describedBy.join(' '));
    else input.removeAttribute('aria-describedby');
  }
  const fields = err?.fieldErrors ? err.fieldErrors() : {};
  let first = null;
  for (const [path, text] of Object.entries(fields)) {
    const name = path.split('.').pop();
    const input = form.querySelector(`[name="${CSS.escape(name)}"]`);
    if (!input) continue;
    const id = `${input.id}-error`;
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', [input.getAttribute('aria-describedby'), id].filter(Boolean).join(' '));
    input.closest('.field')?.append(h('p', { class: 'field-error', id }, asSentence(input, text)));
    first ??= input;
  }
  first?.focus();
  return first !== null;
}

/** Header (brand, navigation, organisation, sign out) and the live region. */
export function renderShell({ session, active }) {
  const membership = session ? currentMembership(session) : null;
  const header = document.getElementById('site-header');
  const nav = [
    ['Marketplace', '/marketplace', 'marketplace'],
    ['My installations', '/installations', 'installations'],
    ['Connections', '/integrations', 'integrations'],
    ['Support view', '/admin', 'admin'],
  ];
  const account = session
    ? h(
        'div',
        { class: 'account' },
        session.memberships.length > 1
          ? h(
              'span',
              {},
              h('label', { for: 'tenant-switch', class: 'visually-hidden' }, 'Organisation'),
              h(
                'select',
                {
                  id: 'tenant-switch',
                  onchange: (e) => {
                    rememberTenant(e.target.value);
                    location.assign('/marketplace');
                  },
                },
                session.memberships.map((m) => h('option', { value: m.tenant_slug, selected: m.tenant_slug === membership?.tenant_slug }, m.tenant_name)),
              ),
            )
          : h('span', {}, membership?.tenant_name ?? ''),
        h('span', {}, `${session.user.name} (${membership?.role ?? 'no organisation'})`),
        h(
          'button',
          {
            type: 'button',
            class: 'btn-link',
            onclick: async () => {
              await logout().catch(() => undefined);
              location.assign('/login');
            },
          },
          'Sign out',
        ),
      )
    : null;
  replace(
    header,
    h(
      'div',
      { class: 'bar' },
      h('a', { class: 'brand', href: '/marketplace' }, 'FleetPrompt'),
      session
        ? h(
            'nav',
            { class: 'site-nav', 'aria-label': 'Main' },
            h(
              'ul',
              {},
              nav.map(([label, href, key]) => h('li', {}, h('a', { href, 'aria-current': key === active ? 'page' : null }, label))),
            ),
          )
        : null,
      account,
    ),
  );
  return { membership, canManage: canManage(membership) };
}

/** Rows added later (e.g. "Load more") get their cells' column names here. */
export function labelCells(row, columns) {
  [...row.children].forEach((td, i) => {
    if (!columns[i]) return;
    td.setAttribute('data-label', columns[i]);
    // One wrapper per cell, so a stacked cell is "label | content" however much content it has.
    if (!(td.childElementCount === 1 && td.firstElementChild.classList.contains('cell'))) td.append(h('div', { class: 'cell' }, ...td.childNodes));
  });
  return row;
}

/** A table inside a focusable, labelled scroll region (keyboard users can scroll wide tables). */
export function table({ caption, columns, rows, empty }) {
  if (!rows.length) return h('p', { class: 'empty' }, empty);
  // On narrow screens each row becomes a card; the cells carry their column's name.
  for (const row of rows) labelCells(row, columns);
  return h(
    'div',
    { class: 'table-wrap', role: 'region', 'aria-label': caption, tabindex: '0' },
    h(
      'table',
      { class: 'stack' },
      h('caption', { class: 'visually-hidden' }, caption),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          columns.map((c) => h('th', { scope: 'col' }, c)),
        ),
      ),
      h('tbody', {}, rows),
    ),
  );
}

/** Human names for signal types on timelines. */
const SIGNAL_LABELS = {
  'package.install.requested': 'Install requested',
  'package.install.started': 'Install started',
  'package.install.completed': 'Install completed',
  'package.install.failed': 'Install failed',
  'package.uninstall.requested': 'Uninstall requested',
  'package.uninstall.started': 'Uninstall started',
  'package.uninstall.completed': 'Uninstall completed',
  'package.uninstall.failed': 'Uninstall failed',
  'directive.requested': 'Directive recorded',
  'directive.started': 'Directive workflow started',
  'directive.completed': 'Directive completed',
  'directive.failed': 'Directive failed',
  'integration.credential.connected': 'Mattermost connected',
  'integration.credential.revoked': 'Mattermost credential revoked',
  'mattermost.digest.requested': 'Digest requested',
  'mattermost.digest.generated': 'Digest generated',
  'mattermost.message.posted': 'Message posted to Mattermost',
  'mattermost.message.failed': 'Posting to Mattermost failed',
  'value.digest.posted': 'Digest delivered',
  'agent.execution.started': 'Agent execution started',
  'agent.execution.completed': 'Agent execution completed',
  'agent.execution.failed': 'Agent execution failed',
  'workflow.run.started': 'Workflow run started',
  'workflow.run.completed': 'Workflow run completed',
  'workflow.run.failed': 'Workflow run failed',
};

export function signalLabel(type) {
  return SIGNAL_LABELS[type] ?? type;
}

/** A JSON value, pretty-printed in a collapsed <details>. */
export function jsonDetails(summary, value) {
  if (value === null || value === undefined || (typeof value === 'object' && Object.keys(value).length === 0)) return null;
  return h('details', {}, h('summary', {}, summary), h('pre', {}, JSON.stringify(value, null, 2)));
}

/** The page's main error state (e.g. the API is down or the thing does not exist). */
export function pageError(err) {
  const main = document.getElementById('main');
  replace(
    main,
    h(
      'div',
      { class: 'callout err', role: 'alert' },
      h('h1', {}, 'Something went wrong'),
      h('p', {}, err?.message ?? String(err)),
      h('p', {}, h('a', { href: '/marketplace' }, 'Back to the marketplace')),
    ),
  );
}

/** A link to a workflow in the Temporal Web UI (from the API's temporal_url), or nothing. */
export function temporalLink(url, label = 'Workflow in Temporal') {
  if (!url) return null;
  return h(
    'a',
    { href: url, target: '_blank', rel: 'noopener noreferrer', class: 'temporal-link' },
    label,
    h('span', { class: 'visually-hidden' }, ' (opens in a new tab)'),
  );
}

/** Re-renders `slot` only when `key` changed, so focus and scroll survive polling. */
export function renderIfChanged(slot, key, render) {
  const k = JSON.stringify(key);
  if (slot.dataset.renderKey === k) return;
  slot.dataset.renderKey = k;
  const hadFocus = slot.contains(document.activeElement) ? document.activeElement.id : null;
  replace(slot, render());
  if (hadFocus) document.getElementById(hadFocus)?.focus();
}
