// @ts-check
// The tenant's Mattermost connection as both the Connections page and the installation page show
// it: the connect form (webhook or token; the secret leaves the page once sent), the facts from
// the API's masked metadata, and who connected or disconnected it, in words. Never a secret.
import { ApiError } from './api.js';
import { announce, badge, busy, field, formatDateTime, h, message, showFieldErrors, timeEl } from './dom.js';

/** Mattermost's own instructions (opened in a new tab; never fetched by FleetPrompt). */
export const MATTERMOST_WEBHOOK_DOCS = 'https://developers.mattermost.com/integrate/webhooks/incoming/';
export const MATTERMOST_TOKEN_DOCS = 'https://developers.mattermost.com/integrate/reference/personal-access-token/';

/**
 * Who did it, from the API's actor ({ kind: 'user' | 'api_token', id, name, email }): "you" for
 * the signed-in user, a person's name, or the API token's name (a bearer token has no user).
 */
export function actorText(actor, me) {
  if (!actor) return null;
  if (actor.kind === 'user') return actor.id === me ? 'you' : (actor.name ?? actor.email ?? 'a member of this organisation');
  return actor.name ? `the API token “${actor.name}”` : 'an API token';
}

/** "You disconnected Mattermost on …" (or who did), for a connection someone disconnected. */
export function disconnectedSentence(c, me) {
  const who = actorText(c.disconnected_by, me);
  const when = formatDateTime(c.disconnected_at ?? c.updated_at);
  if (c.disconnect_reason === 'uninstalled') return `Mattermost was disconnected when the package was uninstalled${who ? ` (by ${who})` : ''} on ${when}.`;
  if (!who) return `Mattermost was disconnected in FleetPrompt on ${when}.`;
  return `${who === 'you' ? 'You' : who.charAt(0).toUpperCase() + who.slice(1)} disconnected Mattermost on ${when}.`;
}

/** The connection's facts: state, method, server, masked address or user/team, fingerprint, last check, who connected it. */
export function connectionFacts(c, me) {
  const md = c.metadata ?? {};
  const who = actorText(c.connected_by, me);
  return h(
    'dl',
    { class: 'facts', id: 'credential-facts' },
    h('dt', {}, 'Status'),
    h('dd', {}, badge(c.state === 'refused_once' ? 'refused once' : c.state, c.state === 'connected' ? 'ok' : c.state === 'refused_once' ? 'warn' : 'err')),
    h('dt', {}, 'Method'),
    h('dd', {}, c.kind === 'webhook' ? 'Incoming webhook' : 'Personal access token'),
    h('dt', {}, 'Server'),
    h('dd', {}, c.host),
    c.kind === 'webhook' && md.masked_url ? [h('dt', {}, 'Webhook'), h('dd', { class: 'mono break-anywhere' }, md.masked_url)] : null,
    c.kind === 'pat' && md.username ? [h('dt', {}, 'Posts as'), h('dd', {}, md.username)] : null,
    c.kind === 'pat' ? [h('dt', {}, 'Team'), h('dd', {}, md.team ?? 'none (a token needs one to post by channel name)')] : null,
    h('dt', {}, 'Fingerprint'),
    h('dd', { class: 'mono break-anywhere' }, c.fingerprint ?? 'not computed yet (Reconnect to compute it)'),
    h('dt', {}, 'Last accepted'),
    h('dd', {}, c.last_verified_at ? timeEl(c.last_verified_at, { withRelative: true }) : 'never'),
    h('dt', {}, 'Connected'),
    h('dd', { id: 'connected-by' }, c.connected_at ? `${formatDateTime(c.connected_at)}${who ? ` by ${who}` : ''}` : 'before this was recorded'),
  );
}

