/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// A member's view of a digest installation in headless Chromium: every write control disabled,
// with the reason, the settings shown read-only, keyboard use and the skip link. No Temporal
// needed: the installation is recorded directly.
import type { Browser, Page } from 'playwright-core';
import type { DbHandle } from '../../../../lib/db/client';
import { withTenant } from '../../../../lib/db/with-tenant';
import { buildTestApp } from '../../../../test/helpers/app';
import { accessibilityProblems, keyboardProblems, launchBrowser, listen, screenshot } from '../../../../test/helpers/browser';
import { createTestTenant, testDb, type TestTenant } from '../../../../test/helpers/db';
import { createTestUser, type TestUser } from '../../../../test/helpers/session';
import { DIGEST_PACKAGE_SLUG } from '../../definition';

jest.setTimeout(60_000);

describe('a member sees the digest installation read-only', () => {
  let handle: DbHandle;
  let server: { url: string; close(): Promise<void> };
  let browser: Browser;
  let tenant: TestTenant;
  let member: TestUser;
  let installationId: string;

  beforeAll(async () => {
    handle = testDb();
    [server, browser] = await Promise.all([listen(buildTestApp({ db: handle.db })), launchBrowser()]);
    tenant = await createTestTenant(handle, 'member-view');
    member = await createTestUser(handle, { memberships: [{ tenantId: tenant.id, role: 'member' }], name: 'Sam Viewer' });
    installationId = (
      await withTenant(handle.db, tenant.id, (tx) =>
        tx.installation.create({
          data: {
            tenantId: tenant.id,
            packageSlug: DIGEST_PACKAGE_SLUG,
            packageVersion: '1.0.0',
            status: 'installed',
            installedAt: new Date(),
            config: { timezone: 'Europe/Berlin', schedule_time: '07:30' },
          },
        }),
      )
    ).id;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await handle?.close();
  });

  async function signIn(page: Page, user: TestUser) {
    await page.goto(`${server.url}/login`);
    await page.fill('#email', user.email);
    await page.fill('#password', user.password);
    await page.click('#login-submit');
    await page.waitForURL(/\/marketplace$/);
  }

  it('disables every write control with the reason, and is usable by keyboard', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, member);
    await page.goto(`${server.url}/installations/${installationId}`);
    await page.waitForSelector('#run-reason');
    expect(await page.textContent('#run-reason')).toBe('Run now needs the owner or admin role; you are member.');
    expect(await page.isDisabled('#run-now')).toBe(true);
    expect(await page.isDisabled('#connect-button')).toBe(true);
    expect(await page.isDisabled('#save-settings')).toBe(true);
    expect(await page.inputValue('#timezone')).toBe('Europe/Berlin');
    expect(await page.inputValue('#schedule_time')).toBe('07:30');
    expect(await accessibilityProblems(page)).toEqual([]);
    const keys = await keyboardProblems(page, 10);
    expect(keys.problems).toEqual([]);
    // The skip link moves the keyboard to the content.
    // (keyboardProblems proved it is the first Tab stop; the page now has more stops than it
    // tabbed through, so focus it directly rather than rely on Tab wrapping around.)
    await page.focus('a.skip-link');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    await screenshot(page, '14-installation-member');
    await page.close();
  });
});
