/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The whole journey in headless Chromium, against the real app, Postgres, Temporal (with a
// worker) and the Mattermost fake: sign in → install (double click) → connect a webhook with a
// test post → configure → Run now → the message arrives and the run succeeds → the webhook is
// deleted in Mattermost → the error, its kind and hint → Reconnect → Retry → the support view's
// timeline. Each key page is screenshotted to test-artifacts/screenshots/ and checked for
// accessibility; no page ever shows the webhook URL.
import type { Browser, Page } from 'playwright-core';
import { withTenant } from '../../../../lib/db/with-tenant';
import { DIGEST_PACKAGE_SLUG } from '../../definition';
import { accessibilityProblems, horizontalOverflow, keyboardProblems, launchBrowser, listen, screenshot } from '../../../../test/helpers/browser';
import { createTestTenant, type TestTenant } from '../../../../test/helpers/db';
import { openDigestStack, postsWithMarker, type DigestStack } from '../../../../test/helpers/digest-stack';
import { createTestUser, type TestUser } from '../../../../test/helpers/session';

jest.setTimeout(90_000);

describe('browser journey: install → connect → run → break → reconnect → retry', () => {
  let s: DigestStack;
  let server: { url: string; close(): Promise<void> };
  let browser: Browser;
  let tenant: TestTenant;
  let user: TestUser;

  beforeAll(async () => {
    const started = Date.now();
    [s, browser] = await Promise.all([openDigestStack(), launchBrowser()]);
    if (process.env.E2E_TIMINGS) console.log(`stack and browser: ${Date.now() - started} ms`);
    server = await listen(s.app);
    tenant = await createTestTenant(s.handle, 'e2e');
    user = await createTestUser(s.handle, { memberships: [{ tenantId: tenant.id, role: 'owner' }], name: 'Dana Ops' });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await s?.close();
  });

  /** Nothing the page shows or holds in a field may contain a webhook secret. */
  async function expectNoSecret(page: Page, ...secrets: string[]) {
    const seen = await page.evaluate(() =>
      [document.documentElement.outerHTML, document.body.innerText, ...[...document.querySelectorAll('input')].map((i) => i.value)].join('\n'),
    );
    for (const secret of secrets) expect(seen).not.toContain(secret);
  }

  async function expectAccessible(page: Page) {
    expect(await accessibilityProblems(page)).toEqual([]);
  }

  it('a person can do the whole thing in the browser', async () => {
    const timings: string[] = [];
    let last = Date.now();
    const step = (name: string) => {
      timings.push(`${name}: ${Date.now() - last} ms`);
      last = Date.now();
    };
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && !/Failed to load resource/.test(m.text()) && errors.push(m.text()));

    step('to step 1');
    // 1. Sign in, by keyboard.
    await page.goto(`${server.url}/marketplace`);
    await page.waitForURL(/\/login\?next=%2Fmarketplace$/);
    await page.waitForSelector('#email');
    const keys = await keyboardProblems(page, 4);
    expect(keys.problems).toEqual([]);
    expect(keys.visited.slice(0, 2)).toEqual(['a "Skip to main content"', 'a "FleetPrompt"']);
    await expectAccessible(page);
    await screenshot(page, '01-login');
    await page.focus('#email');
    await page.keyboard.type(user.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(user.password);
    await page.keyboard.press('Enter');

    step('to step 2');
    // 2. Marketplace → package detail.
    await page.waitForURL(/\/marketplace$/);
    await page.waitForSelector('.package-card');
    await expectAccessible(page);
    await screenshot(page, '02-marketplace');
    await page.click('text=Mattermost Daily Ops Digest');
    await page.waitForURL(/\/packages\/mattermost_daily_ops_digest$/);
    await page.waitForSelector('#install-button');
    await expectAccessible(page);
    await screenshot(page, '03-package');

    step('to step 3');
    // 3. Install, with a double click: one directive, one installation.
    await page.dblclick('#install-button');
    await page.waitForURL(/\/installations\/[0-9a-f-]{36}$/);
    const installationId = page.url().split('/').pop()!;
    await page.waitForSelector('#lifecycle');
    await screenshot(page, '04-installing');
    await page.waitForSelector('#lifecycle li[data-signal="package.install.completed"].done', { timeout: 30_000 });
    const directives = await withTenant(s.handle.db, tenant.id, (tx) => tx.directive.findMany({ where: { type: 'package.install' } }));
    const installations = await withTenant(s.handle.db, tenant.id, (tx) => tx.installation.findMany({ where: { packageSlug: DIGEST_PACKAGE_SLUG } }));
    expect(directives).toHaveLength(1);
    expect(installations.map((i) => i.id)).toEqual([installationId]);
    const steps = await page.$$eval('#lifecycle li', (lis) => lis.map((li) => `${li.getAttribute('data-signal')}:${li.className}`));
    expect(steps).toEqual(['package.install.requested:done', 'package.install.started:done', 'package.install.completed:done']);
    expect(await page.getAttribute('#install-progress a.temporal-link', 'href')).toMatch(
      /^http:\/\/127\.0\.0\.1:8233\/namespaces\/default\/workflows\/dir%3Apkg_install/,
    );

    step('to step 4');
    // 4. Connect Mattermost with a webhook and a test post.
    await page.waitForSelector('#connect-button:not([disabled])');
    const hookId = s.fake.createHook({ channel: 'town-square' });
    const hookUrl = s.fake.hookUrl(hookId);
    await page.fill('#webhook_url', hookUrl);
    expect(await page.isChecked('#verify')).toBe(true);
    await page.click('#connect-button');
    await page.waitForSelector('#connect-message .callout.ok');
    expect(await page.textContent('#connect-message')).toContain('A test post was sent');
    expect(s.fake.received()).toHaveLength(1); // the test post
    await page.waitForSelector('#credential-facts');
    expect(await page.textContent('#connect-button')).toBe('Reconnect Mattermost');
    await expectNoSecret(page, hookUrl, hookId);
    await expectAccessible(page);
    await screenshot(page, '05-connected');

    step('to step 5');
    // 5. Configure: channel, time, time zone, an option; the schedule follows.
    await page.fill('#channel', 'town-square');
    await page.fill('#schedule_time', '07:30');
    await page.fill('#timezone', 'Europe/Berlin');
    // No LLM provider in this stack: the summary toggle is disabled, with its reason.
    expect(await page.isDisabled('#include_llm_summary')).toBe(true);
    expect(await page.textContent('#llm-summary-hint')).toMatch(/^Not available: /);
    expect(await page.isChecked('#enabled')).toBe(true);
    await page.click('#save-settings');
    await page.waitForSelector('#settings-message .callout.ok');
    expect(await page.textContent('#settings-message')).toMatch(/Next digest: [A-Z][a-z]{2} \d{1,2}, \d{4}, 07:30 \(Europe\/Berlin\)/);
    const saved = await withTenant(s.handle.db, tenant.id, (tx) => tx.installation.findUniqueOrThrow({ where: { id: installationId } }));
    expect(saved.config).toMatchObject({
      channel: 'town-square',
      schedule_time: '07:30',
      timezone: 'Europe/Berlin',
      include_llm_summary: false,
      enabled: true,
    });
    await page.waitForSelector('#next-runs li');
    await screenshot(page, '06-configured');

    step('to step 6');
    // 6. Run now: the quota goes down, the message arrives, the run succeeds.
    expect(await page.textContent('#quota')).toBe('3 of 3 manual runs left this hour.');
    await page.click('#run-now');
    await page.waitForSelector('#run-message .callout.ok', { timeout: 30_000 });
    expect(await page.textContent('#run-message')).toContain('The run succeeded');
    expect(await page.textContent('#quota')).toBe('2 of 3 manual runs left this hour.');
    expect(postsWithMarker(s.fake)).toHaveLength(1);
    expect(postsWithMarker(s.fake)[0].channelName).toBe('town-square');
    await page.waitForSelector('#last-post time');
    expect(await page.textContent('#runs-body tbody tr:first-child')).toContain('succeeded');
    await screenshot(page, '07-run-succeeded');

    step('to step 7');
    // 7. The webhook is deleted in Mattermost: the next run fails; the page says why and what to do.
    s.fake.deleteHook(hookId);
    await page.click('#run-now');
    await page.waitForSelector('#last-error', { timeout: 30_000 });
    await page.waitForSelector('#run-message .callout.err');
    expect(await page.textContent('#last-error')).toContain('Authentication');
    // The code-specific hint (INVALID_WEBHOOK), the same one the connect form gives.
    expect(await page.textContent('#last-error-hint')).toMatch(/no longer knows this webhook.*Create a new incoming webhook and Reconnect/);
    await page.waitForSelector('#reconnect-callout');
    expect(await page.isVisible('#retry-last')).toBe(true);
    expect(await page.textContent('#quota')).toBe('1 of 3 manual runs left this hour.');
    await expectAccessible(page);
    await screenshot(page, '08-error-and-hint');

    step('to step 8');
    // 8. Reconnect with a new webhook (the "Reconnect" button takes the keyboard focus there).
    await page.click('#goto-reconnect');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('webhook_url');
    const hook2 = s.fake.createHook({ channel: 'town-square' });
    const hook2Url = s.fake.hookUrl(hook2);
    await page.keyboard.type(hook2Url);
    await page.click('#connect-button');
    await page.waitForSelector('#connect-message .callout.ok');
    await page.waitForSelector('#no-error');
    await expectNoSecret(page, hookUrl, hookId, hook2Url, hook2);
    await screenshot(page, '09-reconnected');

    step('to step 9');
    // 9. Retry the failed run from the runs table: it posts through the new webhook.
    const failed = await withTenant(s.handle.db, tenant.id, (tx) => tx.execution.findFirstOrThrow({ where: { installationId, status: 'failed' } }));
    await page.click(`#retry-${failed.id}`);
    await page.waitForSelector('#run-message .callout.ok', { timeout: 30_000 });
    expect(await page.textContent('#run-message')).toContain('The run succeeded');
    expect(await page.textContent('#quota')).toMatch(/^No manual runs left this hour/);
    expect(await page.isDisabled('#run-now')).toBe(true);
    const posts = postsWithMarker(s.fake);
    expect(posts).toHaveLength(2);
    expect(posts[1].hookId).toBe(hook2);
    await screenshot(page, '10-retried');

    step('to step 10');
    // 10. Support view: the failed run's timeline, from the runs table's "What happened?" link.
    await page.click(`tr[data-execution-id="${failed.id}"] >> text=What happened?`);
    await page.waitForURL(/\/admin\?correlation=/);
    await page.waitForSelector('#timeline-events li');
    const timeline = await page.textContent('#timeline-events');
    expect(timeline).toContain('mattermost.message.failed');
    expect(timeline).toContain('Retry run requested');
    expect(timeline).toContain('mattermost.message.posted');
    const temporalLinks = await page.$$eval('#timeline-result a.temporal-link', (as) => as.map((a) => a.getAttribute('href')));
    // The first: every workflow of this correlation id (a search); then one per workflow.
    expect(temporalLinks[0]).toMatch(/^http:\/\/127\.0\.0\.1:8233\/namespaces\/default\/workflows\?query=CorrelationId%3D%22digest%3A/);
    expect(temporalLinks.length).toBeGreaterThanOrEqual(3);
    for (const href of temporalLinks.slice(1)) expect(href).toMatch(/^http:\/\/127\.0\.0\.1:8233\/namespaces\/default\/workflows\/digest%3A/);
    await page.click(`#runs-body tr[data-execution-id="${failed.id}"] button[aria-expanded="false"]`);
    await page.waitForSelector(`#logs-${failed.id}`);
    expect(await page.textContent(`#logs-${failed.id}`)).toContain('Digest run failed');
    await page.waitForSelector('#signals-body tbody tr');
    await expectNoSecret(page, hookUrl, hookId, hook2Url, hook2);
    await expectAccessible(page);
    await screenshot(page, '11-support-timeline');

    step('to step 11');
    // 11. Narrow screens: the installation page fits a phone without sideways scrolling.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${server.url}/installations/${installationId}`);
    await page.waitForSelector('#runs-body tbody tr');
    expect(await horizontalOverflow(page)).toEqual({ overflow: 0, culprits: [] });
    await screenshot(page, '12-installation-phone');

    step('phone');
    if (process.env.E2E_TIMINGS) console.log(timings.join('\n'));
    expect(errors).toEqual([]);
  });
});
