// Finds a channel id from team and channel *names* (the names in the channel URL, not display
// names). Resolve once, then post by id. Names are checked locally first so a typo like
// "Town Square" gets a clear message instead of a bare 400.
import { z } from 'zod';
import { MattermostError } from './mattermost-error';
import { callMattermostApi } from './rest-request';
import type { MattermostCallOptions } from './types';

// Mattermost's IsValidChannelIdentifier / IsValidTeamName (docs/mattermost-contract.md §7).
const CHANNEL_NAME = /^[a-z0-9]+([a-z\-_0-9]+|(__)?)[a-z0-9]*$/;
const TEAM_NAME = /^[a-z0-9]+([a-z\-0-9]+|(__)?)[a-z0-9]+$/;

const ZChannel = z.object({ id: z.string().min(1) });

function invalidName(what: 'team' | 'channel'): MattermostError {
  return new MattermostError({
    kind: 'validation',
    code: 'BAD_REQUEST',
    message: `That ${what} name is not valid. Use the name from the ${what}'s URL: lowercase letters, digits, "-" and "_" (not the display name).`,
  });
}

export async function resolveChannelId(baseUrl: string, token: string, team: string, channel: string, opts: MattermostCallOptions): Promise<string> {
  const channelName = channel.startsWith('#') ? channel.slice(1) : channel;
  if (!TEAM_NAME.test(team) || team.length > 64) throw invalidName('team');
  if (!CHANNEL_NAME.test(channelName) || channelName.length > 64) throw invalidName('channel');
  const found = await callMattermostApi(
    {
      baseUrl,
      token,
      method: 'GET',
      path: `/teams/name/${encodeURIComponent(team)}/channels/name/${encodeURIComponent(channelName)}`,
      operation: 'read',
    },
    ZChannel,
    opts,
  );
  return found.id;
}
