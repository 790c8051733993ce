// Every row of docs/mattermost-contract.md's error tables (§3 webhooks, both server generations; §5 rate
// limiting; §6 REST), plus the success rules of §2/§8, mapped to our classification.
import { classifyResponse, type MattermostOperation } from '../../../lib/mattermost/classify-response';

const HOOK = 'k8hrsecrethookid9abcdefghi';

function appError(id: string, status: number, message = 'Some translated message.'): string {
  return JSON.stringify({ id, message, detailed_error: '', request_id: 'abcdefghijklmnopqrstuvwxyz', status_code: status });
}
/** Generation B wraps every HandleIncomingWebhook error; its message contains the hook id. */
function general(status: number): string {
  return appError(
    'web.incoming_webhook.general.app_error',
    status,
    `Failed to handle the payload of media type application/json for incoming webhook ${HOOK}.`,
  );
}
function decodeB(): string {
  return appError('web.incoming_webhook.decode.app_error', 400, `Failed to decode the payload of media type application/json for incoming webhook ${HOOK}.`);
}

interface Row {
  name: string;
  op: MattermostOperation;
  status: number;
  body: string;
  headers?: Record<string, string>;
  channelOverride?: boolean;
  kind: string;
  code: string;
  retryable?: boolean;
  outcomeUnknown?: boolean;
  retryAfterMs?: number;
}

