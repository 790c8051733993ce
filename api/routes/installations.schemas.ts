import { z } from 'zod';

export const ZInstallBody = z
  .object({
    package_slug: z.string().min(1).max(64),
    version: z
      .string()
      .regex(/^\d+\.\d+\.\d+$/, 'must be a version like 1.0.0')
      .optional(),
    config: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

/** Upgrade (or, where the package declares it, downgrade) an installation to this version. */
export const ZUpgradeBody = z
  .object({
    version: z.string().regex(/^\d+\.\d+\.\d+$/, 'must be a version like 1.1.0'),
  })
  .strict();

export const ZIdParam = z.uuid({ error: 'must be an id (uuid)' });

/** Actions that take no input (Run now, Retry): no body, or an empty JSON object. */
export const ZEmptyBody = z.object({}).strict();
