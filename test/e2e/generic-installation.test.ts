/// <reference lib="dom" />
// The installation page of a package without a UI section of its own (no ui_section in its
// manifest) in headless Chromium on a desktop and a 390 px phone, against the real app, Postgres,
// Temporal and worker: a minimal package registered beside the shipped ones is installed through
// the API, and the core's generic page shows what is true of it — status, version, the install
// progress from its directive, the configuration as stored (named by the manifest's JSON Schema),
// the integration it needs — offers Uninstall (asked first) and no control the platform cannot
// carry out (no connect form, settings form or Run now). Every state is screenshotted, checked for
// sideways overflow and accessibility, and no request leaves loopback.
import request from 'supertest';
import { z } from 'zod';
import type { Db } from '../../lib/db/client';
import { withTenant } from '../../lib/db/with-tenant';
import { configSchemaWithDefaults } from '../../lib/packages/config-schema';
import { seedRegistry } from '../../lib/seed/seed-registry';
import type { PackageModule } from '../../packages/module';
import { defaultPackageCatalog, PACKAGE_MODULES } from '../../packages/registry';
import { signInOnPage, useAppInBrowser, useViewportPage, VIEWPORTS } from '../helpers/browser-suite';
import { createTestTenant, waitFor } from '../helpers/db';
import { auth, openDigestStack } from '../helpers/digest-stack';
import { createTestUser } from '../helpers/session';

jest.setTimeout(120_000);

const PROBE_SLUG = 'generic_probe';

/** A package with a definition only: no section, routes, activities or provisioning of its own. */
const probePackage: PackageModule = {
  definition: {
    identity: {
      slug: PROBE_SLUG,
      name: 'Generic Probe',
      description: 'Counts nothing; it exists to be installed.',
      category: 'operations',
      publisher: 'FleetPrompt tests',
    },
    versions: [
      {
        version: '1.0.0',
        changelog: ['First release.'],
        configSchema: configSchemaWithDefaults(
          {
            greeting: z.string().max(40).meta({ title: 'Greeting', description: 'What it would say.' }),
            loud: z.boolean().meta({ title: 'Loud' }),
            tags: z.array(z.string()).max(5),
            note: z.string().nullable(),
          },
          { greeting: 'hello', loud: false, tags: [], note: null },
        ),
        provides: { workflow_templates: [], agent_templates: [] },
        consumes: [],
        emits: [],
        requiredIntegrations: [{ provider: 'mattermost', kinds: ['webhook'], actions: ['post_message'], purpose: 'Would post to a channel.' }],
      },
    ],
  },
};

describe('installation page of a package without a section', () => {
  const modules = [...PACKAGE_MODULES, probePackage];
  // The probe is published in the registry (as the shipped packages are at start) for this file
  // only: its rows go afterwards, so other files' marketplaces list the shipped packages alone.
  // (Declared before the suite: afterAll hooks run in declaration order, and the stack must be open.)
  let stack: { handle: { db: Db } } | undefined;
  afterAll(async () => {
    await stack?.handle.db.package.deleteMany({ where: { slug: PROBE_SLUG } });
  });
  const suite = useAppInBrowser(async () => {
    const s = await openDigestStack({ appOverrides: { packageModules: modules }, activityOverrides: { packages: modules } });
    await seedRegistry(s.handle.db, defaultPackageCatalog(modules));
    stack = s;
    return s;
  });

  describe.each(VIEWPORTS)('$name', (viewport) => {
    const view = useViewportPage(suite, viewport, 'generic');

    it('shows the real state, installs and uninstalls, and offers nothing that does nothing', async () => {
      const { stack: s, server } = suite;
      const { page, guard, errors, check } = view;
      const tenant = await createTestTenant(s.handle, `generic-${viewport.name}`);
      const user = await createTestUser(s.handle, { memberships: [{ tenantId: tenant.id, role: 'owner' }], name: 'Gene Ric' });
      const res = await request(s.app)
        .post(`/api/tenants/${tenant.slug}/installations`)
        .set(auth(tenant))
        .send({ package_slug: PROBE_SLUG, config: { greeting: 'good morning', tags: ['a', 'b'] } });
      expect(res.status).toBe(202);
      const id = res.body.installation.id as string;
      const status = async () => (await withTenant(s.handle.db, tenant.id, (tx) => tx.installation.findUniqueOrThrow({ where: { id } }))).status;
      await waitFor(async () => (await status()) === 'installed', 30_000);

      await signInOnPage(page, server.url, user);
      await page.goto(`${server.url}/installations/${id}`);
      await page.waitForSelector('#config-facts');
      const text = async (selector: string) => ((await page.textContent(selector)) ?? '').replace(/\s+/g, ' ').trim();
      expect(await text('h1')).toBe('Generic Probe');
      expect(await text('#lede')).toContain('Version 1.0.0 in');
      expect(await text('#installation-status')).toBe('installed');
      // The install's own directive, step by step.
      await page.waitForSelector('#lifecycle li[data-signal="package.install.completed"].done');
      // The configuration as stored, named by the manifest's JSON Schema (a key the schema does not title shows as itself), by name.
      const facts = await page.$$eval('#config-facts dt', (dts) => dts.map((d) => d.textContent));
      expect(facts).toEqual(['Greeting', 'Loud', 'note', 'tags']);
      expect(await text('#config-facts dd[data-key="greeting"] > span')).toBe('good morning');
      expect(await text('#config-facts dd[data-key="greeting"] > .hint')).toBe('What it would say.');
      expect(await text('#config-facts dd[data-key="loud"]')).toBe('no');
      expect(await text('#config-facts dd[data-key="tags"]')).toBe('a, b');
      expect(await text('#config-facts dd[data-key="note"]')).toBe('not set');
      // The integration it needs, and that the organisation has not connected it (managed on Connections).
      expect(await text('#integrations-body')).toContain('Would post to a channel.');
      expect(await text('#integrations-body')).toContain('not connected');
      // No control the platform cannot carry out for a package without a section.
      for (const absent of ['#connect-form', '#settings-form', '#run-now', 'form']) expect(await page.$(absent)).toBeNull();
      await check('installed');

      // Uninstall asks first (dismiss: nothing happens), then goes; the page follows it.
      page.once('dialog', (d) => void d.dismiss());
      await page.click('#uninstall-button');
      expect(await status()).toBe('installed');
      page.once('dialog', (d) => void d.accept());
      await page.click('#uninstall-button');
      await waitFor(async () => (await status()) === 'uninstalled', 30_000);
      await page.waitForSelector('#page-message .callout.warn', { timeout: 15_000 });
      expect(await text('#installation-status')).toBe('uninstalled');
      expect(await page.$('#uninstall-button')).toBeNull();
      await check('uninstalled');

      expect(guard.outside).toEqual([]);
      expect(errors).toEqual([]);
    });
  });
});