const rows: Row[] = [
  // §3 webhook error table — generation A (inner ids)
  {
    name: 'A unparseable Content-Type',
    op: 'webhook',
    status: 400,
    body: appError('api.webhook.incoming.error', 400),
    kind: 'validation',
    code: 'BAD_PAYLOAD',
  },
  {
    name: 'A malformed JSON / empty body / form without payload',
    op: 'webhook',
    status: 400,
    body: appError('model.incoming_hook.parse_data.app_error', 400),
    kind: 'validation',
    code: 'BAD_PAYLOAD',
  },
  {
    name: 'A multipart parse error / unknown key',
    op: 'webhook',
    status: 400,
    body: appError('api.webhook.incoming.error', 400),
    kind: 'validation',
    code: 'BAD_PAYLOAD',
  },
  {
    name: 'A webhooks disabled',
    op: 'webhook',
    status: 501,
    body: appError('web.incoming_webhook.disabled.app_error', 501),
    kind: 'validation',
    code: 'WEBHOOKS_DISABLED',
  },
  {
    name: 'A request struct nil',
    op: 'webhook',
    status: 400,
    body: appError('web.incoming_webhook.parse.app_error', 400),
    kind: 'validation',
    code: 'BAD_PAYLOAD',
  },
  { name: 'A empty text', op: 'webhook', status: 400, body: appError('web.incoming_webhook.text.app_error', 400), kind: 'validation', code: 'EMPTY_TEXT' },
  { name: 'A unknown hook', op: 'webhook', status: 400, body: appError('web.incoming_webhook.invalid.app_error', 400), kind: 'auth', code: 'INVALID_WEBHOOK' },
  {
    name: 'A @user does not exist',
    op: 'webhook',
    status: 400,
    body: appError('web.incoming_webhook.user.app_error', 400),
    channelOverride: true,
    kind: 'validation',
    code: 'CHANNEL_NOT_FOUND',
  },
  {
    name: 'A channel override not found',
    op: 'webhook',
    status: 404,
    body: appError('web.incoming_webhook.channel.app_error', 404),
    channelOverride: true,
    kind: 'validation',
    code: 'CHANNEL_NOT_FOUND',
  },
  {
    name: "A hook's own channel missing",
    op: 'webhook',
    status: 404,
    body: appError('app.channel.get.existing.app_error', 404),
    kind: 'validation',
    code: 'CHANNEL_NOT_FOUND',
  },
  {
    name: 'A channel lookup database error',
    op: 'webhook',
    status: 500,
    body: appError('web.incoming_webhook.channel.app_error', 500),
    kind: 'network',
    code: 'SERVER_ERROR_NOT_POSTED',
    retryable: true,
    outcomeUnknown: false,
  },
  {
    name: 'A channel locked',
    op: 'webhook',
    status: 403,
    body: appError('web.incoming_webhook.channel_locked.app_error', 403),
    channelOverride: true,
    kind: 'validation',
    code: 'CHANNEL_LOCKED',
  },
  { name: 'A hook creator missing', op: 'webhook', status: 403, body: appError('web.incoming_webhook.user.app_error', 403), kind: 'auth', code: 'FORBIDDEN' },
  {
    name: 'A private channel without access',
    op: 'webhook',
    status: 403,
    body: appError('web.incoming_webhook.permissions.app_error', 403),
    kind: 'auth',
    code: 'FORBIDDEN',
  },
  {
    name: 'A priority without priority',
    op: 'webhook',
    status: 400,
    body: appError('api.context.invalid_param.app_error', 400),
    kind: 'validation',
    code: 'BAD_PAYLOAD',
  },
  { name: 'A system_ type', op: 'webhook', status: 400, body: appError('api.context.invalid_param.app_error', 400), kind: 'validation', code: 'BAD_PAYLOAD' },
  {
    name: 'A props too large to split',
    op: 'webhook',
    status: 400,
    body: appError('web.incoming_webhook.split_props_length.app_error', 400),
    kind: 'validation',
    code: 'PAYLOAD_TOO_LARGE',
  },
  {
    name: "A bare 500 from a proxy (not Mattermost's AppError)",
    op: 'webhook',
    status: 500,
    body: 'Internal Server Error',
    kind: 'unknown',
    code: 'SERVER_ERROR',
    outcomeUnknown: true,
  },
  {
    name: "A 500 AppError whose status_code disagrees (not this request's)",
    op: 'webhook',
    status: 500,
    body: appError('api.post.create_webhook_post.creating.app_error', 400),
    kind: 'unknown',
    code: 'SERVER_ERROR',
    outcomeUnknown: true,
  },
  {
    name: 'A CreatePost failure',
    op: 'webhook',
    status: 500,
    body: appError('api.post.create_webhook_post.creating.app_error', 500),
    kind: 'network',
    code: 'SERVER_ERROR_NOT_POSTED',
    retryable: true,
    outcomeUnknown: false,
  },
  {
    name: 'A body too large (decoded as truncated JSON)',
    op: 'webhook',
    status: 400,
    body: appError('model.incoming_hook.parse_data.app_error', 400),
    kind: 'validation',
    code: 'BAD_PAYLOAD',
  },

  // §3 webhook error table — generation B (wrapped ids: the status decides)
  {
    name: 'B unparseable Content-Type',
    op: 'webhook',
    status: 400,
    body: appError('web.incoming_webhook.media_type.app_error', 400),
    kind: 'validation',
    code: 'BAD_PAYLOAD',
  },
  {
    name: 'B ParseForm failure',
    op: 'webhook',
    status: 400,
    body: appError('web.incoming_webhook.parse_form.app_error', 400),
    kind: 'validation',
    code: 'BAD_PAYLOAD',
  },
  { name: 'B malformed JSON', op: 'webhook', status: 400, body: decodeB(), kind: 'validation', code: 'BAD_PAYLOAD' },
  {
    name: 'B multipart parse error',
    op: 'webhook',
    status: 400,
    body: appError('web.incoming_webhook.parse_multipart.app_error', 400),
    kind: 'validation',
    code: 'BAD_PAYLOAD',
  },
  { name: 'B webhooks disabled', op: 'webhook', status: 501, body: general(501), kind: 'validation', code: 'WEBHOOKS_DISABLED' },
  {
    name: 'B 400 general (unknown hook, empty text, @user, priority, type, props)',
    op: 'webhook',
    status: 400,
    body: general(400),
    kind: 'auth',
    code: 'INVALID_WEBHOOK',
  },
  {
    name: 'B 404 general (channel not found / own channel missing)',
    op: 'webhook',
    status: 404,
    body: general(404),
    kind: 'validation',
    code: 'CHANNEL_NOT_FOUND',
  },
  {
    name: 'B 403 general with a channel override (locked)',
    op: 'webhook',
    status: 403,
    body: general(403),
    channelOverride: true,
    kind: 'validation',
    code: 'CHANNEL_LOCKED',
  },
  { name: 'B 403 general without override (creator/permissions)', op: 'webhook', status: 403, body: general(403), kind: 'auth', code: 'FORBIDDEN' },
  {
    name: 'B 500 general (CreatePost failure)',
    op: 'webhook',
    status: 500,
    body: general(500),
    kind: 'network',
    code: 'SERVER_ERROR_NOT_POSTED',
    retryable: true,
    outcomeUnknown: false,
  },
  {
    name: 'B form body too large',
    op: 'webhook',
    status: 413,
    body: appError('api.context.request_body_too_large.app_error', 413),
    kind: 'validation',
    code: 'PAYLOAD_TOO_LARGE',
  },
  {
    name: 'B URL too long',
    op: 'webhook',
    status: 414,
    body: appError('basic_security_check.url.too_long_error', 414),
    kind: 'validation',
    code: 'BAD_REQUEST',
  },
  {
    name: 'hardened mode 5xx',
    op: 'webhook',
    status: 500,
    body: JSON.stringify({ id: '', message: 'Internal Server Error', status_code: 500 }),
    kind: 'unknown',
    code: 'SERVER_ERROR',
    outcomeUnknown: true,
  },

  // §2 / §8 success rules and non-Mattermost answers
  {
    name: '200 with HTML (web app or proxy)',
    op: 'webhook',
    status: 200,
    body: '<!doctype html><html></html>',
    kind: 'unknown',
    code: 'UNEXPECTED_RESPONSE',
    outcomeUnknown: true,
  },
  { name: '200 with "ok\\n"', op: 'webhook', status: 200, body: 'ok\n', kind: 'unknown', code: 'UNEXPECTED_RESPONSE', outcomeUnknown: true },
  {
    name: 'redirect',
    op: 'webhook',
    status: 301,
    body: '',
    headers: { location: `https://mm.example.com/hooks/${HOOK}` },
    kind: 'validation',
    code: 'REDIRECT_NOT_FOLLOWED',
  },
  { name: 'plain 404 (not a webhook route)', op: 'webhook', status: 404, body: '404 page not found\n', kind: 'validation', code: 'NOT_FOUND' },
  { name: '401 from a proxy', op: 'webhook', status: 401, body: 'Unauthorized', kind: 'auth', code: 'FORBIDDEN' },
  { name: '502 from a proxy', op: 'webhook', status: 502, body: 'Bad Gateway', kind: 'unknown', code: 'SERVER_ERROR', outcomeUnknown: true },
  { name: '504 from a proxy', op: 'webhook', status: 504, body: 'Gateway Timeout', kind: 'unknown', code: 'SERVER_ERROR', outcomeUnknown: true },
  {
    name: '503 unavailable',
    op: 'webhook',
    status: 503,
    body: appError('api.context.server_busy.app_error', 503),
    kind: 'network',
    code: 'SERVER_UNAVAILABLE',
    retryable: true,
  },
  {
    name: '503 with Retry-After',
    op: 'webhook',
    status: 503,
    body: '',
    headers: { 'retry-after': '7' },
    kind: 'network',
    code: 'SERVER_UNAVAILABLE',
    retryable: true,
    retryAfterMs: 7000,
  },

  // §5 rate limiting
  {
    name: '429 from the limiter',
    op: 'webhook',
    status: 429,
    body: 'limit exceeded\n',
    headers: { 'retry-after': '3', 'x-ratelimit-reset': '3', 'x-ratelimit-limit': '101', 'x-ratelimit-remaining': '0' },
    kind: 'rate_limit',
    code: 'RATE_LIMITED',
    retryable: true,
    retryAfterMs: 3000,
  },
  {
    name: '429 with only X-RateLimit-Reset',
    op: 'create_post',
    status: 429,
    body: 'limit exceeded\n',
    headers: { 'x-ratelimit-reset': '5' },
    kind: 'rate_limit',
    code: 'RATE_LIMITED',
    retryable: true,
    retryAfterMs: 5000,
  },

  // §6 REST
  {
    name: 'REST bad/revoked token or PATs disabled',
    op: 'read',
    status: 401,
    body: appError('api.context.session_expired.app_error', 401),
    kind: 'auth',
    code: 'TOKEN_INVALID',
  },
  {
    name: 'REST access_token in query',
    op: 'read',
    status: 401,
    body: appError('api.context.token_provided.app_error', 401),
    kind: 'auth',
    code: 'TOKEN_INVALID',
  },
  { name: 'REST unrouted path', op: 'read', status: 404, body: appError('api.context.404.app_error', 404), kind: 'validation', code: 'NOT_FOUND' },
  {
    name: 'REST invalid team/channel name',
    op: 'read',
    status: 400,
    body: appError('api.context.invalid_url_param.app_error', 400),
    kind: 'validation',
    code: 'BAD_REQUEST',
  },
  {
    name: 'REST unknown team',
    op: 'read',
    status: 404,
    body: appError('app.team.get_by_name.missing.app_error', 404),
    kind: 'validation',
    code: 'TEAM_NOT_FOUND',
  },
  {
    name: 'REST unknown / hidden private channel',
    op: 'read',
    status: 404,
    body: appError('app.channel.get_by_name.missing.app_error', 404),
    kind: 'validation',
    code: 'CHANNEL_NOT_FOUND',
  },
  {
    name: 'REST public channel, not on team',
    op: 'read',
    status: 403,
    body: appError('api.context.permissions.app_error', 403),
    kind: 'validation',
    code: 'CHANNEL_PERMISSION',
  },
  {
    name: 'REST read 5xx is retryable',
    op: 'read',
    status: 500,
    body: appError('app.post.get_posts_since.app_error', 500),
    kind: 'network',
    code: 'SERVER_ERROR',
    retryable: true,
  },
  {
    name: 'create: malformed JSON',
    op: 'create_post',
    status: 400,
    body: appError('api.context.invalid_body_param.app_error', 400),
    kind: 'validation',
    code: 'BAD_PAYLOAD',
  },
  {
    name: 'create: channel not permitted',
    op: 'create_post',
    status: 403,
    body: appError('api.context.permissions.app_error', 403),
    kind: 'validation',
    code: 'CHANNEL_PERMISSION',
  },
  {
    name: 'create: channel vanished',
    op: 'create_post',
    status: 400,
    body: appError('api.context.invalid_param.app_error', 400),
    kind: 'validation',
    code: 'BAD_PAYLOAD',
  },
  {
    name: 'create: archived channel',
    op: 'create_post',
    status: 400,
    body: appError('api.post.create_post.can_not_post_to_deleted.error', 400),
    kind: 'validation',
    code: 'CHANNEL_ARCHIVED',
  },
  {
    name: 'create: message too long (A)',
    op: 'create_post',
    status: 400,
    body: appError('model.post.is_valid.msg.app_error', 400),
    kind: 'validation',
    code: 'MESSAGE_TOO_LONG',
  },
  {
    name: 'create: message too long (B)',
    op: 'create_post',
    status: 400,
    body: appError('model.post.is_valid.message_length.app_error', 400),
    kind: 'validation',
    code: 'MESSAGE_TOO_LONG',
  },
  {
    name: 'create: props too large',
    op: 'create_post',
    status: 400,
    body: appError('model.post.is_valid.props.app_error', 400),
    kind: 'validation',
    code: 'PAYLOAD_TOO_LARGE',
  },
  {
    name: 'create: bad root_id',
    op: 'create_post',
    status: 400,
    body: appError('api.post.create_post.root_id.app_error', 400),
    kind: 'validation',
    code: 'BAD_PAYLOAD',
  },
  {
    name: 'create: priority not allowed',
    op: 'create_post',
    status: 403,
    body: appError('api.post.post_priority.priority_post_not_allowed_for_user.request_error', 403),
    kind: 'validation',
    code: 'BAD_REQUEST',
  },
  {
    name: 'create: body too large (B)',
    op: 'create_post',
    status: 413,
    body: appError('api.context.request_body_too_large.app_error', 413),
    kind: 'validation',
    code: 'PAYLOAD_TOO_LARGE',
  },
  {
    name: 'create: duplicate still in flight',
    op: 'create_post',
    status: 500,
    body: appError('api.post.deduplicate_create_post.pending', 500),
    kind: 'unknown',
    code: 'POST_IN_FLIGHT',
    retryable: true,
    outcomeUnknown: true,
    retryAfterMs: 5000,
  },
  {
    name: 'create: dedupe fetch failed',
    op: 'create_post',
    status: 500,
    body: appError('api.post.deduplicate_create_post.failed_to_get', 500),
    kind: 'unknown',
    code: 'SERVER_ERROR',
    outcomeUnknown: true,
  },
  {
    name: 'create: dedupe cache error (B)',
    op: 'create_post',
    status: 500,
    body: appError('api.post.deduplicate_create_post.cache_error', 500),
    kind: 'unknown',
    code: 'SERVER_ERROR',
    outcomeUnknown: true,
  },
  { name: 'create: 200 instead of 201', op: 'create_post', status: 200, body: '{}', kind: 'unknown', code: 'UNEXPECTED_RESPONSE', outcomeUnknown: true },
];

