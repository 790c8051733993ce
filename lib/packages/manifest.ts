// The package contract (spec §4): identity, what a package provides, consumes and emits, and
// its config schema. Manifests are validated when loaded; a bad manifest never reaches the registry.
import { z } from 'zod';
import mattermostDigest from './manifests/mattermost-daily-ops-digest.json';

const ZTemplateRef = z.object({ key: z.string().regex(/^[a-z][a-z0-9_]*$/), name: z.string().min(1), description: z.string() });

const ZConfigField = z.object({
  type: z.enum(['uuid', 'iana_timezone', 'HH:MM', 'boolean', 'mattermost_channel_name', 'integer', 'string', 'url']),
  required: z.boolean(),
  default: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional(),
  minimum: z.number().int().optional(),
  maximum: z.number().int().optional(),
});

export const ZPackageManifest = z.object({
  slug: z.string().regex(/^[a-z][a-z0-9_]{2,63}$/),
  name: z.string().min(1).max(100),
  version: z.string().regex(/^\d+\.\d+\.\d+$/, 'must be semver MAJOR.MINOR.PATCH'),
  description: z.string().min(1).max(1000),
  category: z.string().regex(/^[a-z_]+$/),
  publisher: z.string().min(1),
  provides: z.object({
    workflow_templates: z.array(ZTemplateRef),
    agent_templates: z.array(ZTemplateRef),
    integrations: z.array(z.object({ provider: z.string(), kinds: z.array(z.string()), actions: z.array(z.string()) })),
  }),
  consumes: z.array(z.string().min(1)),
  emits: z.array(z.string().min(1)),
  config_schema: z.record(z.string(), ZConfigField),
});

export type TPackageManifest = z.infer<typeof ZPackageManifest>;

export const DIGEST_PACKAGE_SLUG = 'mattermost_daily_ops_digest';

/** Every manifest the platform ships, validated. Throws on the first invalid one. */
export function loadBundledManifests(): TPackageManifest[] {
  return [mattermostDigest].map((raw) => {
    const parsed = ZPackageManifest.safeParse(raw);
    if (!parsed.success) {
      throw new Error(`Invalid package manifest ${String((raw as { slug?: unknown }).slug)}: ${z.prettifyError(parsed.error)}`);
    }
    return parsed.data;
  });
}
