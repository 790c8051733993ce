/// <reference lib="dom" />
// The security probe's categories that held, kept holding in a real browser:
//  - stored XSS: script-bearing text in every signal field the support view renders (subject,
//    correlation id, dedupe and causation ids, payload keys and values, error and error kind) —
//    in the signal list, the payload details and the timeline — runs nothing and adds no element;
//  - CSRF: a page on another origin (another port of 127.0.0.1: same site, so the Lax session
//    cookie IS sent) cannot change anything with the signed-in user's session, by fetch or by form.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import type { DbHandle } from '../../lib/db/client';
import { withTenant } from '../../lib/db/with-tenant';
import { buildTestApp } from '../helpers/app';
import { launchBrowser, listen } from '../helpers/browser';
import { createTestTenant, testDb, type TestTenant } from '../helpers/db';
import { createTestUser, type TestUser } from '../helpers/session';

jest.setTimeout(120_000);

declare global {
  interface Window {
    __xss?: string[];
  }
}

const mark = (where: string) => `window.__xss=(window.__xss||[]).concat('${where}')`;
/** Payloads for free text (spaces allowed). */
const TEXT = (where: string) =>
  [
    `<img src=x onerror="${mark(where)}">`,
    `"><svg onload="${mark(where)}">`,
    `</script><script>${mark(where)}</script>`,
    `javascript:${mark(where)}`,
    `<a href="javascript:${mark(where)}">x</a>`,
    `{{constructor.constructor('${mark(where)}')()}}`,
  ].join(' ');
/** Fits a 300-character field (subject). */
const SHORT = (where: string) => `<img src=x onerror="${mark(where)}"> "><svg onload="${mark(where)}"> <a href="javascript:${mark(where)}">x</a>`;
/** For printable-ASCII-without-spaces ids. */
const ID = (where: string) => `"><img/src=x/onerror=${mark(where).replace(/'/g, '')}>`;

