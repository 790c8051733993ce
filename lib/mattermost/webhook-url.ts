// Shape checks and display for incoming-webhook URLs. The last path segment (the hook id) is
// the credential: it is checked here, but only ever shown masked.
import { MattermostError } from './mattermost-error';

// Mattermost routes exactly /hooks/{id:[A-Za-z0-9]+}; a trailing slash would not match.
const HOOK_PATH = /\/hooks\/([A-Za-z0-9]+)$/;

/** Throws a validation MattermostError unless the URL looks like <server>/hooks/<id>. */
export function assertWebhookUrlShape(webhookUrl: string): URL {
  let url: URL;
  try {
    url = new URL(webhookUrl);
  } catch {
    throw new MattermostError({
      kind: 'validation',
      code: 'URL_INVALID',
      message: 'The webhook URL is not a valid URL. Copy it from Mattermost: Integrations > Incoming Webhooks.',
    });
  }
  if (!HOOK_PATH.test(url.pathname)) {
    throw new MattermostError({
      kind: 'validation',
      code: 'URL_INVALID',
      message: `The URL for ${url.protocol}//${url.host} is not an incoming-webhook URL: it should end in /hooks/ followed by the webhook key.`,
    });
  }
  return url;
}

/** "https://mm.example.com/hooks/…wxyz": host plus the last four characters of the key. */
export function maskWebhookUrl(webhookUrl: string): string {
  try {
    const url = new URL(webhookUrl);
    const match = HOOK_PATH.exec(url.pathname);
    const prefix = match ? url.pathname.slice(0, match.index) : '';
    const tail = match ? match[1].slice(-4) : '';
    return `${url.protocol}//${url.host}${prefix}/hooks/…${tail}`;
  } catch {
    return '[invalid URL]';
  }
}
