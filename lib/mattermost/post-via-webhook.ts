// Posts one message through an incoming webhook. Success is exactly 200 + "ok". Webhooks have
// no idempotency key: put a dedupe marker in `props` so an unknown outcome can be reconciled.
import { httpRequest } from '../net/http-request';
import { assertPostableText } from './assert-postable-text';
import { classifyResponse } from './classify-response';
import { classifyTransportError } from './classify-transport-error';
import { MattermostError } from './mattermost-error';
import { MATTERMOST_MAX_REQUEST_BYTES } from './message-limit';
import { DEFAULT_TIMEOUT_MS, type MattermostCallOptions, type PostRequest, type WebhookTarget } from './types';
import { assertWebhookUrlShape } from './webhook-url';

export function buildWebhookPayload(req: PostRequest): Record<string, unknown> {
  const payload: Record<string, unknown> = { text: req.text };
  if (req.channel) payload.channel = req.channel;
  if (req.username) payload.username = req.username;
  if (req.iconUrl) payload.icon_url = req.iconUrl;
  if (req.props && Object.keys(req.props).length > 0) payload.props = req.props;
  return payload;
}

export async function postViaWebhook(target: WebhookTarget, req: PostRequest, opts: MattermostCallOptions): Promise<void> {
  assertWebhookUrlShape(target.webhookUrl);
  assertPostableText(req.text);
  const body = JSON.stringify(buildWebhookPayload(req));
  if (Buffer.byteLength(body) > MATTERMOST_MAX_REQUEST_BYTES) {
    throw new MattermostError({
      kind: 'validation',
      code: 'PAYLOAD_TOO_LARGE',
      message: `The request would be larger than Mattermost's default ${MATTERMOST_MAX_REQUEST_BYTES}-byte limit. Nothing was sent.`,
    });
  }

  let response;
  try {
    response = await httpRequest({
      method: 'POST',
      url: target.webhookUrl,
      headers: { 'content-type': 'application/json', accept: 'text/plain, application/json' },
      body,
      timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      allowedHosts: opts.allowedHosts,
      resolve: opts.resolve,
    });
  } catch (err) {
    throw classifyTransportError(err, 'webhook');
  }
  const failure = classifyResponse(response, { operation: 'webhook', channelOverride: Boolean(req.channel) });
  if (failure) throw failure;
}
