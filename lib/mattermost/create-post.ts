// Creates a post with a token: POST /api/v4/posts, 201 with the saved post. A pending_post_id
// reused on every retry makes the server return the original post for ~30 s instead of a
// duplicate; the props marker (see findPostByMarker) covers the cases it does not.
import { assertPostableText } from './assert-postable-text';
import { MattermostError } from './mattermost-error';
import { MATTERMOST_MAX_REQUEST_BYTES } from './message-limit';
import { ZPostJson, toMattermostPost } from './post-schema';
import { callMattermostApi } from './rest-request';
import type { MattermostCallOptions, MattermostPost, PostRequest } from './types';

export interface CreatePostOptions extends MattermostCallOptions {
  /** Unique per logical message, the same on every retry (the cache is global on the server). */
  pendingPostId?: string;
}

/** `req.channel`, `username` and `iconUrl` are webhook-only and ignored here. */
export async function createPost(baseUrl: string, token: string, channelId: string, req: PostRequest, opts: CreatePostOptions): Promise<MattermostPost> {
  assertPostableText(req.text);
  if (!/^[a-z0-9]{26}$/.test(channelId)) {
    throw new MattermostError({
      kind: 'validation',
      code: 'BAD_REQUEST',
      message: 'The channel id is not a Mattermost id; resolve the channel by name first.',
    });
  }
  const body: Record<string, unknown> = { channel_id: channelId, message: req.text };
  if (req.props && Object.keys(req.props).length > 0) body.props = req.props;
  if (opts.pendingPostId) body.pending_post_id = opts.pendingPostId;
  if (Buffer.byteLength(JSON.stringify(body)) > MATTERMOST_MAX_REQUEST_BYTES) {
    throw new MattermostError({ kind: 'validation', code: 'PAYLOAD_TOO_LARGE', message: 'The post is larger than Mattermost accepts; nothing was sent.' });
  }
  const post = await callMattermostApi({ baseUrl, token, method: 'POST', path: '/posts', body, operation: 'create_post' }, ZPostJson, opts);
  return toMattermostPost(post);
}
