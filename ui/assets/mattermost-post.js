// @ts-check
// A package's message shown as Mattermost shows a post: the sender (name and icon, as the overrides would
// show them), then the message rendered from Markdown by a real CommonMark/GFM renderer (marked,
// with Mattermost's single-newline line breaks) and sanitised (DOMPurify) before it touches the
// page. Both are served from this origin (/assets/vendor/); nothing here loads anything else —
// not even the icon, which is named rather than fetched.
import { Marked } from './vendor/marked.js';
import DOMPurify from './vendor/purify.js';
import { h } from './dom.js';

const markdown = new Marked({ gfm: true, breaks: true });

/** Markdown → a sanitised DOM fragment (links open in a new tab; no images, forms or styles). */
export function renderMarkdown(text) {
  const html = /** @type {string} */ (markdown.parse(text, { async: false }));
  const fragment = DOMPurify.sanitize(html, {
    RETURN_DOM_FRAGMENT: true,
    FORBID_TAGS: ['img', 'style', 'form', 'input', 'button', 'iframe', 'svg', 'math'],
    FORBID_ATTR: ['style', 'id', 'class'],
    ALLOWED_URI_REGEXP: /^(?:https?:|\/(?!\/))/i,
  });
  for (const a of fragment.querySelectorAll('a')) {
    a.setAttribute('target', '_blank');
    a.setAttribute('rel', 'noopener noreferrer');
  }
  return fragment;
}

function initials(name) {
  const letters = name
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, 2)
    .toUpperCase();
  return letters || 'FP';
}

function hostOf(url) {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/**
 * @param {{ text: string, username?: string | null, iconUrl?: string | null, kind?: string | null, tokenUser?: string | null, at?: string | null, truncated?: boolean, rest?: string, label?: string }} post `rest`: where the rest of a truncated message is
 */
export function mattermostPost(post) {
  // With a token, Mattermost shows the token's own user: overrides apply to webhooks only.
  const name = post.kind === 'pat' ? post.tokenUser || 'the token’s user' : post.username || 'the webhook’s name';
  const when = post.at ? new Date(post.at) : new Date();
  const time = new Intl.DateTimeFormat(document.documentElement.lang || 'en', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(when);
  const message = h('div', { class: 'mm-message' });
  message.append(renderMarkdown(post.text));
  return h(
    'article',
    { class: 'mm-post', 'aria-label': post.label ?? 'The message as Mattermost shows it' },
    h(
      'div',
      { class: 'mm-avatar', 'aria-hidden': 'true', title: post.iconUrl && post.kind !== 'pat' ? `Icon from ${hostOf(post.iconUrl)}` : '' },
      initials(name),
    ),
    h(
      'div',
      { class: 'mm-body' },
      h(
        'div',
        { class: 'mm-header' },
        h('span', { class: 'mm-name' }, name),
        post.kind === 'pat' ? null : h('span', { class: 'mm-tag' }, 'BOT'),
        h('time', { class: 'mm-time', datetime: when.toISOString() }, time),
      ),
      message,
      post.truncated ? h('p', { class: 'mm-cut' }, 'The post ends here: Mattermost shows no more.', post.rest ? ` ${post.rest}` : '') : null,
    ),
  );
}

/** What decides the sender's name and icon, in words (shown under a preview). */
export function overridesNote({ kind, username, iconUrl }) {
  if (kind === 'pat') {
    return 'Posted with a personal access token, so Mattermost shows the token’s user and avatar; “Post as” and “Icon URL” apply to webhooks only.';
  }
  const parts = [];
  parts.push(
    username
      ? `“${username}” is shown only if the Mattermost server allows integrations to override usernames; otherwise the webhook’s own name is shown.`
      : 'The webhook’s own name is shown (no “Post as” set).',
  );
  parts.push(
    iconUrl
      ? `The icon from ${hostOf(iconUrl)} is shown only if the server allows integrations to override profile picture icons (it is not loaded here).`
      : 'The webhook’s own icon is shown (no “Icon URL” set).',
  );
  return parts.join(' ');
}
