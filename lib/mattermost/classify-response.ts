// Turns a Mattermost HTTP response into success or a classified MattermostError. Decisions are
// made on the status code and the AppError `id`, never on `message` (translated, and on newer
// servers it embeds the hook id). Newer servers (about 10.3/10.4 on) wrap every webhook error
// as web.incoming_webhook.general.app_error with the inner status, so for webhooks the status
// is what counts; see docs/mattermost-contract.md §3 and §8.
import { isOwnAppError, parseAppErrorId } from './app-error-body';
import { MattermostError, type MattermostErrorCode } from './mattermost-error';
import { retryAfterFromHeaders } from './retry-after';
import type { FailureKind } from '../errors/failure-kind';

/** What the request was: decides success statuses and whether a 5xx may have posted. */
export type MattermostOperation = 'webhook' | 'create_post' | 'read';

export interface ResponseFacts {
  status: number;
  headers: Record<string, string | undefined>;
  body: string;
}

export interface ClassifyContext {
  operation: MattermostOperation;
  /** Webhook only: the payload named a `channel` override (helps read a wrapped 403). */
  channelOverride?: boolean;
  nowMs?: number;
}

export const WEBHOOK_ERROR_IDS = {
  invalidHook: 'web.incoming_webhook.invalid.app_error',
  general: 'web.incoming_webhook.general.app_error',
  disabled: 'web.incoming_webhook.disabled.app_error',
  text: 'web.incoming_webhook.text.app_error',
  user: 'web.incoming_webhook.user.app_error',
  channel: 'web.incoming_webhook.channel.app_error',
  channelLocked: 'web.incoming_webhook.channel_locked.app_error',
  permissions: 'web.incoming_webhook.permissions.app_error',
  splitPropsLength: 'web.incoming_webhook.split_props_length.app_error',
  createPost: 'api.post.create_webhook_post.creating.app_error',
} as const;

const BAD_PAYLOAD_IDS = new Set([
  'api.webhook.incoming.error',
  'model.incoming_hook.parse_data.app_error',
  'web.incoming_webhook.decode.app_error',
  'web.incoming_webhook.media_type.app_error',
  'web.incoming_webhook.parse_form.app_error',
  'web.incoming_webhook.parse_multipart.app_error',
  'web.incoming_webhook.parse.app_error',
  'api.context.invalid_param.app_error',
  'api.context.invalid_body_param.app_error',
  'api.post.create_post.root_id.app_error',
]);
const TOO_LONG_IDS = new Set(['model.post.is_valid.msg.app_error', 'model.post.is_valid.message_length.app_error']);
const TOO_LARGE_IDS = new Set([WEBHOOK_ERROR_IDS.splitPropsLength, 'model.post.is_valid.props.app_error', 'api.context.request_body_too_large.app_error']);
const CHANNEL_MISSING_IDS = new Set<string>([WEBHOOK_ERROR_IDS.channel, 'app.channel.get.existing.app_error', 'app.channel.get_by_name.missing.app_error']);
const POST_PENDING_ID = 'api.post.deduplicate_create_post.pending';

export function isSuccessResponse(res: ResponseFacts, operation: MattermostOperation): boolean {
  switch (operation) {
    case 'webhook':
      // Only 200 + exactly "ok": a 200 with HTML means something else answered (web app, proxy).
      return res.status === 200 && res.body === 'ok';
    case 'create_post':
      return res.status === 201;
    case 'read':
      return res.status === 200;
  }
}

