// zod at the boundary: parse once, pass the parsed value on, 400 with one message per field.
import type { z } from 'zod';
import { AppError } from '../../lib/errors/app-error';
import { formatZodIssues } from '../../lib/errors/zod-issues';

export function parseInput<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new AppError(
      'VALIDATION_FAILED',
      `The ${what} is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.') || what}: ${i.message}`).join('; ')}`,
      {
        details: formatZodIssues(parsed.error),
      },
    );
  }
  return parsed.data;
}
