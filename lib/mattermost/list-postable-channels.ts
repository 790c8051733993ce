// The public channels a token's user can post to in a team, for the channel picker. Read from
// Mattermost's own API (server/channels/api4/team.go getTeamsForUser, channel.go
// getChannelsForTeamForUser):
// - GET /api/v4/users/me/teams: the teams the user is a member of (one answer, not paged);
// - GET /api/v4/users/me/teams/{team_id}/channels: every channel the user is a *member* of in
//   that team, plus its direct and group messages (team_id ""), archived ones left out, ordered
//   by display name, in one answer (no page/per_page: the store query has no LIMIT); 404
//   app.channel.get_channels.not_found.app_error when there are none; 403 when the user is not on
//   the team.
// Only members may post in a channel (createPost checks PermissionCreatePost on the channel), so
// "can post to" = a membership. Of those we keep the public ones (type "O"): the picker offers
// what the spec's stage-3 selection asks for, not private channels or DMs.
import { z } from 'zod';
import { isMattermostError, MattermostError } from './mattermost-error';
import { callMattermostApi } from './rest-request';
import type { MattermostCallOptions } from './types';

export interface PostableChannel {
  id: string;
  name: string;
  display_name: string;
}

export interface PostableChannels {
  team: { id: string; name: string; display_name: string };
  channels: PostableChannel[];
}

const ZTeam = z.object({ id: z.string().min(1), name: z.string(), display_name: z.string().optional().default('') });
const ZChannel = z.object({
  id: z.string().min(1),
  name: z.string(),
  display_name: z.string().optional().default(''),
  type: z.string(),
  delete_at: z.number().optional().default(0),
  team_id: z.string().optional().default(''),
});

/** A user in many channels gets a long answer (about 1 KB a channel): allow up to 8 MB. */
export const CHANNEL_LIST_MAX_BYTES = 8 * 1024 * 1024;

export async function listPostableChannels(baseUrl: string, token: string, teamName: string, opts: MattermostCallOptions): Promise<PostableChannels> {
  const teams = await callMattermostApi({ baseUrl, token, method: 'GET', path: '/users/me/teams', operation: 'read' }, z.array(ZTeam), opts);
  const team = teams.find((t) => t.name === teamName);
  if (!team) {
    throw new MattermostError({
      kind: 'validation',
      code: 'TEAM_NOT_FOUND',
      message: `The token's user is not a member of the team "${teamName}" (or it does not exist). Add the user to the team, or reconnect with the team's URL name.`,
    });
  }
  let channels: z.infer<typeof ZChannel>[];
  try {
    channels = await callMattermostApi(
      {
        baseUrl,
        token,
        method: 'GET',
        path: `/users/me/teams/${encodeURIComponent(team.id)}/channels`,
        operation: 'read',
        maxResponseBytes: CHANNEL_LIST_MAX_BYTES,
      },
      z.array(ZChannel),
      opts,
    );
  } catch (err) {
    // No channel memberships at all in the team: an empty list, not a failure.
    if (isMattermostError(err) && err.status === 404 && err.errorId === 'app.channel.get_channels.not_found.app_error') channels = [];
    else throw err;
  }
  const postable = channels
    .filter((c) => c.type === 'O' && c.delete_at === 0 && c.team_id === team.id)
    .map((c) => ({ id: c.id, name: c.name, display_name: c.display_name || c.name }))
    .sort((a, b) => a.display_name.localeCompare(b.display_name, 'en', { sensitivity: 'base' }) || a.name.localeCompare(b.name));
  return { team: { id: team.id, name: team.name, display_name: team.display_name || team.name }, channels: postable };
}
