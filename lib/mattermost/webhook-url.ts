// Shape check for incoming-webhook URLs. The last path segment (the hook id) is the credential:
// it is checked here; lib/crypto/fingerprint.ts masks it for display.
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
