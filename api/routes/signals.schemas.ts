import { z } from 'zod';
import { INGESTIBLE_SIGNAL_PREFIXES, isSignalType, SIGNAL_TYPES } from '../../lib/signals/catalogue';
import { findOutOfRangeNumber } from '../../lib/signals/payload-numbers';

/** Most signals one ingest request may carry (wide: the per-request cost — auth, transaction,
 * round trips — is then spread over many signals; bench/signal-ingest.ts). */
export const MAX_INGEST_BATCH = 5000;
/** How far in the future (clock skew) and how far back an ingested occurred_at may be. */
export const INGEST_MAX_FUTURE_MS = 5 * 60_000;
export const INGEST_MAX_AGE_MS = 30 * 24 * 3_600_000;

/** The catalogue's types that tenants' systems may report. */
export const INGESTIBLE_SIGNAL_TYPES = Object.values(SIGNAL_TYPES).filter((t) => INGESTIBLE_SIGNAL_PREFIXES.some((p) => t.startsWith(p)));

const ZRef = (what: string) =>
  z
    .string()
    .min(1, 'must not be empty')
    .max(300, `must be at most 300 characters`)
    .regex(/^[\x21-\x7e]+$/, `must be printable ASCII without spaces (${what})`);

export const ZIngestSignal = z
  .object({
    type: z
      .string()
      .refine((t) => isSignalType(t) && INGESTIBLE_SIGNAL_PREFIXES.some((p) => t.startsWith(p)), {
        message: `must be one of ${INGESTIBLE_SIGNAL_TYPES.join(', ')}`,
      })
      .meta({ enum: INGESTIBLE_SIGNAL_TYPES }),
    occurred_at: z.iso
      .datetime({ offset: true, error: 'must be an ISO 8601 date-time with a zone, e.g. 2025-01-31T09:15:00Z' })
      .refine((v) => Date.parse(v) <= Date.now() + INGEST_MAX_FUTURE_MS, { message: 'must not be more than 5 minutes in the future' })
      .refine((v) => Date.parse(v) >= Date.now() - INGEST_MAX_AGE_MS, { message: 'must not be more than 30 days in the past' })
      .optional()
      .describe('When it happened (default: when received). At most 5 minutes ahead and 30 days back.'),
    dedupe_key: ZRef('dedupe key').max(200, 'must be at most 200 characters').optional(),
    correlation_id: ZRef('correlation id').optional(),
    causation_id: ZRef('causation id').optional(),
    subject: z.string().min(1).max(300).optional(),
    source: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]{0,99}$/, 'must be 1–100 letters, digits, ".", "_", ":", "/" or "-"')
      .optional(),
    payload: z
      .record(z.string(), z.unknown())
      .superRefine((payload, ctx) => {
        const problem = findOutOfRangeNumber(payload);
        if (problem) ctx.addIssue({ code: 'custom', path: problem.path.split('.'), message: problem.message });
      })
      .optional()
      .describe('Free-form JSON. Numbers within ±1e15; cost_usd, which the digest adds up, from 0 to 1,000,000.'),
  })
  .strict();

export const ZIngestBody = z
  .object({
    signals: z.array(ZIngestSignal).min(1, 'must hold at least one signal').max(MAX_INGEST_BATCH, `must hold at most ${MAX_INGEST_BATCH} signals`),
  })
  .strict();

export type TIngestSignal = z.infer<typeof ZIngestSignal>;
export type TIngestBody = z.infer<typeof ZIngestBody>;

export const ZIngestResult = z.strictObject({
  received: z.number().int(),
  accepted: z.number().int(),
  duplicates: z.number().int(),
});

export const ZSignalListQuery = z
  .object({
    type: z
      .string()
      .regex(/^[a-z0-9._]{1,100}$/, 'must be a signal type or a prefix of one, e.g. "mattermost." or "package.install.failed"')
      .optional()
      .describe('A signal type, or a prefix of one ending in "." (e.g. "agent.execution.").'),
    correlation_id: z.string().min(1).max(300).optional(),
    subject: z.string().min(1).max(300).optional().describe('Exact subject, e.g. "installation:<id>".'),
    source: z.string().min(1).max(120).optional(),
    from: z.iso
      .datetime({ offset: true, error: 'must be an ISO 8601 date-time with a zone' })
      .optional()
      .describe('Only signals that occurred at or after this instant.'),
    to: z.iso
      .datetime({ offset: true, error: 'must be an ISO 8601 date-time with a zone' })
      .optional()
      .describe('Only signals that occurred before this instant.'),
    order: z.enum(['asc', 'desc']).default('desc').describe('"asc" replays oldest first; "desc" (default) shows newest first.'),
    format: z
      .enum(['json', 'ndjson'])
      .default('json')
      .describe('"ndjson" streams every matching signal (one JSON object per line, in order) instead of one page; limit is then the read batch size.'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z
      .string()
      .max(400)
      .optional()
      .describe('next_cursor of the previous page. Pages share the first page’s snapshot: signals recorded later never shift or repeat a page.'),
  })
  .strict()
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), { message: 'must be after from', path: ['to'] });

export const ZTimelineParam = z.string().min(1, 'is required').max(300, 'must be at most 300 characters');
