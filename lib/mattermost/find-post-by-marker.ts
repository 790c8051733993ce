// Reconciles an unknown outcome: did our post arrive after all? Lists the channel's posts
// changed since `sinceMs` (GET /channels/{id}/posts?since=, update_at > since, deleted ones
// included, at most 1,000, newest first) and looks for the dedupe marker we put in props. In a
// channel busier than that, it pages back through the channel (page/per_page, 200 a page,
// newest first) until it reaches posts older than `sinceMs`, instead of giving up.
import { z } from 'zod';
import { MattermostError } from './mattermost-error';
import { ZPostJson, toMattermostPost } from './post-schema';
import { callMattermostApi } from './rest-request';
import type { MattermostCallOptions, MattermostPost } from './types';

/** The server returns at most this many posts for a `since` query, in one page. */
export const SINCE_QUERY_MAX_POSTS = 1000;
/** The paged listing's largest page (Mattermost caps per_page at 200). */
const PAGE_SIZE = 200;
/** Bound on the paged walk: 100 pages of 200 posts since the attempt. */
const MAX_PAGES = 100;

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
  if (list.order.length < SINCE_QUERY_MAX_POSTS) return null;
  // Busy channel: walk back from the newest post until the posts are older than the attempt.
  // New posts arriving meanwhile only shift older ones to later pages (seen twice, never skipped).
  for (let page = 0; page < MAX_PAGES; page++) {
    const listed = await callMattermostApi(
      {
        baseUrl,
        token,
        method: 'GET',
        path: `/channels/${channelId}/posts`,
        query: { page: String(page), per_page: String(PAGE_SIZE) },
        operation: 'read',
        maxResponseBytes: 8 * 1024 * 1024,
      },
      ZPostList,
      opts,
    );
    const pagePosts = listed.order.map((id) => listed.posts?.[id]).filter((p): p is NonNullable<typeof p> => Boolean(p));
    for (const post of pagePosts) if (post.props?.[markerKey] === markerValue) return toMattermostPost(post);
    const oldest = Math.min(...pagePosts.map((p) => p.create_at ?? 0));
    if (pagePosts.length < PAGE_SIZE || oldest < since) return null;
  }
  throw new MattermostError({
    kind: 'unknown',
    code: 'MARKER_SEARCH_INCOMPLETE',
    message: `The channel has more than ${MAX_PAGES * PAGE_SIZE} posts since the attempt, so the search cannot rule the post out.`,
    outcomeUnknown: true,
  });
}
