/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// Browser tests: Debian's Chromium driven by playwright-core (never a downloaded browser), the
// real app listening on a free port, screenshots as test artifacts, and in-page checks for
// accessibility (names and labels, contrast, structure) and keyboard focus.
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Express } from 'express';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = path.resolve(__dirname, '../../test-artifacts/screenshots');

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox'], headless: true });
}

export async function listen(app: Express): Promise<{ url: string; close(): Promise<void> }> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * Accessibility problems on the current page (an empty list is a pass): every form control has
 * a label, every button and link a name, text meets WCAG AA contrast against its actual
 * background, one h1, a main landmark, a page language, unique ids, scrollable regions named.
 */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const describe = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ').join('.')}` : ''} "${(el.textContent ?? '').trim().slice(0, 40)}"`;
    const visible = (el: Element) => {
      const s = getComputedStyle(el);
      return s.visibility !== 'hidden' && s.display !== 'none' && (el as HTMLElement).getClientRects().length > 0 && !el.closest('[hidden]');
    };
    const hiddenVisually = (el: Element) => Boolean(el.closest('.visually-hidden'));
    const name = (el: Element) =>
      (el.getAttribute('aria-label') ?? '').trim() ||
      (el.getAttribute('aria-labelledby') ?? '')
        .split(' ')
        .map((id) => document.getElementById(id)?.textContent ?? '')
        .join(' ')
        .trim() ||
      (el.textContent ?? '').trim() ||
      (el.getAttribute('title') ?? '').trim();

    if (!document.documentElement.lang) problems.push('html has no lang');
    if (!document.title.trim()) problems.push('page has no title');
    if (document.querySelectorAll('main').length !== 1) problems.push('page needs exactly one <main>');
    const h1s = [...document.querySelectorAll('h1')].filter(visible);
    if (h1s.length !== 1) problems.push(`page has ${h1s.length} visible h1`);

    const ids = new Map<string, number>();
    for (const el of document.querySelectorAll('[id]')) ids.set(el.id, (ids.get(el.id) ?? 0) + 1);
    for (const [id, n] of ids) if (n > 1) problems.push(`id "${id}" is used ${n} times`);

    for (const el of document.querySelectorAll('input:not([type=hidden]), select, textarea')) {
      const labelled = ((el as HTMLInputElement).labels?.length ?? 0) > 0 || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby');
      if (!labelled) problems.push(`form control without a label: ${describe(el)}`);
    }
    for (const el of document.querySelectorAll('button, a[href], [role=button]')) {
      if (!name(el)) problems.push(`${el.tagName.toLowerCase()} without an accessible name: ${describe(el)}`);
    }
    for (const el of document.querySelectorAll('img')) if (!el.hasAttribute('alt')) problems.push(`img without alt: ${describe(el)}`);
    for (const el of document.querySelectorAll('[tabindex="0"]')) if (!name(el)) problems.push(`focusable element without a name: ${describe(el)}`);
    for (const el of document.querySelectorAll('th')) if (!el.getAttribute('scope')) problems.push(`th without scope: ${describe(el)}`);

    // Contrast (WCAG 2.x relative luminance).
    const parse = (c: string) => {
      const m = /rgba?\(([^)]+)\)/.exec(c);
      if (!m) return [0, 0, 0, 1];
      const [r, g, b, a = '1'] = m[1].split(/[ ,/]+/).filter(Boolean);
      return [Number(r), Number(g), Number(b), Number(a)];
    };
    const blend = (top: number[], bottom: number[]) => [0, 1, 2].map((i) => top[i] * top[3] + bottom[i] * (1 - top[3])).concat(1);
    const background = (el: Element | null): number[] => {
      const layers: number[][] = [];
      for (let e = el; e; e = e.parentElement) {
        const c = parse(getComputedStyle(e).backgroundColor);
        if (c[3] > 0) layers.push(c);
        if (c[3] >= 1) break;
      }
      let out = [255, 255, 255, 1];
      for (const layer of layers.reverse()) out = blend(layer, out);
      return out;
    };
    const lum = (c: number[]) => {
      const [r, g, b] = c.slice(0, 3).map((v) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const ratio = (a: number[], b: number[]) => {
      const [l1, l2] = [lum(a), lum(b)].sort((x, y) => y - x);
      return (l1 + 0.05) / (l2 + 0.05);
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const checked = new Set<Element>();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (!el || checked.has(el) || !(node.textContent ?? '').trim()) continue;
      checked.add(el);
      if (!visible(el) || hiddenVisually(el) || el.closest('[disabled], option, .skip-link')) continue;
      const style = getComputedStyle(el);
      const bg = background(el);
      const fg = blend(parse(style.color), bg);
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      const need = large ? 3 : 4.5;
      const got = ratio(fg, bg);
      if (got < need) problems.push(`contrast ${got.toFixed(2)}:1 (needs ${need}:1) for ${describe(el)}`);
    }
    return problems;
  });
}

