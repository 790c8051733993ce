import { z } from 'zod';

export const ZExecutionListQuery = z
  .object({
    installation_id: z.uuid().optional(),
    status: z.enum(['pending', 'running', 'succeeded', 'failed', 'skipped']).optional(),
    trigger: z.enum(['scheduled', 'manual', 'retry']).optional(),
    correlation_id: z.string().max(300).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.string().max(200).optional(),
  })
  .strict();
