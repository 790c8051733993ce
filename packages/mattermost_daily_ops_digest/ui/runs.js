// @ts-check
// The digest's health, Run now and recent runs: the last post and next digest, the last error with
// what to do (Reconnect, Retry), the hourly quota of manual runs, each run with the digest it posted
// and its Retry, and what became of a run started here.
import { api, tenantPath } from '../../../api.js';
import {
  $,
  announce,
  badge,
  busy,
  errorKindBadge,
  formatClock,
  formatDateTime,
  formatShort,
  h,
  message,
  renderIfChanged,
  replace,
  table,
  temporalLink,
  timeEl,
} from '../../../dom.js';
import { flash } from '../../../installation/frame.js';
import { mattermostPost } from '../../../mattermost-post.js';
import { state, path, page, ACTIVE_RUN, FULL_DIGEST_REST, tokenUserOf } from './page-state.js';

function latestFailedRun() {
  const latest = state.runs[0];
  return latest && latest.status === 'failed' ? latest : null;
}

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
      await page.refresh();
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

export function renderHealth() {
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

export function quotaText(q) {
  if (!q) return '';
  if (q.remaining > 0) return `${q.remaining} of ${q.limit} manual runs left this hour.`;
  return `No manual runs left this hour${q.resets_at ? `; the next one is possible at ${formatClock(q.resets_at)}` : ''}.`;
}

export function renderRun() {
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
      await page.refresh();
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

export function renderRuns() {
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

export function settleWatchedRun() {
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
