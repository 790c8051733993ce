// The package contract: manifests are generated from the zod config schemas (so schema, defaults
// and manifest cannot disagree), configs are validated per version, and upgrades follow only the
// migrations a package declares. On the packages the registry lists and a fake one; each
// package's own versions and migrations are its tests' (e.g. packages/<slug>/test/unit/).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { createPackageCatalog, migrateConfig, versionDefaults } from '../../../lib/packages/catalog';
import { configSchemaWithDefaults } from '../../../lib/packages/config-schema';
import type { PackageDefinition } from '../../../lib/packages/contract';
import { ZPackageManifest } from '../../../lib/packages/manifest';
import { defaultPackageCatalog, PACKAGE_MODULES } from '../../../packages/registry';

function fakePackage(withDowngrade: boolean): PackageDefinition {
  const v1 = configSchemaWithDefaults({ channel: z.string().nullable(), window_minutes: z.number().int() }, { channel: null, window_minutes: 5 });
  const v2 = configSchemaWithDefaults({ channel: z.string().nullable(), window_seconds: z.number().int() }, { channel: null, window_seconds: 300 });
  const v3 = configSchemaWithDefaults(
    { channel: z.string().nullable(), window_seconds: z.number().int(), quiet: z.boolean() },
    { channel: null, window_seconds: 300, quiet: false },
  );
  const base = { changelog: ['x'], provides: { workflow_templates: [], agent_templates: [] }, consumes: [], emits: [], requiredIntegrations: [] };
  return {
    identity: { slug: 'fake_pkg', name: 'Fake', description: 'A fake package', category: 'testing', publisher: 'Tests' },
    versions: [
      {
        ...base,
        version: '1.0.0',
        configSchema: v1,
        migrations: withDowngrade
          ? { '2.0.0': ({ window_seconds, ...rest }) => ({ ...rest, window_minutes: Math.round(Number(window_seconds) / 60) }) }
          : undefined,
      },
      {
        ...base,
        version: '2.0.0',
        configSchema: v2,
        migrations: { '1.0.0': ({ window_minutes, ...rest }) => ({ ...rest, window_seconds: Number(window_minutes) * 60 }) },
      },
      { ...base, version: '2.1.0', configSchema: v3, migrations: { '2.0.0': (c) => ({ ...c, quiet: false }) } },
    ],
  };
}

describe('package catalogue', () => {
  const catalog = defaultPackageCatalog();

  it('publishes a valid manifest for every version of every listed package', () => {
    const manifests = catalog.manifests();
    expect(manifests.length).toBeGreaterThanOrEqual(PACKAGE_MODULES.length);
    for (const m of manifests) expect(ZPackageManifest.safeParse(m).success).toBe(true);
    for (const m of PACKAGE_MODULES) expect(manifests.filter((x) => x.slug === m.definition.identity.slug)).toHaveLength(m.definition.versions.length);
  });

  it('generates config_schema from the zod schema: its defaults are exactly the installation defaults', () => {
    for (const def of catalog.definitions) {
      for (const v of def.versions) {
        const manifest = catalog.manifests().find((m) => m.slug === def.identity.slug && m.version === v.version)!;
        const props = manifest.config_schema.properties as Record<string, { default?: unknown }>;
        expect(Object.keys(props).sort()).toEqual(Object.keys(v.configSchema.shape).sort());
        const fromSchema = Object.fromEntries(
          Object.entries(props)
            .filter(([, p]) => 'default' in p)
            .map(([k, p]) => [k, p.default]),
        );
        expect(fromSchema).toEqual(versionDefaults(v));
        expect(manifest.config_schema.additionalProperties).toBe(false);
      }
    }
  });

  it('validates an initial config against the chosen version: subsets pass, unknown or bad fields fail with paths', () => {
    const fake = createPackageCatalog([fakePackage(false)]);
    expect(fake.parseConfigPatch('fake_pkg', '1.0.0', { window_minutes: 7 })).toEqual({ window_minutes: 7 });
    expect(() => fake.parseConfigPatch('fake_pkg', '1.0.0', { webhook: 'x' })).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    try {
      fake.parseConfigPatch('fake_pkg', '1.0.0', { window_minutes: 'many' });
      throw new Error('expected a failure');
    } catch (err) {
      expect((err as { details: { path: string }[] }).details[0].path).toBe('config.window_minutes');
    }
    expect(() => fake.parseConfigPatch('fake_pkg', '9.9.9', {})).toThrow(expect.objectContaining({ code: 'PACKAGE_NOT_FOUND' }));
    expect(() => catalog.get('nope')).toThrow(expect.objectContaining({ code: 'PACKAGE_NOT_FOUND' }));
  });

  it('the newest version is chosen by semver, not by list order', () => {
    const fake = createPackageCatalog([{ ...fakePackage(false), versions: [...fakePackage(false).versions].reverse() }]);
    expect(fake.latestVersion('fake_pkg').version).toBe('2.1.0');
  });

  it('chains declared migrations, and allows a downgrade only when the package declares it', () => {
    const refused = createPackageCatalog([fakePackage(false)]);
    const plan = refused.upgradePlan('fake_pkg', '1.0.0', '2.1.0');
    expect(plan.steps.map((s) => `${s.from}->${s.to}`)).toEqual(['1.0.0->2.0.0', '2.0.0->2.1.0']);
    expect(migrateConfig(plan, { channel: 'c', window_minutes: 7 })).toEqual({ channel: 'c', window_seconds: 420, quiet: false });
    expect(() => refused.upgradePlan('fake_pkg', '2.0.0', '1.0.0')).toThrow(/declares no downgrade/);
    const allowed = createPackageCatalog([fakePackage(true)]);
    const down = allowed.upgradePlan('fake_pkg', '2.0.0', '1.0.0');
    expect(down.downgrade).toBe(true);
    expect(migrateConfig(down, { channel: null, window_seconds: 600 })).toEqual({ channel: null, window_minutes: 10 });
  });

  it('refuses a registry that lists a package twice', () => {
    expect(() => createPackageCatalog([fakePackage(false), fakePackage(true)])).toThrow(/listed twice/);
  });

  it('the platform core names no package', () => {
    // The core: lib/, the platform's activities/, api/ and workflows/. It may use packages/module.ts,
    // packages/registry.ts and packages/workflows.ts (the contract and the one list), never a
    // package's own folder or slug. What still does is listed here with the reason; nothing else may.
    const root = path.resolve(__dirname, '../../..');
    const slugs = readdirSync(path.join(root, 'packages'), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
    // Every registered package has its folder (and so is searched for); true with one removed too.
    expect(slugs.length).toBeGreaterThan(0);
    expect(slugs).toEqual(expect.arrayContaining(PACKAGE_MODULES.map((m) => m.definition.identity.slug)));
    const names = new RegExp(`${slugs.join('|')}|packages/(${slugs.join('|')})|digest-config`);
    const stillNaming: Record<string, string> = {
      'lib/signals/catalogue.ts': "the one signal catalogue holds every package's signal types (a comment names the alerts' folder)",
    };
    const files = (dir: string): string[] =>
      readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((d) =>
        d.isDirectory() ? (d.name === 'generated' ? [] : files(`${dir}/${d.name}`)) : d.name.endsWith('.ts') ? [`${dir}/${d.name}`] : [],
      );
    const core = ['lib', 'activities', 'api', 'workflows'].flatMap(files);
    expect(core.length).toBeGreaterThan(100);
    const naming = core.filter((file) => names.test(readFileSync(path.join(root, file), 'utf8')));
    expect(naming.filter((file) => !(file in stillNaming))).toEqual([]);
  });
});