/** Evidence notes: refused once (being checked again), or invalid (refused twice: reconnect). */
export function evidenceNotes(c) {
  const out = [];
  if (c.state === 'refused_once') {
    out.push(
      h(
        'p',
        { class: 'hint', id: 'refused-once-note' },
        `Mattermost refused this credential once (${c.last_refusal_code ?? 'refused'}) on ${formatDateTime(c.first_refused_at)}. FleetPrompt checks again before calling it invalid; one refusal can be a passing server error.`,
      ),
    );
  }
  if (c.state === 'invalid') {
    out.push(
      h(
        'div',
        { class: 'callout warn', id: 'reconnect-callout' },
        h(
          'p',
          {},
          h('strong', {}, 'Reconnect needed. '),
          'Mattermost refused the stored credential. Create a new incoming webhook (or token) and Reconnect below.',
        ),
      ),
    );
  }
  return out;
}

/** The connect form. `submit(body)` sends it; the secret fields are emptied once it succeeds. */
export function connectForm({ submit, buttonLabel = 'Connect Mattermost' }) {
  const form = h(
    'form',
    { id: 'connect-form', novalidate: true },
    h(
      'fieldset',
      { id: 'connect-fields' },
      h('legend', {}, 'How FleetPrompt posts'),
      h(
        'div',
        { class: 'choice' },
        h('input', { type: 'radio', id: 'kind-webhook', name: 'kind', value: 'webhook', checked: true }),
        h('label', { for: 'kind-webhook' }, 'Incoming webhook (recommended)'),
      ),
      h(
        'div',
        { class: 'choice' },
        h('input', { type: 'radio', id: 'kind-pat', name: 'kind', value: 'pat' }),
        h('label', { for: 'kind-pat' }, 'Personal access token'),
      ),
    ),
    h(
      'div',
      { id: 'webhook-fields' },
      field(
        'webhook_url',
        'Incoming webhook URL',
        h('input', { id: 'webhook_url', name: 'webhook_url', type: 'url', autocomplete: 'off', spellcheck: 'false', inputmode: 'url' }),
        'In Mattermost: Integrations › Incoming Webhooks › Add. It is stored encrypted and never shown again. Posts go to the webhook’s own channel unless a package names another.',
      ),
      h(
        'p',
        { class: 'hint' },
        h(
          'a',
          { href: MATTERMOST_WEBHOOK_DOCS, target: '_blank', rel: 'noopener noreferrer', id: 'webhook-docs' },
          'How to create an incoming webhook',
          h('span', { class: 'visually-hidden' }, ' (Mattermost documentation, opens in a new tab)'),
        ),
        '. A System Admin must allow it first: System Console › Integrations › Integration Management › Enable Incoming Webhooks.',
      ),
      h(
        'div',
        { class: 'field choice' },
        h('input', { type: 'checkbox', id: 'verify', name: 'verify', checked: true }),
        h('label', { for: 'verify' }, 'Send a test post to check it'),
      ),
    ),
    h(
      'div',
      { id: 'pat-fields', hidden: true },
      field(
        'base_url',
        'Mattermost server URL',
        h('input', { id: 'base_url', name: 'base_url', type: 'url', autocomplete: 'off', placeholder: 'https://chat.example.com' }),
      ),
      field(
        'token',
        'Personal access token',
        h('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'off' }),
        'Profile › Security › Personal Access Tokens (or a bot’s token). Stored encrypted; never shown again.',
      ),
      h(
        'p',
        { class: 'hint' },
        h(
          'a',
          { href: MATTERMOST_TOKEN_DOCS, target: '_blank', rel: 'noopener noreferrer' },
          'How to create a personal access token',
          h('span', { class: 'visually-hidden' }, ' (Mattermost documentation, opens in a new tab)'),
        ),
        '. A System Admin must enable them: System Console › Integrations › Integration Management › Enable Personal Access Tokens.',
      ),
      field(
        'team',
        'Team (URL name)',
        h('input', { id: 'team', name: 'team', type: 'text', autocomplete: 'off', placeholder: 'e.g. ops' }),
        'The team the token posts in; each package then picks one of its public channels that the token’s user can post to.',
      ),
    ),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', class: 'btn', id: 'connect-button' }, buttonLabel),
      h('button', { type: 'button', class: 'btn danger', id: 'disconnect-button', hidden: true }, 'Disconnect Mattermost'),
    ),
  );
  const syncKind = () => {
    const pat = form.querySelector('#kind-pat').checked;
    form.querySelector('#webhook-fields').hidden = pat;
    form.querySelector('#pat-fields').hidden = !pat;
  };
  form.addEventListener('change', (e) => e.target.name === 'kind' && syncKind());
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void submit(form);
  });
  return form;
}

