import { z } from 'zod';

export const ZLoginBody = z
  .object({
    email: z
      .string()
      .trim()
      .toLowerCase()
      .pipe(z.email({ error: 'must be an email address' }).max(254)),
    password: z.string().min(1, 'is required').max(1024),
  })
  .strict();

export type TLoginBody = z.infer<typeof ZLoginBody>;
