// zod schemas for the time pieces of a package's config (a local time of day, a time zone), so
// every boundary (API, activities) validates them the same way.
import { z } from 'zod';
import { isValidHHMM } from './hhmm';
import { isValidIanaZone } from './iana-zone';

export const ZScheduleTime = z.string().refine(isValidHHMM, { message: 'must be HH:MM in 24-hour time (00:00-23:59), e.g. 07:30' });
export const ZTimezone = z.string().refine(isValidIanaZone, { message: 'must be an IANA time zone name, e.g. Europe/Berlin or America/New_York' });
