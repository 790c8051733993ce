// Can the token's user post in this channel? Only channel members may (a team member can look
// up a public channel by name without being in it, then gets 403 when posting). Mattermost's
// GET /api/v4/channels/{channel_id}/members/me answers 200 for a member and 404
// app.channel.get_member.missing.app_error otherwise (403 when the channel cannot be read).
import { z } from 'zod';
import { isMattermostError, MattermostError } from './mattermost-error';
import { callMattermostApi } from './rest-request';
import type { MattermostCallOptions } from './types';

const ZMember = z.object({ channel_id: z.string(), user_id: z.string() });

export async function verifyChannelMember(baseUrl: string, token: string, channelId: string, opts: MattermostCallOptions): Promise<void> {
  try {
    await callMattermostApi({ baseUrl, token, method: 'GET', path: `/channels/${encodeURIComponent(channelId)}/members/me`, operation: 'read' }, ZMember, opts);
  } catch (err) {
    if (isMattermostError(err) && (err.status === 404 || err.status === 403) && err.errorId) {
      throw new MattermostError({
        kind: 'validation',
        code: 'NOT_CHANNEL_MEMBER',
        status: err.status,
        errorId: err.errorId,
        message: "The token's user is not a member of the channel, so it cannot post there. Add the user to the channel, then connect again.",
      });
    }
    throw err;
  }
}
