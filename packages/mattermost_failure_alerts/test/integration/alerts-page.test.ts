/// <reference lib="dom" />
// The failure alerts' installation page in headless Chromium (Debian's, via playwright-core) on a
// desktop and a 390 px phone, against the real app, Postgres, Temporal, worker and the Mattermost
// fake: not connected (failures kept, said so), Connect (the core's connection card), failures waiting for their window, a
// validation error in words, quiet hours that hold the alert (in the installation's zone), then an
// alert posted and shown with what it said, its failures and how many were only counted; filters
// saved and shown after a reload; a member sees the settings disabled with the reason. Every state
// is screenshotted, checked for sideways overflow and accessibility, and no request leaves loopback.
import request from 'supertest';
import { z } from 'zod';
import type { Page } from 'playwright-core';
import { formatLocalDateTime } from '../../../../lib/schedule/zoned-clock';
import { withTenant } from '../../../../lib/db/with-tenant';
import { guardNetwork, horizontalOverflow, screenshot } from '../../../../test/helpers/browser';
import { signInOnPage, useAppInBrowser, useViewportPage, VIEWPORTS } from '../../../../test/helpers/browser-suite';
import { createTestTenant, waitFor, type TestTenant } from '../../../../test/helpers/db';
import { createTestUser } from '../../../../test/helpers/session';
import { FAILURE_ALERTS_SLUG } from '../../alert-types';
import { ZFailureAlert } from '../../openapi';
import { alertsAt, auth, ingest, openAlertsStack } from './alerts-stack';

jest.setTimeout(180_000);

const ZONE = 'Asia/Tokyo';

