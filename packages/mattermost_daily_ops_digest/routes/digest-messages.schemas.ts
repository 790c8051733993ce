import { z } from 'zod';

export const ZDigestMessageQuery = z
  .object({ correlation_id: z.string().min(1).max(200).describe('The correlation id in the truncation pointer’s link.') })
  .strict();