/** null for success, otherwise the error to throw. */
export function classifyResponse(res: ResponseFacts, ctx: ClassifyContext): MattermostError | null {
  if (isSuccessResponse(res, ctx.operation)) return null;
  const { status } = res;
  const errorId = parseAppErrorId(res.body);
  const op = ctx.operation;
  const mayHavePosted = op !== 'read';
  const tag = `HTTP ${status}${errorId ? `, ${errorId}` : ''}`;
  const make = (
    kind: FailureKind,
    code: MattermostErrorCode,
    message: string,
    extra: { retryable?: boolean; outcomeUnknown?: boolean; retryAfterMs?: number } = {},
  ): MattermostError => new MattermostError({ kind, code, status, errorId, message: `${message} (${tag})`, ...extra });

  if (status >= 200 && status < 300) {
    return make(
      'unknown',
      'UNEXPECTED_RESPONSE',
      op === 'webhook'
        ? 'The URL answered, but not as a Mattermost incoming webhook does (expected the reply "ok"). Check that it is the webhook URL copied from Mattermost.'
        : 'Mattermost answered with an unexpected success status.',
      { outcomeUnknown: mayHavePosted },
    );
  }
  if (status >= 300 && status < 400) {
    return make(
      'validation',
      'REDIRECT_NOT_FOLLOWED',
      'The server answered with a redirect, which is not followed. Use the final URL (often https:// instead of http://, or without a trailing path).',
    );
  }

  switch (status) {
    case 400:
      return classify400(errorId, op, make);
    case 401:
      return op === 'webhook'
        ? make('auth', 'FORBIDDEN', 'Something in front of Mattermost asked for credentials; webhooks need none. Check the URL.')
        : make(
            'auth',
            'TOKEN_INVALID',
            'Mattermost rejected the access token: it is wrong, revoked or expired, its user is deactivated, or personal access tokens are disabled on the server. Create a new token and reconnect.',
          );
    case 403:
      return classify403(errorId, op, ctx.channelOverride === true, make);
    case 404:
      return classify404(errorId, op, make);
    case 408:
      return make('network', 'CONNECTION_LOST', 'The server timed out reading the request; nothing was posted.', { retryable: true });
    case 413:
      return make('validation', 'PAYLOAD_TOO_LARGE', 'The message is too large for the server. Shorten it.');
    case 414:
      return make('validation', 'BAD_REQUEST', 'The request URL is too long for the server.');
    case 429:
      return make('rate_limit', 'RATE_LIMITED', 'Mattermost is rate limiting requests; nothing was posted. Try again later.', {
        retryable: true,
        retryAfterMs: retryAfterFromHeaders(res.headers, ctx.nowMs),
      });
    case 501:
      return make(
        'validation',
        'WEBHOOKS_DISABLED',
        'Incoming webhooks are disabled on this Mattermost server. Ask its administrator to enable them (System Console > Integrations).',
      );
    case 503:
      // docs/mattermost-contract.md §8: the server created nothing, so this is safe to retry.
      return make('network', 'SERVER_UNAVAILABLE', 'Mattermost is temporarily unavailable; nothing was posted.', {
        retryable: true,
        retryAfterMs: retryAfterFromHeaders(res.headers, ctx.nowMs),
      });
  }

  if (status >= 500) {
    if (errorId === POST_PENDING_ID) {
      // An earlier attempt with the same pending_post_id is still being saved (deduplicateCreatePost,
      // server/channels/app/post.go): that post may well appear. The outcome is unknown, not failed:
      // the next attempt first looks for our post, then re-sends the same pending_post_id, which
      // returns the saved post for 30 s after it lands instead of creating a second one.
      return make('unknown', 'POST_IN_FLIGHT', 'An earlier attempt to create this post is still being saved by Mattermost.', {
        retryable: true,
        outcomeUnknown: true,
        retryAfterMs: 5_000,
      });
    }
    if (!mayHavePosted) {
      return make('network', 'SERVER_ERROR', 'Mattermost failed to answer the request.', { retryable: true });
    }
    if (op === 'webhook' && isOwnAppError(res.body, status)) {
      // Mattermost's own AppError for this request. In HandleIncomingWebhook every 5xx is returned
      // before a post exists (hook, user or channel look-ups) or because CreatePost failed, and
      // CreateWebhookPost then answers 500 api.post.create_webhook_post.creating.app_error (newer
      // servers wrap it as web.incoming_webhook.general.app_error with that status). CreatePost
      // fails after saving only on a cache write error (a Redis cache, not the default) or
      // when sanitising the saved post's metadata; our single-part, reply-less digest hits neither.
      // So this answer proves nothing was posted: retry it automatically.
      return make('network', 'SERVER_ERROR_NOT_POSTED', 'Mattermost failed to create the post (its own error answer); nothing was posted, so it is retried.', {
        retryable: true,
      });
    }
    // A proxy's 502/504 or bare 500 (the request may have reached Mattermost and posted), a
    // REST 500: the post may exist. Not blindly retryable (a token settles it by its marker).
    return make(
      'unknown',
      'SERVER_ERROR',
      'Something between FleetPrompt and Mattermost (or Mattermost itself) failed while the post was being created; it may or may not have been created.',
      { outcomeUnknown: true },
    );
  }

  return make('validation', 'BAD_REQUEST', 'Mattermost refused the request.');
}

type Make = (kind: FailureKind, code: MattermostErrorCode, message: string, extra?: { retryable?: boolean; outcomeUnknown?: boolean }) => MattermostError;