describe('failure alerts installation page', () => {
  // The real 2–30 minute window at first (the page says when the alert goes out); a test step
  // turns it to 0 so the alert posts without waiting minutes. Worker and API share these settings.
  const suite = useAppInBrowser(() => openAlertsStack({ commitGraceMs: 500 }));

  async function installed(tenant: TestTenant): Promise<string> {
    const s = suite.stack;
    const res = await request(s.app)
      .post(`/api/tenants/${tenant.slug}/installations`)
      .set(auth(tenant))
      .send({ package_slug: FAILURE_ALERTS_SLUG, config: { channel: 'ops', window_minutes: 2, max_lines: 3, timezone: ZONE } });
    expect(res.status).toBe(202);
    const id = res.body.installation.id as string;
    await waitFor(async () => (await withTenant(s.handle.db, tenant.id, (tx) => tx.installation.findUnique({ where: { id } })))?.status === 'installed');
    return id;
  }

  async function signIn(page: Page, tenant: TestTenant, role: 'owner' | 'member', name: string) {
    const user = await createTestUser(suite.stack.handle, { memberships: [{ tenantId: tenant.id, role }], name });
    await signInOnPage(page, suite.server.url, user);
  }

  const text = async (page: Page, selector: string) => ((await page.textContent(selector)) ?? '').replace(/\s+/g, ' ').trim();
  const outlookMatches = (page: Page, pattern: RegExp) =>
    page.waitForFunction((source) => new RegExp(source).test(document.querySelector('#alert-outlook')?.textContent ?? ''), pattern.source, { timeout: 30_000 });

  describe.each(VIEWPORTS)('$name', (viewport) => {
    beforeAll(() => {
      suite.stack.fake.reset();
      suite.stack.options.windowOverrideMs = undefined;
    });
    const view = useViewportPage(suite, viewport, 'alerts');

    it('from not connected to a posted alert, with every control', async () => {
      const { stack: s, server, browser } = suite;
      const { page, guard, errors, check, shotName } = view;
      const tenant = await createTestTenant(s.handle, `fa-ui-${viewport.name}`);
      const installationId = await installed(tenant);
      await ingest(
        s,
        tenant,
        [1, 2, 3, 4, 5].map((i) => ({ source: i === 5 ? 'marketing-bot' : 'billing-bot', error: `nightly export ${i} failed` })),
      );
      await signIn(page, tenant, 'owner', 'Ops Owner');

      // 1. Not connected: said so, with the form to connect; the failures are kept.
      await page.goto(`${server.url}/installations/${installationId}`);
      await outlookMatches(page, /not connected/);
      expect(await text(page, '#alert-outlook')).toBe(
        'Not posting: Mattermost is not connected. Failures are kept and go into the first alert once you connect.',
      );
      expect(await text(page, 'h1')).toBe('Mattermost Failure Alerts');
      expect(await page.isVisible('#connect-form')).toBe(true);
      expect(await text(page, '#recent-alerts-body')).toBe('No alert yet. The first failure that passes the filters opens a window.');
      // The settings show the stored config.
      expect(await page.inputValue('#window_minutes')).toBe('2');
      expect(await page.inputValue('#timezone')).toBe(ZONE);
      expect(await page.isChecked('#quiet_on')).toBe(false);
      expect(await page.isDisabled('#quiet_start')).toBe(true);
      await check('not-connected');

      // 2. Connect (a webhook on #ops, with a test post): the failures that waited now wait for their window.
      await page.fill('#webhook_url', s.fake.hookUrl(s.fake.createHook({ channel: 'ops' })));
      await page.click('#connect-button');
      // The core's connection card, as on the digest's page: the facts, Reconnect, and that it is the organisation's connection.
      await page.waitForSelector('#credential-facts');
      expect(await text(page, '#connect-message')).toBe('Connected. A test post was sent to Mattermost. Failures that waited go into the next alert.');
      expect(await text(page, '#connect-button')).toBe('Reconnect Mattermost');
      expect(await page.inputValue('#webhook_url')).toBe('');
      expect(await text(page, '#connection-scope')).toMatch(/^Your organisation’s connection: connecting here changes it for every package\./);
      expect(await page.getAttribute('#manage-connections', 'href')).toBe('/integrations'); // managed there too
      await outlookMatches(page, /waiting/);
      expect(await text(page, '#alert-outlook')).toMatch(
        /^5 failures waiting: the alert goes out at \d\d:\d\d \(Asia\/Tokyo\), when the 2-minute window that opened at \d\d:\d\d closes\.$/,
      );
      await check('waiting-for-window');

      // 3. A bad value: the sentence sits next to its field, nothing is saved.
      await page.fill('#window_minutes', '45');
      await page.click('#save-settings');
      await page.waitForSelector('#window_minutes[aria-invalid=true]');
      expect(await text(page, '#settings-message')).toBe('Some settings need fixing (see below).');
      expect(await text(page, '.field-error')).toBe('Window (minutes) must be 2–30 minutes.');
      await check('validation');

      // 4. Quiet hours around now in Tokyo: the alert is held until they end, said in Tokyo time.
      const now = Date.now();
      const hhmm = (ms: number) => formatLocalDateTime(ms, ZONE).slice(11, 16);
      await page.fill('#window_minutes', '2');
      await page.check('#quiet_on');
      expect(await page.isDisabled('#quiet_start')).toBe(false);
      await page.fill('#quiet_start', hhmm(now - 3_600_000));
      await page.fill('#quiet_end', hhmm(now + 3_600_000));
      await page.click('#save-settings');
      await page.waitForFunction(() => /Saved/.test(document.querySelector('#settings-message')?.textContent ?? ''));
      await outlookMatches(page, /quiet hours/);
      expect(await text(page, '#alert-outlook')).toBe(
        `5 failures waiting: held by quiet hours until ${hhmm(now + 3_600_000)} (Asia/Tokyo); they go into the first alert after.`,
      );
      await check('held-by-quiet-hours');

      // 5. Quiet hours off and (for the test) a 0-minute window: the alert goes out and is listed
      //    with what it said, how many failures, and how many were only counted.
      s.options.windowOverrideMs = 0;
      await page.uncheck('#quiet_on');
      await page.click('#save-settings');
      await waitFor(async () => alertsAt(s).length === 1, 30_000);
      const posted = alertsAt(s)[0];
      expect(posted.text).toContain('**5 failures**');
      expect(posted.text).toContain('… and 2 more suppressed');
      await page.waitForSelector('#recent-alerts-body tbody tr');
      await outlookMatches(page, /Watching for failures/);
      const row = page.locator('#recent-alerts-body tbody tr').first();
      const cells = (await row.locator('td').allTextContents()).map((c) => c.replace(/\s+/g, ' ').trim());
      expect(cells[2]).toBe('posted');
      expect(cells[3]).toBe('5');
      expect(cells[4]).toBe('2');
      expect(cells[5]).toBe('held by quiet hours');
      expect(cells[6]).toBe('ops');
      await row.locator('summary').click();
      // As Mattermost shows it (Markdown rendered): the same lines as the message the fake received.
      const shown = await text(page, '#recent-alerts-body .mm-message');
      for (const line of ['5 failures between', 'Held during quiet hours; posted now that they are over.', '… and 2 more suppressed'])
        expect(shown).toContain(line);
      expect(shown.match(/nightly export \d failed/g)).toHaveLength(3); // max_lines 3 of the 5 (one batch: no order among them)
      expect(await text(page, '#last-posted')).not.toBe('never');
      // The API answers as its OpenAPI schema says, on real data.
      const listed = await request(s.app).get(`/api/tenants/${tenant.slug}/installations/${installationId}/alerts`).set(auth(tenant, 'member'));
      expect(listed.status).toBe(200);
      expect(z.array(ZFailureAlert).parse(listed.body.items)[0]).toMatchObject({
        status: 'succeeded',
        failures: 5,
        listed: 3,
        suppressed: 2,
        held_by: 'quiet_hours',
      });
      await check('posted');

      // 6. Filters: one type off, sources by prefix; saved, and shown so after a reload.
      await page.uncheck('#type-3');
      await page.fill('#sources', 'billing-*\netl');
      await page.fill('#max_alerts_per_hour', '12');
      await page.click('#save-settings');
      await page.waitForFunction(() => /Saved/.test(document.querySelector('#settings-message')?.textContent ?? ''));
      const stored = await withTenant(s.handle.db, tenant.id, (tx) => tx.installation.findUniqueOrThrow({ where: { id: installationId } }));
      expect(stored.config).toMatchObject({
        sources: ['billing-*', 'etl'],
        max_alerts_per_hour: 12,
        quiet_hours: null,
        signal_types: ['agent.execution.failed', 'workflow.run.failed', 'package.install.failed'],
      });
      await page.reload();
      await page.waitForSelector('#recent-alerts-body tbody tr');
      expect(await page.inputValue('#sources')).toBe('billing-*\netl');
      expect(await page.isChecked('#type-3')).toBe(false);
      expect(await page.inputValue('#max_alerts_per_hour')).toBe('12');
      await check('filters-saved');

      // 7. A member sees everything, changes nothing: the settings are disabled and say why.
      const memberContext = await browser.newContext({ viewport: { width: viewport.width, height: viewport.height } });
      const memberGuard = await guardNetwork(memberContext);
      const memberPage = await memberContext.newPage();
      await signIn(memberPage, tenant, 'member', 'Ops Member');
      await memberPage.goto(`${server.url}/installations/${installationId}`);
      await memberPage.waitForSelector('#recent-alerts-body tbody tr');
      for (const control of ['#enabled', '#window_minutes', '#sources', '#save-settings']) expect(await memberPage.isDisabled(control)).toBe(true);
      expect(await text(memberPage, '#settings-disabled-reason')).toBe('Only owners and admins can change these settings.');
      await screenshot(memberPage, shotName('member'));
      expect(await horizontalOverflow(memberPage)).toEqual({ overflow: 0, culprits: [] });
      await memberContext.close();
      expect(memberGuard.outside).toEqual([]);

      expect(guard.outside).toEqual([]);
      expect(errors).toEqual([]);
    });
  });
});