/** What identifies a connection's secret and team (a reconnect with another token or team changes it; a post does not). */
export function connectionKey(c) {
  return `${c.id}:${c.kind}:${c.fingerprint ?? ''}:${c.metadata?.team ?? ''}:${c.state === 'disconnected' ? 'off' : 'on'}`;
}

/** Once per connection: the form shows its method and non-secret fields (never the secret), so Reconnect starts from what is there. */
export function presetConnectForm(form, c) {
  const key = c && c.state !== 'disconnected' ? connectionKey(c) : '';
  if (form.dataset.preset === key) return;
  form.dataset.preset = key;
  if (!key) return;
  const pat = c.kind === 'pat';
  form.querySelector('#kind-pat').checked = pat;
  form.querySelector('#kind-webhook').checked = !pat;
  form.querySelector('#webhook-fields').hidden = pat;
  form.querySelector('#pat-fields').hidden = !pat;
  if (pat) {
    form.base_url.value ||= c.metadata?.base_url ?? '';
    form.team.value ||= c.metadata?.team ?? '';
  }
}

/** The form's body for the API, or the empty field to point at. */
export function connectBody(form) {
  const kind = form.querySelector('#kind-pat').checked ? 'pat' : 'webhook';
  const body =
    kind === 'webhook'
      ? { kind, webhook_url: form.webhook_url.value.trim(), verify: form.verify.checked ? 'test_post' : 'dry_run' }
      : { kind, base_url: form.base_url.value.trim(), token: form.token.value.trim(), team: form.team.value.trim() || null };
  const missing = kind === 'webhook' ? (!body.webhook_url ? form.webhook_url : null) : !body.base_url ? form.base_url : !body.token ? form.token : null;
  return { body, missing };
}

/** After a successful connect: the secret leaves the page; a sentence for what was checked. */
export function connectedSentence(form, body) {
  for (const name of ['webhook_url', 'token']) form[name].value = '';
  const how =
    body.kind === 'webhook'
      ? body.verify === 'test_post'
        ? 'A test post was sent to Mattermost.'
        : 'The address was checked without posting.'
      : 'Mattermost accepted the token.';
  return `Connected. ${how}`;
}

/** The API's hint for a refused connection, as a "What to do" line. */
export function hintLine(err) {
  const hint = err instanceof ApiError ? err.details?.hint : null;
  return hint ? h('p', {}, h('strong', {}, 'What to do: '), hint) : null;
}

/**
 * Submits the connect form: names an empty required field, shows the button as busy, sends the
 * body with `send`, then says what was checked (`ok` shows it; `extra(res)` may add a sentence)
 * or why Mattermost refused it, with the API's hint. Returns the API's answer, or null.
 */
/** @param {HTMLFormElement} form @param {HTMLElement} box @param {{ send: (body: any) => Promise<any>, ok: (text: string) => void, extra?: (res: any) => string }} how */
export async function submitConnect(form, box, { send, ok, extra = () => '' }) {
  const { body, missing } = connectBody(form);
  if (missing) {
    message(box, 'err', `Enter the ${missing.labels[0].textContent.toLowerCase()}.`);
    missing.focus();
    return null;
  }
  let answer = null;
  await busy(form.querySelector('#connect-button'), body.kind === 'webhook' && body.verify === 'test_post' ? 'Sending a test post…' : 'Checking…', async () => {
    try {
      answer = await send(body);
      showFieldErrors(form, null);
      ok(connectedSentence(form, body) + extra(answer));
      announce('Mattermost connected');
    } catch (err) {
      message(box, 'err', err.message, hintLine(err));
      showFieldErrors(form, err);
    }
  });
  return answer;
}
