// Reconciles an unknown outcome: did our post arrive after all? Lists the channel's posts
// changed since `sinceMs` (GET /channels/{id}/posts?since=, update_at > since, at most 1,000)
// and looks for the dedupe marker we put in props.
import { z } from 'zod';
import { MattermostError } from './mattermost-error';
import { ZPostJson, toMattermostPost } from './post-schema';
import { callMattermostApi } from './rest-request';
import type { MattermostCallOptions, MattermostPost } from './types';

/** The server returns at most this many posts for a `since` query, in one page. */
export const SINCE_QUERY_MAX_POSTS = 1000;

const ZPostList = z.object({
  order: z.array(z.string()).default([]),
  posts: z.record(z.string(), ZPostJson).nullish(),
});

export async function findPostByMarker(
  baseUrl: string,
  token: string,
  channelId: string,
  markerKey: string,
  markerValue: string,
  sinceMs: number,
  opts: MattermostCallOptions,
): Promise<MattermostPost | null> {
  if (!/^[a-z0-9]{26}$/.test(channelId)) {
    throw new MattermostError({ kind: 'validation', code: 'BAD_REQUEST', message: 'The channel id is not a Mattermost id.' });
  }
  // since must be > 0 or the server switches to paging. Callers pass a time a little before
  // the attempt: the server compares with its own clock.
  const since = Math.max(1, Math.floor(sinceMs));
  const list = await callMattermostApi(
    {
      baseUrl,
      token,
      method: 'GET',
      path: `/channels/${channelId}/posts`,
      query: { since: String(since) },
      operation: 'read',
      maxResponseBytes: 32 * 1024 * 1024, // up to 1,000 posts of up to 16k runes each
    },
    ZPostList,
    opts,
  );
  const posts = list.posts ?? {};
  for (const post of Object.values(posts)) {
    // A deleted post still counts: it was delivered, and reposting would be a duplicate.
    if (post.props?.[markerKey] === markerValue) return toMattermostPost(post);
  }
  if (list.order.length >= SINCE_QUERY_MAX_POSTS) {
    throw new MattermostError({
      kind: 'unknown',
      code: 'MARKER_SEARCH_INCOMPLETE',
      message: `The channel has ${SINCE_QUERY_MAX_POSTS} or more posts since the attempt, so the search cannot rule the post out.`,
      outcomeUnknown: true,
    });
  }
  return null;
}
