// A Mattermost channel name as a package's config names the channel it posts to: Mattermost's
// IsValidChannelIdentifier, plus its 64-character column limit.
import { z } from 'zod';

export const ZChannelName = z
  .string()
  .max(64, 'must be at most 64 characters')
  .regex(/^[a-z0-9]+([a-z\-_0-9]+|(__)?)[a-z0-9]*$/, 'must be a Mattermost channel name: lowercase letters, digits, - and _ (e.g. town-square)');
