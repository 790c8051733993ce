// POST /hooks/{id}: Mattermost's incomingWebhook + HandleIncomingWebhook + CreateWebhookPost,
// checks evaluated in the server's order (docs/mattermost-contract.md §1), errors shaped per server
// generation (§3).
import { decodeWebhookFormFields, decodeWebhookJson, emptyWebhookRequest, type IncomingWebhookRequest } from './webhook-request';
import { header, type FakeRequest } from './fake-request';
import { textResponse, type FakeResponse } from './fake-response';
import { newId } from './ids';
import { parseMediaType } from './media-type';
import { parseMultipart } from './multipart';
import { errorResponse, type RouteContext } from './route-context';
import type { AppErrorSpec } from './app-error';
import { processSlackText } from './slack-text';
import { versionId } from './settings';
import type { FakeChannel } from './state';
import { parseUrlEncoded } from './url-form';

const PROPS_MAX_USER_RUNES = 760_000;

function runes(text: string): string[] {
  return Array.from(text);
}

/** Cuts text into consecutive chunks of exactly `max` runes (the last one shorter). */
export function splitWebhookText(text: string, max: number): string[] {
  const all = runes(text);
  if (all.length <= max) return [text];
  const chunks: string[] = [];
  for (let i = 0; i < all.length; i += max) chunks.push(all.slice(i, i + max).join(''));
  return chunks;
}

export function handleIncomingWebhook(ctx: RouteContext, req: FakeRequest, hookId: string): FakeResponse {
  const gen = ctx.settings.serverGeneration;
  const fail = (spec: AppErrorSpec): FakeResponse => errorResponse(ctx, spec);
  const rawContentType = header(req, 'content-type');
  const contentType = rawContentType === '' ? null : parseMediaType(rawContentType);

  // 1. ParseForm (only B reports its errors).
  const query = parseUrlEncoded(req.rawQuery);
  let bodyForm: ReturnType<typeof parseUrlEncoded> | undefined;
  if (contentType?.ok && contentType.mediaType === 'application/x-www-form-urlencoded') {
    bodyForm = req.bodyTooLarge ? { values: new Map(), error: 'http: request body too large' } : parseUrlEncoded(req.body.toString('utf8'));
  }
  if (gen === 'B') {
    if (bodyForm?.error === 'http: request body too large') {
      return fail({ id: 'api.context.request_body_too_large.app_error', message: 'The request body is too large.', status: 413 });
    }
    if (query.error || bodyForm?.error) {
      return fail({
        id: 'web.incoming_webhook.parse_form.app_error',
        message: `Failed to parse the form of incoming webhook ${hookId}.`,
        status: 400,
        detailed: query.error ?? bodyForm?.error,
      });
    }
  }

  // 2. Media type.
  let mediaType = '';
  let params: Record<string, string> = {};
  if (contentType) {
    const parsed = contentType;
    if (!parsed.ok) {
      return gen === 'A'
        ? fail({
            id: 'api.webhook.incoming.error',
            message: 'Could not decode the multipart payload of incoming webhook.',
            status: 400,
            detailed: `webhook_id=${hookId}, error: ${parsed.reason}`,
          })
        : fail({
            id: 'web.incoming_webhook.media_type.app_error',
            message: `Failed to parse the media type of the payload for incoming webhook ${hookId}.`,
            status: 400,
            detailed: parsed.reason,
          });
    }
    mediaType = parsed.mediaType;
    params = parsed.params;
  }

  // 3. Decode the body.
  const decodeFailed = (): FakeResponse =>
    gen === 'A'
      ? fail({ id: 'model.incoming_hook.parse_data.app_error', message: 'Unable to parse incoming data.', status: 400 })
      : fail({
          id: 'web.incoming_webhook.decode.app_error',
          message: `Failed to decode the payload of media type ${mediaType} for incoming webhook ${hookId}.`,
          status: 400,
        });
  let payload: IncomingWebhookRequest | null;
  if (mediaType === 'application/x-www-form-urlencoded') {
    const field = bodyForm?.values.get('payload')?.[0] ?? query.values.get('payload')?.[0] ?? '';
    payload = decodeWebhookJson(field);
    if (!payload) return decodeFailed();
  } else if (mediaType === 'multipart/form-data') {
    const parsed = parseMultipart(req.body, params.boundary);
    if (!parsed.ok || req.bodyTooLarge) {
      if (gen === 'B') {
        return fail({
          id: 'web.incoming_webhook.parse_multipart.app_error',
          message: `Failed to parse the multipart payload of incoming webhook ${hookId}.`,
          status: 400,
        });
      }
      payload = emptyWebhookRequest(); // A ignores the parse error and decodes nothing
    } else {
      payload = decodeWebhookFormFields(parsed.fields);
      if (!payload) {
        return gen === 'A'
          ? fail({ id: 'api.webhook.incoming.error', message: 'Could not decode the multipart payload of incoming webhook.', status: 400 })
          : fail({
              id: 'web.incoming_webhook.decode.app_error',
              message: `Failed to decode the payload of media type ${mediaType} for incoming webhook ${hookId}.`,
              status: 400,
            });
      }
    }
  } else {
    if (req.bodyTooLarge && gen === 'B') return decodeFailed();
    payload = decodeWebhookJson(req.body.toString('utf8'));
    if (!payload) return decodeFailed();
  }

  // 4-13. HandleIncomingWebhook; B wraps every error as general with the inner status.
  const inner = handlePayload(ctx, hookId, payload);
  if (inner === null) return textResponse(200, 'ok', { 'x-request-id': newId(), 'x-version-id': versionId(ctx.settings) });
  if (gen === 'A') return fail(inner);
  return fail({
    id: 'web.incoming_webhook.general.app_error',
    message: `Failed to handle the payload of media type ${mediaType} for incoming webhook ${hookId}.`,
    status: inner.status,
    detailed: `${inner.id}: ${inner.message}`,
  });
}

