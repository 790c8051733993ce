// The digest's config as published in version 1.0.0, frozen: a released version's schema never
// changes (installations at 1.0.0 are validated against exactly this). The newest version's
// schema is ./config.ts.
import { z } from 'zod';
import { ZScheduleTime, ZTimezone } from '../../lib/schedule/schedule-schemas';
import { configSchemaWithDefaults } from '../../lib/packages/config-schema';
import { ZChannelName } from '../../lib/mattermost/channel-name';

export const DIGEST_CONFIG_1_0_0 = configSchemaWithDefaults(
  {
    mattermost_credential_id: z.uuid().nullable().meta({ description: 'Set by connecting Mattermost, not chosen by hand.' }),
    timezone: ZTimezone.meta({ format: 'iana-time-zone', description: 'IANA time zone the schedule is read in.' }),
    schedule_time: ZScheduleTime.meta({ format: 'HH:MM', description: 'Local time of day the digest is posted.' }),
    enabled: z.boolean(),
    channel: ZChannelName.nullable(),
    include_llm_summary: z.boolean(),
    max_lines: z.number().int().min(5).max(200),
    include_cost_estimates: z.boolean(),
    post_as_username: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1–64 letters, digits, ".", "_" or "-"')
      .nullable(),
    post_icon_url: z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
      .max(2048)
      .nullable(),
  },
  {
    mattermost_credential_id: null,
    timezone: 'UTC',
    schedule_time: '09:00',
    enabled: true,
    channel: null,
    include_llm_summary: false,
    max_lines: 40,
    include_cost_estimates: true,
    post_as_username: null,
    post_icon_url: null,
  },
);
