// @ts-check
// The digest's first-run checklist: Connect → Schedule → Send the first digest, shown until the
// first post lands, each step from the page's real state.
import { $, h, renderIfChanged } from '../../../dom.js';
import { state } from './page-state.js';

/** Connect → Schedule → Send the first digest, shown until the first post lands. */
export function renderChecklist() {
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
