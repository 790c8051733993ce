// zod issues in the API's error `details` shape: one entry per field, with a message that says what to fix.
import type { z } from 'zod';

export interface FieldIssue {
  path: string;
  message: string;
}

export function formatZodIssues(error: z.ZodError, prefix: (string | number)[] = []): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: [...prefix, ...issue.path].map(String).join('.') || '(body)',
    message: issue.message,
  }));
}
