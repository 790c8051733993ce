// The package manifest as published in the registry: identity, version, what the
// package provides, consumes and emits, the integrations it needs, and its config as JSON Schema.
// Built from the package's definition (lib/packages/contract.ts) — never hand-written — and
// checked against ZPackageManifest before it reaches the registry.
import { z } from 'zod';
import { configJsonSchema } from './config-schema';
import type { PackageDefinition, PackageVersionDefinition } from './contract';
import { SEMVER_PATTERN } from './semver';

const ZTemplateRef = z.object({ key: z.string().regex(/^[a-z][a-z0-9_]*$/), name: z.string().min(1), description: z.string() });

export const ZPackageManifest = z.object({
  slug: z.string().regex(/^[a-z][a-z0-9_]{2,63}$/),
  name: z.string().min(1).max(100),
  version: z.string().regex(SEMVER_PATTERN, 'must be semver MAJOR.MINOR.PATCH'),
  description: z.string().min(1).max(1000),
  category: z.string().regex(/^[a-z_]+$/),
  publisher: z.string().min(1),
  changelog: z.array(z.string().min(1)),
  provides: z.object({
    workflow_templates: z.array(ZTemplateRef),
    agent_templates: z.array(ZTemplateRef),
    integrations: z.array(z.object({ provider: z.string(), kinds: z.array(z.string()), actions: z.array(z.string()) })),
  }),
  required_integrations: z.array(z.object({ provider: z.string(), kinds: z.array(z.string()), actions: z.array(z.string()), purpose: z.string() })),
  consumes: z.array(z.string().min(1)),
  emits: z.array(z.string().min(1)),
  /** JSON Schema (draft 2020-12) generated from the version's zod config schema. */
  config_schema: z.looseObject({ type: z.literal('object'), properties: z.record(z.string(), z.unknown()) }),
  /** Versions this one declares a config migration from (upgrades need one). */
  upgrades_from: z.array(z.string().regex(SEMVER_PATTERN)),
  ui_section: z.string().nullable(),
});

export type TPackageManifest = z.infer<typeof ZPackageManifest>;

export function buildManifest(def: PackageDefinition, v: PackageVersionDefinition): TPackageManifest {
  const raw = {
    ...def.identity,
    version: v.version,
    changelog: v.changelog,
    provides: {
      workflow_templates: v.provides.workflow_templates,
      agent_templates: v.provides.agent_templates,
      integrations: v.requiredIntegrations.map((i) => ({ provider: i.provider, kinds: i.kinds, actions: i.actions })),
    },
    required_integrations: v.requiredIntegrations,
    consumes: v.consumes,
    emits: v.emits,
    config_schema: configJsonSchema(v.configSchema),
    upgrades_from: Object.keys(v.migrations ?? {}),
    ui_section: def.uiSection ?? null,
  };
  const parsed = ZPackageManifest.safeParse(raw);
  if (!parsed.success) throw new Error(`Invalid package manifest ${def.identity.slug}@${v.version}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