describe('hostile input in a real browser', () => {
  let handle: DbHandle;
  let app: Express;
  let server: { url: string; close(): Promise<void> };
  let browser: Browser;
  let tenant: TestTenant;
  let owner: TestUser;

  async function signIn(page: Page, user: TestUser) {
    await page.goto(`${server.url}/login`);
    await page.fill('#email', user.email);
    await page.fill('#password', user.password);
    await page.click('#login-submit');
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  }

  beforeAll(async () => {
    handle = testDb();
    app = buildTestApp({ db: handle.db });
    [server, browser] = await Promise.all([listen(app), launchBrowser()]);
    tenant = await createTestTenant(handle, 'hostilebrowser');
    owner = await createTestUser(handle, { memberships: [{ tenantId: tenant.id, role: 'owner' }] });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await handle?.close();
  });

  it('XSS payloads in every signal field rendered by the support view run nothing and add no element', async () => {
    const t = Date.now() - 600_000;
    const correlation = ID('correlation');
    const res = await request(app)
      .post(`/api/tenants/${tenant.slug}/signals`)
      .set('authorization', `Bearer ${tenant.tokens.admin}`)
      .send({
        signals: [
          {
            type: 'agent.execution.failed',
            occurred_at: new Date(t).toISOString(),
            subject: SHORT('subject'),
            correlation_id: correlation,
            causation_id: ID('causation'),
            dedupe_key: ID('dedupe').slice(0, 200),
            source: 'probe',
            payload: {
              error: TEXT('error'),
              error_kind: TEXT('error_kind'),
              message: TEXT('message'),
              [TEXT('key')]: TEXT('value'),
              nested: { html: TEXT('nested') },
              list: [TEXT('list')],
            },
          },
          {
            type: 'agent.execution.started',
            occurred_at: new Date(t - 1000).toISOString(),
            subject: SHORT('subject2'),
            correlation_id: correlation,
            source: 'probe',
            payload: { agent: TEXT('agent') },
          },
        ],
      });
    expect([res.status, res.body.error]).toEqual([200, undefined]);
    expect(res.body.accepted).toBe(2);

    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await signIn(page, owner);
    await page.goto(`${server.url}/admin?tenant=${tenant.slug}`);
    await page.waitForSelector('#signals-body tbody tr');
    // Open every payload's details, then the timeline of the hostile correlation id.
    for (const summary of await page.$$('#signals-body details summary')) await summary.click();
    expect(await page.textContent('#signals-body')).toContain('onerror=');
    await page.click('#signals-body tbody tr:first-child button:has-text("Timeline")');
    await page.waitForSelector('#timeline-events li');
    expect(await page.textContent('#timeline-events')).toContain('<img src=x onerror=');
    // And straight from a link with the hostile id in the URL.
    await page.goto(`${server.url}/admin?tenant=${tenant.slug}&correlation=${encodeURIComponent(correlation)}`);
    await page.waitForSelector('#timeline-events li');
    await page.waitForTimeout(300);

    expect(await page.evaluate(() => window.__xss ?? [])).toEqual([]);
    expect(dialogs).toEqual([]);
    // Text stays text: no element or attribute came out of the payloads.
    const injected = await page.evaluate(() => ({
      imgs: document.querySelectorAll('main img[src="x"], main svg[onload], main script').length,
      handlers: [...document.querySelectorAll('main *')].filter((el) => [...el.attributes].some((a) => a.name.startsWith('on'))).length,
      jsLinks: [...document.querySelectorAll('a[href]')].filter((a) => a.getAttribute('href')!.trim().toLowerCase().startsWith('javascript:')).length,
    }));
    expect(injected).toEqual({ imgs: 0, handlers: 0, jsLinks: 0 });
    await page.close();
  });

  it('CSRF: a page on another origin cannot use the signed-in session to change anything', async () => {
    const tokensBefore = await withTenant(handle.db, tenant.id, (tx) => tx.apiToken.count());
    const installsBefore = await withTenant(handle.db, tenant.id, (tx) => tx.installation.count());
    const target = server.url;
    const evilHtml = `<!doctype html><html><body>
      <form id="f" method="POST" action="${target}/api/tenants/${tenant.slug}/api-tokens" enctype="text/plain">
        <input name='{"name":"csrf-form","role":"owner","x":"' value='"}'>
      </form>
      <script>
        window.results = [];
        const attempts = [
          fetch('${target}/api/tenants/${tenant.slug}/api-tokens', { method: 'POST', credentials: 'include', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ name: 'csrf-fetch', role: 'owner' }) }),
          fetch('${target}/api/tenants/${tenant.slug}/installations', { method: 'POST', credentials: 'include', mode: 'no-cors', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'package_slug=mattermost_daily_ops_digest' }),
          fetch('${target}/api/tenants/${tenant.slug}/api-tokens', { method: 'POST', credentials: 'include', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'csrf-json', role: 'owner' }) }),
          fetch('${target}/api/auth/logout', { method: 'POST', credentials: 'include', mode: 'no-cors' }),
        ];
        Promise.allSettled(attempts).then((r) => { window.results = r.map((x) => x.status); window.done = true; });
      </script></body></html>`;
    const evil = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(evilHtml));
    await new Promise<void>((r) => evil.listen(0, '127.0.0.1', r));
    const evilUrl = `http://127.0.0.1:${(evil.address() as AddressInfo).port}/`;
    const context = await browser.newContext();
    const serverHits: { method: string; path: string; origin?: string }[] = [];
    try {
      const page = await context.newPage();
      page.on('request', (r) => {
        if (r.url().startsWith(target) && r.method() === 'POST')
          serverHits.push({ method: r.method(), path: new URL(r.url()).pathname, origin: r.headers().origin });
      });
      await signIn(page, owner);
      await page.goto(evilUrl);
      await page.waitForFunction(() => (window as unknown as { done?: boolean }).done === true, undefined, { timeout: 15_000 });
      await Promise.all([
        page.waitForNavigation({ timeout: 10_000 }).catch(() => undefined),
        page.evaluate(() => (document.getElementById('f') as HTMLFormElement).submit()),
      ]);
      // The attempts did reach the server (the test is not vacuous)...
      expect(serverHits.length).toBeGreaterThanOrEqual(4);
      // ...and changed nothing: no token, no installation, and the session still works.
      expect(await withTenant(handle.db, tenant.id, (tx) => tx.apiToken.count())).toBe(tokensBefore);
      expect(await withTenant(handle.db, tenant.id, (tx) => tx.installation.count())).toBe(installsBefore);
      await page.goto(`${target}/admin?tenant=${tenant.slug}`);
      const session = await page.evaluate(async () => (await fetch('/api/auth/session')).status);
      expect(session).toBe(200);
    } finally {
      await context.close();
      await new Promise<void>((r) => evil.close(() => r()));
    }
  });
});