/**
 * Tabs through the page from the top: the first stop is the skip link, and every stop shows a
 * visible focus indicator. Returns problems (empty = pass) and the elements visited.
 */
export async function keyboardProblems(page: Page, stops = 12): Promise<{ problems: string[]; visited: string[] }> {
  await page.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
    window.scrollTo(0, 0);
  });
  await page.keyboard.press('Tab');
  const problems: string[] = [];
  const visited: string[] = [];
  for (let i = 0; i < stops; i++) {
    const info = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      const s = getComputedStyle(el);
      const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
      return {
        what: `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} "${(el.textContent ?? el.getAttribute('aria-label') ?? '').trim().slice(0, 30)}"`,
        skip: el.classList.contains('skip-link'),
        outline,
        boxShadow: s.boxShadow !== 'none',
      };
    });
    if (!info) break;
    visited.push(info.what);
    if (i === 0 && !info.skip) problems.push(`first Tab stop is ${info.what}, not the skip link`);
    if (!info.outline && !info.boxShadow) problems.push(`no visible focus indicator on ${info.what}`);
    await page.keyboard.press('Tab');
  }
  return { problems, visited };
}

/** How far the page scrolls sideways at the current viewport width (0 = fits), and what sticks out. */
export async function horizontalOverflow(page: Page): Promise<{ overflow: number; culprits: string[] }> {
  return page.evaluate(() => {
    const overflow = document.documentElement.scrollWidth - window.innerWidth;
    const culprits: string[] = [];
    if (overflow > 0) {
      for (const el of document.querySelectorAll('body *')) {
        const r = el.getBoundingClientRect();
        if (r.right > window.innerWidth + 1 && !(el.parentElement && el.parentElement.getBoundingClientRect().right > window.innerWidth + 1)) {
          culprits.push(`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}.${String(el.className).split(' ').join('.')} right=${Math.round(r.right)}`);
        }
      }
    }
    // Nothing sticks out by its box (e.g. an absolutely positioned child widens the scroll area):
    // name the widest elements instead, so the failure still says where to look.
    if (overflow > 0 && culprits.length === 0) {
      for (const el of document.querySelectorAll('body *')) {
        if (el.closest('.visually-hidden')) continue;
        const right = el.getBoundingClientRect().left + el.scrollWidth;
        if (right > window.innerWidth + 1)
          culprits.push(`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}.${String(el.className).split(' ').join('.')} scrollRight=${Math.round(right)}`);
      }
    }
    return { overflow: Math.max(0, overflow), culprits: culprits.slice(-10) };
  });
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/**
 * Aborts every request the pages of `context` make to anything but the loopback address, and
 * records it: a product page must load nothing from outside (no CDN, no fonts, no icons, no
 * Mattermost docs fetched). The caller asserts `outside` is empty.
 */
export async function guardNetwork(context: BrowserContext): Promise<{ outside: string[] }> {
  const outside: string[] = [];
  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if ((url.protocol === 'http:' || url.protocol === 'https:') && !LOOPBACK_HOSTS.has(url.hostname)) {
      outside.push(`${route.request().method()} ${url.origin}${url.pathname}`);
      await route.abort('blockedbyclient');
      return;
    }
    await route.continue();
  });
  return { outside };
}