/** null on success; otherwise the inner (generation A) error. */
function handlePayload(ctx: RouteContext, hookId: string, req: IncomingWebhookRequest): AppErrorSpec | null {
  const { world, settings } = ctx;
  if (!settings.enableIncomingWebhooks) {
    return { id: 'web.incoming_webhook.disabled.app_error', message: 'Incoming webhooks have been disabled by the system admin.', status: 501 };
  }
  if (req.text === '' && req.attachments === null) {
    return { id: 'web.incoming_webhook.text.app_error', message: 'No text specified.', status: 400 };
  }
  const hook = world.hooks.get(hookId);
  if (!hook) return { id: 'web.incoming_webhook.invalid.app_error', message: 'Invalid webhook.', status: 400 };

  const props: Record<string, unknown> = { ...(req.props ?? {}) };
  let type = req.type;
  delete props.attachments; // a raw props.attachments only survives via the attachments field
  if (req.attachments && req.attachments.length > 0) {
    props.attachments = req.attachments;
    type = 'slack_attachment';
  }
  const text = processSlackText(req.text, (id) => world.users.get(id)?.username);

  let channel: FakeChannel | undefined;
  const name = req.channelName;
  if (name !== '') {
    if (name.startsWith('@')) {
      const target = world.userByName(name.slice(1));
      if (!target) return { id: 'web.incoming_webhook.user.app_error', message: "Couldn't find the user.", status: 400 };
      const creator = world.users.get(hook.userId);
      if (!creator) return { id: 'web.incoming_webhook.user.app_error', message: "Couldn't find the user.", status: 403 };
      channel = world.directChannel(creator, target); // created before the lock check, as upstream
    } else {
      channel = world.channelByName(hook.teamId, name.startsWith('#') ? name.slice(1) : name);
      if (!channel) return { id: 'web.incoming_webhook.channel.app_error', message: "Couldn't find the channel.", status: 404 };
    }
  } else {
    channel = world.channels.get(hook.channelId);
    if (!channel) return { id: 'app.channel.get.existing.app_error', message: 'Unable to find the existing channel.', status: 404 };
  }

  if (hook.channelLocked && channel.id !== hook.channelId) {
    return { id: 'web.incoming_webhook.channel_locked.app_error', message: 'This webhook is not permitted to post to the requested channel.', status: 403 };
  }
  const creator = world.users.get(hook.userId);
  if (!creator) return { id: 'web.incoming_webhook.user.app_error', message: "Couldn't find the user.", status: 403 };
  if (channel.type !== 'O' && !channel.memberIds.has(creator.id)) {
    return { id: 'web.incoming_webhook.permissions.app_error', message: 'Inappropriate channel permissions.', status: 403 };
  }
  if (req.priority && (req.priority.priority === undefined || req.priority.priority === null)) {
    return { id: 'api.context.invalid_param.app_error', message: 'Invalid or missing webhook.priority.priority parameter in request body.', status: 400 };
  }
  if (type.startsWith('system_')) {
    return { id: 'api.context.invalid_param.app_error', message: 'Invalid or missing post.type parameter in request body.', status: 400 };
  }

  // CreateWebhookPost: integration-reserved props from the request are ignored, then set.
  delete props.from_webhook;
  delete props.override_username;
  delete props.override_icon_url;
  props.webhook_display_name = hook.displayName;
  props.from_webhook = 'true';
  if (settings.enablePostUsernameOverride) props.override_username = req.username || hook.username || 'webhook';
  if (settings.enablePostIconOverride) {
    const icon = req.iconUrl || hook.iconUrl;
    if (icon) props.override_icon_url = icon;
    if (req.iconEmoji) props.override_icon_emoji = req.iconEmoji;
  }
  if (runes(JSON.stringify(props)).length > PROPS_MAX_USER_RUNES) {
    return { id: 'web.incoming_webhook.split_props_length.app_error', message: 'Unable to split webhook props into 16383 character parts.', status: 400 };
  }
  if (!(type === '' || type === 'slack_attachment' || type.startsWith('custom_'))) {
    return { id: 'api.post.create_webhook_post.creating.app_error', message: 'Error creating post', status: 500 };
  }

  const chunks = splitWebhookText(text, settings.maxPostRunes);
  const { attachments, ...shared } = props;
  chunks.forEach((chunk, index) => {
    const last = index === chunks.length - 1;
    const at = world.now();
    ctx.savePost({
      id: newId(),
      createAt: at,
      updateAt: at,
      deleteAt: 0,
      userId: creator.id,
      channelId: channel.id,
      message: chunk,
      type,
      props: last && attachments !== undefined ? { ...shared, attachments } : { ...shared },
      pendingPostId: '',
      via: 'webhook',
      hookId,
    });
  });
  return null;
}
