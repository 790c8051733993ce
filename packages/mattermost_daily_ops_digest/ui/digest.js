// @ts-check
// The full digest of a run — what the truncation pointer in a long digest links to: the whole
// digest (no line or length budget) rendered as Mattermost would, and the message as it was
// posted, with the run it belongs to.
import { api, ApiError, requireSession, tenantPath } from '../../../api.js';
import { badge, h, pageError, renderShell, replace, timeEl } from '../../../dom.js';
import { mattermostPost } from '../../../mattermost-post.js';

async function main() {
  const session = await requireSession();
  const { membership } = renderShell({ session, active: 'installations' });
  const main = /** @type {HTMLElement} */ (document.getElementById('main'));
  const correlation = new URLSearchParams(location.search).get('correlation') ?? '';
  const head = h('div', { class: 'page-head' }, h('h1', {}, 'Full digest'));
  if (!membership || !correlation) {
    replace(main, head, h('p', { class: 'callout warn' }, 'Open this page from the link at the end of a digest in Mattermost, or from a run’s Digest button.'));
    return;
  }
  let m;
  try {
    m = await api.get(tenantPath(membership, `/digests?correlation_id=${encodeURIComponent(correlation)}`));
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) {
      replace(main, head, h('p', { class: 'callout warn', role: 'status' }, err.message), h('p', {}, h('a', { href: '/installations' }, 'My installations')));
      return;
    }
    throw err;
  }
  document.title = 'Full digest · FleetPrompt';
  replace(
    main,
    h(
      'nav',
      { class: 'breadcrumbs', 'aria-label': 'Breadcrumb' },
      h(
        'ol',
        {},
        h('li', {}, h('a', { href: '/installations' }, 'My installations')),
        h('li', {}, h('a', { href: `/installations/${encodeURIComponent(m.installation_id)}` }, 'Installation')),
        h('li', {}, h('span', { 'aria-current': 'page' }, 'Full digest')),
      ),
    ),
    head,
    h(
      'p',
      { class: 'lede' },
      'Generated ',
      timeEl(m.created_at),
      '. Run: ',
      badge(m.run_status),
      m.run_status === 'succeeded' ? ' — this digest reached Mattermost.' : '',
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'full-title' },
      h('h2', { id: 'full-title' }, 'The whole digest'),
      h(
        'p',
        { class: 'hint' },
        m.truncated
          ? `The post in Mattermost was cut to ${m.line_count} lines; this is everything.`
          : 'The post in Mattermost was not cut: this is the same digest.',
      ),
      mattermostPost({ text: m.full_text, username: m.username, iconUrl: m.icon_url, at: m.created_at, label: 'The full digest' }),
    ),
    m.truncated
      ? h(
          'section',
          { class: 'card', 'aria-labelledby': 'posted-title' },
          h('h2', { id: 'posted-title' }, 'As posted'),
          mattermostPost({
            text: m.text,
            username: m.username,
            iconUrl: m.icon_url,
            at: m.created_at,
            truncated: true,
            rest: 'The rest is in the full digest in FleetPrompt.',
            label: 'The digest as posted',
          }),
        )
      : null,
    h('p', { class: 'hint' }, `Digests are kept for ${m.retention_days} days, like the signals they are made from.`),
    h('p', {}, h('a', { href: `/admin?correlation=${encodeURIComponent(m.correlation_id)}#timeline` }, 'What happened during this run')),
  );
}

main().catch(pageError);
