// The body of a Mattermost connection (webhook or personal access token): the tenant's
// connection (PUT /integrations/mattermost) and a package installation's own (PUT …/credential).
import { z } from 'zod';

const ZHttpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2048, 'must be at most 2048 characters');

export const ZConnectCredentialBody = z.discriminatedUnion(
  'kind',
  [
    z
      .object({
        kind: z.literal('webhook'),
        webhook_url: ZHttpUrl,
        verify: z.enum(['test_post', 'dry_run']).default('test_post'),
      })
      .strict(),
    z
      .object({
        kind: z.literal('pat'),
        base_url: ZHttpUrl,
        token: z.string().trim().min(10, 'must be a Mattermost personal access token').max(200),
        team: z
          .string()
          .regex(/^[a-z0-9][a-z0-9-_]{0,63}$/, 'must be a Mattermost team name (URL name, lowercase)')
          .nullable()
          .optional(),
      })
      .strict(),
  ],
  { error: 'kind must be "webhook" or "pat"' },
);
