import { z } from 'zod';

export const ZCreateApiTokenBody = z
  .object({
    name: z.string().trim().min(1, 'is required').max(100),
    role: z.enum(['owner', 'admin', 'member']),
  })
  .strict();

export type TCreateApiTokenBody = z.infer<typeof ZCreateApiTokenBody>;
