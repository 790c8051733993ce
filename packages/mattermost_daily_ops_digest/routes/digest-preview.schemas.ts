import { z } from 'zod';

const ZInstant = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with a zone, e.g. 2025-01-31T09:15:00Z' });

const ZWindowFields = {
  local_date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
    .optional()
    .describe('The scheduled digest of this local date (in the installation’s zone): window [HH:MM the day before, HH:MM).'),
  execution_id: z.uuid().optional().describe('The window of this past run.'),
  window_start: ZInstant.optional().describe('Start of an explicit window (default: window_end − 24 h).'),
  window_end: ZInstant.optional().describe('End of an explicit window (exclusive; not in the future).'),
};

/** Choose the window one way: local_date, execution_id, or window_end (+ window_start); none = the latest scheduled window. */
export const ZDigestPreviewQuery = z
  .object({
    local_date: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
      .optional()
      .describe('The scheduled digest of this local date (in the installation’s zone): window [HH:MM the day before, HH:MM).'),
    execution_id: z.uuid().optional().describe('The window of this past run.'),
    window_start: ZInstant.optional().describe('Start of an explicit window (default: window_end − 24 h).'),
    window_end: ZInstant.optional().describe('End of an explicit window (exclusive; not in the future).'),
  })
  .strict()
  .refine((q) => [q.local_date, q.execution_id, q.window_end].filter(Boolean).length <= 1, {
    message: 'give at most one of local_date, execution_id, window_end',
    path: ['local_date'],
  })
  .refine((q) => !q.window_start || q.window_end, { message: 'needs window_end too', path: ['window_start'] });

export type TDigestPreviewQuery = z.infer<typeof ZDigestPreviewQuery>;

/** POST: the same window choice, plus unsaved settings to preview with (any subset of the config). */
export const ZDigestPreviewBody = z
  .object({
    ...ZWindowFields,
    config: z.record(z.string(), z.unknown()).optional().describe('Unsaved settings, merged over the saved ones and validated like PUT /config.'),
  })
  .strict()
  .refine((q) => [q.local_date, q.execution_id, q.window_end].filter(Boolean).length <= 1, {
    message: 'give at most one of local_date, execution_id, window_end',
    path: ['local_date'],
  })
  .refine((q) => !q.window_start || q.window_end, { message: 'needs window_end too', path: ['window_start'] });
