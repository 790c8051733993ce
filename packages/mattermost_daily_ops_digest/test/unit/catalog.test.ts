// The digest in the package catalogue (lib/packages/catalog.ts): its two versions, the credential
// reference optional in schema and manifest alike, a config validated per version, and the
// declared migration 1.0.0 → 1.1.0 (no downgrade).
import { migrateConfig } from '../../../../lib/packages/catalog';
import { defaultPackageCatalog } from '../../../registry';
import { DIGEST_PACKAGE_SLUG as DIGEST } from '../../definition';

describe('the digest in the package catalogue', () => {
  const catalog = defaultPackageCatalog();

  it('publishes a manifest for each of its versions', () => {
    expect(
      catalog
        .manifests()
        .filter((m) => m.slug === DIGEST)
        .map((m) => m.version),
    ).toEqual(['1.0.0', '1.1.0']);
    expect(catalog.latestVersion(DIGEST).version).toBe('1.1.0');
  });

  it('no longer disagrees about the credential reference: optional and nullable in schema and manifest alike', () => {
    const m = catalog.manifests().find((x) => x.slug === DIGEST && x.version === '1.0.0')!;
    expect((m.config_schema.required as string[] | undefined) ?? []).not.toContain('mattermost_credential_id');
    expect(catalog.parseConfig(DIGEST, '1.0.0', {}).mattermost_credential_id).toBeNull();
  });

  it('validates an initial config against the chosen version: subsets pass, unknown or bad fields fail with paths', () => {
    expect(catalog.parseConfigPatch(DIGEST, '1.0.0', { timezone: 'Europe/Berlin' })).toEqual({ timezone: 'Europe/Berlin' });
    expect(() => catalog.parseConfigPatch(DIGEST, '1.0.0', { webhook: 'x' })).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    try {
      catalog.parseConfigPatch(DIGEST, '1.0.0', { max_lines: 2 });
      throw new Error('expected a failure');
    } catch (err) {
      expect((err as { details: { path: string }[] }).details[0].path).toBe('config.max_lines');
    }
    expect(() => catalog.parseConfigPatch(DIGEST, '9.9.9', {})).toThrow(expect.objectContaining({ code: 'PACKAGE_NOT_FOUND' }));
    expect(() => catalog.get('nope')).toThrow(expect.objectContaining({ code: 'PACKAGE_NOT_FOUND' }));
  });

  it('upgrades the digest 1.0.0 → 1.1.0 keeping every setting and filling the new ones from defaults', () => {
    const plan = catalog.upgradePlan(DIGEST, '1.0.0', '1.1.0');
    const old = catalog.storedConfig(DIGEST, '1.0.0', { timezone: 'Europe/Berlin', schedule_time: '07:30', max_lines: 12, channel: 'ops' });
    const migrated = migrateConfig(plan, old);
    expect(migrated).toMatchObject({ timezone: 'Europe/Berlin', schedule_time: '07:30', max_lines: 12, channel: 'ops' });
    expect(Object.keys(migrated).sort()).toEqual(Object.keys(plan.to.configSchema.shape).sort());
    expect(() => catalog.upgradePlan(DIGEST, '1.1.0', '1.0.0')).toThrow(expect.objectContaining({ code: 'INVALID_STATE' }));
    expect(() => catalog.upgradePlan(DIGEST, '1.1.0', '1.1.0')).toThrow(expect.objectContaining({ code: 'INVALID_STATE' }));
  });
});
