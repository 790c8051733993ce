// Public surface of the Mattermost client.
export * from './types';
export * from './message-limit';
export * from './mattermost-error';
export { classifyResponse, isSuccessResponse, type ClassifyContext, type MattermostOperation, type ResponseFacts } from './classify-response';
export { classifyTransportError } from './classify-transport-error';
export { parseRetryAfter, retryAfterFromHeaders, MAX_RETRY_AFTER_MS } from './retry-after';
export { assertWebhookUrlShape } from './webhook-url';
export { postViaWebhook, buildWebhookPayload } from './post-via-webhook';
export { verifyWebhook, VERIFY_WEBHOOK_TEXT, type VerifyWebhookOptions } from './verify-webhook';
export { verifyToken } from './verify-token';
export { resolveChannelId } from './resolve-channel-id';
export { listPostableChannels, CHANNEL_LIST_MAX_BYTES, type PostableChannel, type PostableChannels } from './list-postable-channels';
export { createPost, type CreatePostOptions } from './create-post';
export { findPostByMarker, SINCE_QUERY_MAX_POSTS } from './find-post-by-marker';
export { createMattermostClient, type MattermostClient, type MattermostClientOptions } from './mattermost-client';
