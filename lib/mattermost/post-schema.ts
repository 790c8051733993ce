// The parts of Mattermost's Post JSON we use, parsed once at the boundary.
import { z } from 'zod';
import type { MattermostPost } from './types';

export const ZPostJson = z.object({
  id: z.string().min(1),
  channel_id: z.string(),
  user_id: z.string().default(''),
  message: z.string().default(''),
  create_at: z.number().default(0),
  delete_at: z.number().default(0),
  props: z.record(z.string(), z.unknown()).nullish(),
});
export type TPostJson = z.infer<typeof ZPostJson>;

export function toMattermostPost(post: TPostJson): MattermostPost {
  return {
    id: post.id,
    channelId: post.channel_id,
    userId: post.user_id,
    message: post.message,
    createAt: post.create_at,
    deleteAt: post.delete_at,
    props: post.props ?? {},
  };
}
