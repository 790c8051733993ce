// "Connect Mattermost": proves the webhook works by posting a short, visible test message.
// There is no read-only way to check a webhook (a GET reaches the web app, not the hook).
import { postViaWebhook } from './post-via-webhook';
import type { MattermostCallOptions, WebhookTarget } from './types';

export const VERIFY_WEBHOOK_TEXT = ':white_check_mark: FleetPrompt is connected.';

export interface VerifyWebhookOptions extends MattermostCallOptions {
  /** Optional channel override to verify as well (a locked hook refuses it). */
  channel?: string | null;
}

export async function verifyWebhook(target: WebhookTarget, opts: VerifyWebhookOptions): Promise<void> {
  await postViaWebhook(target, { text: VERIFY_WEBHOOK_TEXT, channel: opts.channel ?? null }, opts);
}
