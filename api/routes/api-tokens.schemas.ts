import { z } from 'zod';

export const MAX_TOKEN_LIFETIME_MS = 3650 * 86_400_000;

export const ZCreateApiTokenBody = z
  .object({
    name: z.string().trim().min(1, 'is required').max(100),
    role: z.enum(['owner', 'admin', 'member']),
    expires_at: z.iso
      .datetime({ offset: true, error: 'must be an ISO 8601 date-time with a zone, e.g. 2027-01-31T00:00:00Z' })
      .refine((v) => Date.parse(v) > Date.now(), { message: 'must be in the future' })
      .refine((v) => Date.parse(v) <= Date.now() + MAX_TOKEN_LIFETIME_MS, { message: 'must be at most 10 years ahead' })
      .nullable()
      .optional()
      .describe('When the token stops working (optional; none: until revoked).'),
  })
  .strict();

export type TCreateApiTokenBody = z.infer<typeof ZCreateApiTokenBody>;