function classify400(errorId: string | undefined, op: MattermostOperation, make: Make): MattermostError {
  if (errorId === WEBHOOK_ERROR_IDS.invalidHook) {
    return make(
      'auth',
      'INVALID_WEBHOOK',
      'Mattermost does not know this webhook: it was deleted (or its channel archived) or the URL is incomplete. Create a new incoming webhook and reconnect.',
    );
  }
  if (errorId === WEBHOOK_ERROR_IDS.general && op === 'webhook') {
    // Newer servers hide the cause. Our client never sends the other 400 causes (it sends
    // non-empty text, valid JSON, no type/priority, small props), so an unknown hook is by far
    // the likeliest. Treat as auth: reconnecting with a valid webhook is the fix.
    return make(
      'auth',
      'INVALID_WEBHOOK',
      'Mattermost rejected the webhook: most likely it was deleted or the URL is incomplete (or the payload was refused). Create a new incoming webhook and reconnect.',
    );
  }
  if (errorId === WEBHOOK_ERROR_IDS.text) return make('validation', 'EMPTY_TEXT', 'Mattermost refused an empty message.');
  if (errorId === WEBHOOK_ERROR_IDS.user) return make('validation', 'CHANNEL_NOT_FOUND', 'The user named in the channel override (@name) does not exist.');
  if (errorId === 'api.post.create_post.can_not_post_to_deleted.error')
    return make('validation', 'CHANNEL_ARCHIVED', 'The channel is archived. Choose another channel.');
  if (errorId === 'api.context.invalid_url_param.app_error')
    return make(
      'validation',
      'BAD_REQUEST',
      'Mattermost refused the team or channel name. Use the name from the channel URL (lowercase letters, digits, "-" and "_"), not its display name.',
    );
  if (errorId && TOO_LONG_IDS.has(errorId)) return make('validation', 'MESSAGE_TOO_LONG', 'The message is longer than the server allows. Shorten it.');
  if (errorId && TOO_LARGE_IDS.has(errorId)) return make('validation', 'PAYLOAD_TOO_LARGE', 'The message properties are too large for the server.');
  if (errorId && BAD_PAYLOAD_IDS.has(errorId)) return make('validation', 'BAD_PAYLOAD', 'Mattermost could not read the message payload.');
  return make('validation', 'BAD_REQUEST', 'Mattermost refused the request as invalid.');
}

function classify403(errorId: string | undefined, op: MattermostOperation, channelOverride: boolean, make: Make): MattermostError {
  if (errorId === WEBHOOK_ERROR_IDS.channelLocked || (op === 'webhook' && errorId === WEBHOOK_ERROR_IDS.general && channelOverride)) {
    // A wrapped 403 with an override is almost always the lock (the other causes, creator
    // missing or no access to a private channel, apply with or without an override).
    return make(
      'validation',
      'CHANNEL_LOCKED',
      'The webhook is locked to its own channel (or its creator cannot post to the requested one). Remove the channel override or use a webhook for that channel.',
    );
  }
  if (op === 'webhook') {
    return make(
      'auth',
      'FORBIDDEN',
      "The webhook's creator may not post to its channel (deactivated, or not a member of the private channel). Create a new webhook as a member of the channel.",
    );
  }
  if (errorId === 'api.post.post_priority.priority_post_not_allowed_for_user.request_error') {
    return make('validation', 'BAD_REQUEST', 'Message priority is not allowed for this user.');
  }
  // The token works (Mattermost authenticated it) but its user may not post in this channel:
  // a permission on the channel, fixed by adding the user to it, not a refused credential.
  return make('validation', 'CHANNEL_PERMISSION', "The token's user may not post in this channel: add the user to the channel (and team), then Retry.");
}

function classify404(errorId: string | undefined, op: MattermostOperation, make: Make): MattermostError {
  if (errorId === 'app.team.get_by_name.missing.app_error')
    return make('validation', 'TEAM_NOT_FOUND', 'The team was not found. Use the team name from its URL.');
  if ((errorId && CHANNEL_MISSING_IDS.has(errorId)) || (op === 'webhook' && errorId === WEBHOOK_ERROR_IDS.general)) {
    return make(
      'validation',
      'CHANNEL_NOT_FOUND',
      'The channel was not found (or is archived, or is private and not visible). Use the channel name from its URL.',
    );
  }
  return make(
    'validation',
    'NOT_FOUND',
    op === 'webhook'
      ? 'The webhook URL does not exist on that server. Check the URL copied from Mattermost.'
      : 'Mattermost has no such API endpoint. Check the server URL (it should be the address you open Mattermost at).',
  );
}