describe('classifyResponse', () => {
  it.each(rows.map((r) => [r.name, r] as const))('%s', (_name, row) => {
    const err = classifyResponse(
      { status: row.status, headers: row.headers ?? {}, body: row.body },
      { operation: row.op, channelOverride: row.channelOverride, nowMs: 0 },
    );
    expect(err).not.toBeNull();
    expect(err).toMatchObject({
      name: 'MattermostError',
      kind: row.kind,
      code: row.code,
      status: row.status,
      retryable: row.retryable ?? false,
      outcomeUnknown: row.outcomeUnknown ?? false,
    });
    expect(err!.retryAfterMs).toBe(row.retryAfterMs);
    // The server's message (which embeds the hook id on newer servers) is never copied.
    expect(err!.message).not.toContain(HOOK);
    expect(err!.message).not.toContain('translated');
    expect(JSON.stringify(err)).not.toContain(HOOK);
    expect(err!.message).toContain(`HTTP ${row.status}`);
  });

  it('keeps the AppError id but not ids of a suspicious shape', () => {
    const withId = classifyResponse({ status: 400, headers: {}, body: appError('web.incoming_webhook.invalid.app_error', 400) }, { operation: 'webhook' });
    expect(withId!.errorId).toBe('web.incoming_webhook.invalid.app_error');
    const echoed = classifyResponse({ status: 400, headers: {}, body: JSON.stringify({ id: HOOK }) }, { operation: 'webhook' });
    expect(echoed!.errorId).toBeUndefined();
    expect(JSON.stringify(echoed)).not.toContain(HOOK);
  });

  it.each([
    ['webhook', 200, 'ok'],
    ['create_post', 201, '{"id":"x"}'],
    ['read', 200, '{}'],
  ] as const)('treats %s %d as success', (op, status, body) => {
    expect(classifyResponse({ status, headers: {}, body }, { operation: op })).toBeNull();
  });
});
