import { z } from 'zod';
import { DIRECTIVE_TYPES } from '../../lib/directives/directive-types';

export const ZDirectiveListQuery = z
  .object({
    status: z.enum(['requested', 'running', 'completed', 'failed']).optional(),
    type: z.enum(DIRECTIVE_TYPES).optional(),
    installation_id: z.uuid().optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.string().max(200).optional(),
  })
  .strict();
