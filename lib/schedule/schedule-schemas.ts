// zod schemas for the schedule pieces of an installation's config, so every boundary (API,
// activities) validates them the same way.
import { z } from 'zod';
import { isValidHHMM } from './hhmm';
import { isValidIanaZone } from './iana-zone';

export const ZScheduleTime = z.string().refine(isValidHHMM, { message: 'expected HH:MM (00:00-23:59)' });
export const ZTimezone = z.string().refine(isValidIanaZone, { message: 'expected an IANA time zone such as Europe/Berlin' });
