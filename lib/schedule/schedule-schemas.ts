// zod schemas for the schedule pieces of an installation's config, so every boundary (API,
// activities) validates them the same way.
import { z } from 'zod';
import { isValidHHMM } from './hhmm';
import { isValidIanaZone } from './iana-zone';

export const ZScheduleTime = z.string().refine(isValidHHMM, { message: 'must be HH:MM in 24-hour time (00:00-23:59), e.g. 07:30' });
export const ZTimezone = z.string().refine(isValidIanaZone, { message: 'must be an IANA time zone name, e.g. Europe/Berlin or America/New_York' });

/**
 * A package that posts once a day at a local time carries these settings in its config
 * (`schedule_time`, `timezone`, `enabled`); the platform keeps a Temporal Schedule for each of its
 * installations (lib/installations/schedule-wanted.ts). These are their defaults.
 */
export const DAILY_SCHEDULE_DEFAULTS = Object.freeze({ timezone: 'UTC', schedule_time: '09:00', enabled: true });
