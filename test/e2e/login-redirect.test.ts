/// <reference lib="dom" />
// Security probe finding: /login?next=/%09/other-host/x passed the old check (the browser strips
// the tab and lands on //other-host). In real Chromium: for each hostile `next`, signing in — and
// opening the page when already signed in, which redirects at once — stays on this origin. Every
// request to a non-loopback host is aborted and recorded, so a redirect that escaped would show.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { DbHandle } from '../../lib/db/client';
import { buildTestApp } from '../helpers/app';
import { launchBrowser, listen } from '../helpers/browser';
import { createTestTenant, testDb } from '../helpers/db';
import { createTestUser, type TestUser } from '../helpers/session';

jest.setTimeout(120_000);

const HOSTILE_NEXT = [
  '/\t/evil.example/x',
  '/\n/evil.example/x',
  '/\r/evil.example/x',
  '/\t\t/evil.example',
  '//evil.example/x',
  '/\\evil.example/x',
  '/\\/evil.example',
  '\\\\evil.example',
  'https://evil.example/x',
  'javascript:alert(document.domain)',
  ' /\t/evil.example',
  '/.\t/evil.example',
  '/\u0000/evil.example',
  '//127.0.0.2:9/x',
];

describe('login ?next= stays on this origin (real browser)', () => {
  let handle: DbHandle;
  let server: { url: string; close(): Promise<void> };
  let browser: Browser;
  let user: TestUser;
  let escaped: string[];

  async function newContext(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext();
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.origin === server.url) return route.continue();
      escaped.push(route.request().url());
      return route.abort();
    });
    return { context, page: await context.newPage() };
  }

  const loginUrl = (next: string) => `${server.url}/login?next=${encodeURIComponent(next)}`;

  async function settle(page: Page) {
    await page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 15_000 }).catch(() => undefined);
    await page.waitForLoadState('domcontentloaded').catch(() => undefined);
  }

  beforeAll(async () => {
    handle = testDb();
    const app = buildTestApp({ db: handle.db });
    [server, browser] = await Promise.all([listen(app), launchBrowser()]);
    const tenant = await createTestTenant(handle, 'nextredir');
    user = await createTestUser(handle, { memberships: [{ tenantId: tenant.id, role: 'member' }] });
  });
  beforeEach(() => {
    escaped = [];
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await handle?.close();
  });

  it.each(HOSTILE_NEXT.map((n) => [JSON.stringify(n), n]))('next=%s: signing in lands on /marketplace of this origin', async (_label, next) => {
    const { context, page } = await newContext();
    try {
      await page.goto(loginUrl(next));
      await page.fill('#email', user.email);
      await page.fill('#password', user.password);
      await page.click('#login-submit');
      await settle(page);
      expect(escaped).toEqual([]);
      const landed = new URL(page.url());
      expect(landed.origin).toBe(server.url);
      expect(landed.pathname).toBe('/marketplace');

      // Already signed in: the page redirects at once, and still only here.
      await page.goto(loginUrl(next));
      await settle(page);
      expect(escaped).toEqual([]);
      expect(new URL(page.url()).origin).toBe(server.url);
      expect(new URL(page.url()).pathname).toBe('/marketplace');
    } finally {
      await context.close();
    }
  });

  it('an encoded tab is only a strange path on this site (a 404 page here), never another host', async () => {
    const { context, page } = await newContext();
    try {
      await page.goto(loginUrl('/%09/evil.example'));
      await page.fill('#email', user.email);
      await page.fill('#password', user.password);
      await page.click('#login-submit');
      await settle(page);
      expect(escaped).toEqual([]);
      expect(page.url()).toBe(`${server.url}/%09/evil.example`);
    } finally {
      await context.close();
    }
  });

  it('a path on this site is honoured, query and fragment included', async () => {
    const { context, page } = await newContext();
    try {
      await page.goto(loginUrl('/admin?tab=signals#recent'));
      await page.fill('#email', user.email);
      await page.fill('#password', user.password);
      await page.click('#login-submit');
      await settle(page);
      const landed = new URL(page.url());
      expect(`${landed.origin}${landed.pathname}${landed.search}${landed.hash}`).toBe(`${server.url}/admin?tab=signals#recent`);
      expect(escaped).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
