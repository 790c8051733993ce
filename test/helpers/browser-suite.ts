// The frame the page-by-page browser tests share: the app served on a free port with one
// Chromium for the whole file, then one guarded page per viewport (desktop and a 390 px phone)
// whose checks screenshot every state and assert no sideways overflow and no accessibility
// problem. Each helper registers its Jest hooks where it is called and returns an object whose
// fields are filled in by those hooks: read them inside a test, not while describing it.
import type { Express } from 'express';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { accessibilityProblems, guardNetwork, horizontalOverflow, launchBrowser, listen, screenshot } from './browser';

export const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const;
export type Viewport = (typeof VIEWPORTS)[number];

export interface Served {
  url: string;
  close(): Promise<void>;
}

export interface AppInBrowser<S> {
  stack: S;
  browser: Browser;
  server: Served;
}

/** Opens the stack and Chromium together before the file's tests and serves the stack's app; closes all three after. */
export function useAppInBrowser<S extends { app: Express; close(): Promise<void> }>(open: () => Promise<S>): AppInBrowser<S> {
  const suite = {} as AppInBrowser<S>;
  beforeAll(async () => {
    [suite.stack, suite.browser] = await Promise.all([open(), launchBrowser()]);
    suite.server = await listen(suite.stack.app);
  });
  afterAll(async () => {
    await suite.browser?.close();
    await suite.server?.close();
    await suite.stack?.close();
  });
  return suite;
}

export interface GuardedPage {
  context: BrowserContext;
  page: Page;
  /** Requests that tried to leave loopback (aborted): a test asserts it is empty. */
  guard: { outside: string[] };
  /** Uncaught page errors and console errors (a resource that failed to load is its own check). */
  errors: string[];
}

/** A fresh browser context at the viewport's size, with its network guarded and its page's errors collected. */
export async function openGuardedPage(browser: Browser, viewport: Viewport): Promise<GuardedPage> {
  const context = await browser.newContext({ viewport: { width: viewport.width, height: viewport.height } });
  const guard = await guardNetwork(context);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && !/Failed to load resource/.test(m.text()) && errors.push(m.text()));
  return { context, page, guard, errors };
}

export interface ViewportPage extends GuardedPage {
  /** The next numbered screenshot's name, `<prefix>-<viewport>-NN-<name>` (so the files sort in the order taken). */
  shotName(name: string): string;
  /** Screenshot, no sideways scrolling, accessible. */
  check(name: string): Promise<void>;
}

/** One guarded page at `viewport` for the tests of the enclosing describe, opened before them and closed after. */
export function useViewportPage(suite: AppInBrowser<unknown>, viewport: Viewport, prefix: string): ViewportPage {
  let shot = 0;
  const view = {
    shotName: (name: string) => `${prefix}-${viewport.name}-${String(++shot).padStart(2, '0')}-${name}`,
    async check(name: string) {
      await screenshot(view.page, view.shotName(name));
      expect({ name, ...(await horizontalOverflow(view.page)) }).toEqual({ name, overflow: 0, culprits: [] });
      expect({ name, problems: await accessibilityProblems(view.page) }).toEqual({ name, problems: [] });
    },
  } as ViewportPage;
  beforeAll(async () => {
    Object.assign(view, await openGuardedPage(suite.browser, viewport));
  });
  afterAll(async () => {
    await view.context?.close();
  });
  return view;
}

/** Signs `user` in through the login form (2 fields, 1 click) and waits for the marketplace it lands on. */
export async function signInOnPage(page: Page, baseUrl: string, user: { email: string; password: string }): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.fill('#email', user.email);
  await page.fill('#password', user.password);
  await page.click('button[type=submit]');
  await page.waitForURL(/\/marketplace$/);
}
