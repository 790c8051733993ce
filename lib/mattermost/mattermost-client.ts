// The Mattermost client as activities see it: an interface (so tests can hand activities a fake)
// and a factory that binds the outbound allow-list and timeout once, at worker start.
import { createPost, type CreatePostOptions } from './create-post';
import { findPostByMarker } from './find-post-by-marker';
import { listPostableChannels, type PostableChannels } from './list-postable-channels';
import { postViaWebhook } from './post-via-webhook';
import { resolveChannelId } from './resolve-channel-id';
import type { MattermostCallOptions, MattermostPost, MattermostUser, PostRequest, WebhookTarget } from './types';
import { verifyToken } from './verify-token';
import { verifyWebhook } from './verify-webhook';
import { verifyChannelMember } from './verify-channel-member';

export interface MattermostClient {
  postViaWebhook(target: WebhookTarget, req: PostRequest): Promise<void>;
  verifyWebhook(target: WebhookTarget, options?: { channel?: string | null }): Promise<void>;
  verifyToken(baseUrl: string, token: string): Promise<MattermostUser>;
  resolveChannelId(baseUrl: string, token: string, team: string, channel: string): Promise<string>;
  verifyChannelMember(baseUrl: string, token: string, channelId: string): Promise<void>;
  listPostableChannels(baseUrl: string, token: string, team: string): Promise<PostableChannels>;
  createPost(baseUrl: string, token: string, channelId: string, req: PostRequest, options?: Pick<CreatePostOptions, 'pendingPostId'>): Promise<MattermostPost>;
  findPostByMarker(baseUrl: string, token: string, channelId: string, markerKey: string, markerValue: string, sinceMs: number): Promise<MattermostPost | null>;
}

export type MattermostClientOptions = MattermostCallOptions;

export function createMattermostClient(options: MattermostClientOptions): MattermostClient {
  const opts: MattermostCallOptions = { ...options, allowedHosts: [...options.allowedHosts] };
  return {
    postViaWebhook: (target, req) => postViaWebhook(target, req, opts),
    verifyWebhook: (target, extra) => verifyWebhook(target, { ...opts, channel: extra?.channel }),
    verifyToken: (baseUrl, token) => verifyToken(baseUrl, token, opts),
    resolveChannelId: (baseUrl, token, team, channel) => resolveChannelId(baseUrl, token, team, channel, opts),
    verifyChannelMember: (baseUrl, token, channelId) => verifyChannelMember(baseUrl, token, channelId, opts),
    listPostableChannels: (baseUrl, token, team) => listPostableChannels(baseUrl, token, team, opts),
    createPost: (baseUrl, token, channelId, req, extra) => createPost(baseUrl, token, channelId, req, { ...opts, ...extra }),
    findPostByMarker: (baseUrl, token, channelId, markerKey, markerValue, sinceMs) =>
      findPostByMarker(baseUrl, token, channelId, markerKey, markerValue, sinceMs, opts),
  };
}
