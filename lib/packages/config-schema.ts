// Builds a package version's config schema from its fields and defaults: every field that has a
// default gets `.default()`, so parsing `{}` yields the installation defaults and the generated
// JSON Schema shows them. One source for validation, defaults and the manifest.
import { z } from 'zod';
import type { ConfigRecord } from './contract';

export function configSchemaWithDefaults(fields: z.ZodRawShape, defaults: ConfigRecord): z.ZodObject {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, field] of Object.entries(fields)) {
    shape[key] = key in defaults ? (field as z.ZodType).default(defaults[key] as never) : (field as z.ZodType);
  }
  for (const key of Object.keys(defaults)) {
    if (!(key in fields)) throw new Error(`Default for unknown config field "${key}"`);
  }
  return z.object(shape).strict();
}

/** The JSON Schema the manifest publishes: what a client may send (defaults make fields optional). */
export function configJsonSchema(schema: z.ZodObject): Record<string, unknown> {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
}

/** The defaults a version's schema declares (parse of an empty config, minus required fields). */
export function configDefaults(schema: z.ZodObject): ConfigRecord {
  const out: ConfigRecord = {};
  for (const [key, field] of Object.entries(schema.shape)) {
    const parsed = (field as z.ZodType).safeParse(undefined);
    if (parsed.success && parsed.data !== undefined) out[key] = parsed.data;
  }
  return out;
}
