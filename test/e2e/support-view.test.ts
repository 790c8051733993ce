/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The support view in headless Chromium: a wrong password, signals reported through the ingest
// API found by prefix and followed into their timeline, phone width, and the 404 page. No
// Temporal needed. (A member's read-only installation page is the package's: the digest's is
// its test/e2e/member-installation.test.ts.)
import type { Express } from 'express';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import type { DbHandle } from '../../lib/db/client';
import { buildTestApp } from '../helpers/app';
import { accessibilityProblems, horizontalOverflow, launchBrowser, listen, screenshot } from '../helpers/browser';
import { createTestTenant, testDb, type TestTenant } from '../helpers/db';
import { createTestUser, type TestUser } from '../helpers/session';

jest.setTimeout(60_000);

describe('support view and read-only pages', () => {
  let handle: DbHandle;
  let app: Express;
  let server: { url: string; close(): Promise<void> };
  let browser: Browser;
  let tenant: TestTenant;
  let member: TestUser;

  beforeAll(async () => {
    handle = testDb();
    app = buildTestApp({ db: handle.db });
    [server, browser] = await Promise.all([listen(app), launchBrowser()]);
    tenant = await createTestTenant(handle, 'support');
    member = await createTestUser(handle, { memberships: [{ tenantId: tenant.id, role: 'member' }], name: 'Sam Viewer' });
    // A reporting system's activity, through the ingest API.
    const t = Date.now() - 3_600_000;
    await request(app)
      .post(`/api/tenants/${tenant.slug}/signals`)
      .set('authorization', `Bearer ${tenant.tokens.admin}`)
      .send({
        signals: [
          {
            type: 'agent.execution.started',
            occurred_at: new Date(t).toISOString(),
            correlation_id: 'agent-run:r1',
            subject: 'agent:invoice-extractor',
            source: 'billing',
            dedupe_key: 'r1:started',
            payload: { agent: 'invoice-extractor' },
          },
          {
            type: 'agent.execution.failed',
            occurred_at: new Date(t + 40_000).toISOString(),
            correlation_id: 'agent-run:r1',
            subject: 'agent:invoice-extractor',
            source: 'billing',
            dedupe_key: 'r1:failed',
            payload: { agent: 'invoice-extractor', error_kind: 'rate_limit', error: 'The model API answered 429.' },
          },
          {
            type: 'workflow.run.completed',
            occurred_at: new Date(t + 60_000).toISOString(),
            correlation_id: 'workflow-run:w1',
            subject: 'workflow:nightly-crm-sync',
            source: 'crm',
            payload: { records: 1200 },
          },
        ],
      })
      .expect(200);
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

  it('shows a wrong password as an alert', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${server.url}/login`);
    await page.fill('#email', member.email);
    await page.fill('#password', 'not the password');
    await page.click('#login-submit');
    await page.waitForSelector('#login-message [role=alert]');
    expect(await page.textContent('#login-message')).toContain('The email or password is wrong.');
    await screenshot(page, '13-login-error');

    await page.close();
  });

  it('finds reported signals by prefix and answers "what happened?" for a reporter’s run', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, member);
    await page.goto(`${server.url}/admin`);
    await page.waitForSelector('#signals-body tbody tr');
    await page.fill('#type', 'agent.execution.');
    await page.click('#signals-form button[type=submit]');
    await page.waitForFunction(() => document.querySelectorAll('#signals-body tbody tr').length === 2);
    const types = await page.$$eval('#signals-body tbody tr td:nth-child(2) code', (cs) => cs.map((c) => c.textContent));
    expect(types).toEqual(['agent.execution.failed', 'agent.execution.started']);
    expect(await page.textContent('#signals-body')).toContain('ingest:billing');

    await page.click('#signals-body tbody tr:first-child button:has-text("Timeline")');
    await page.waitForSelector('#timeline-events li');
    expect(await page.$$eval('#timeline-events li', (lis) => lis.map((li) => li.querySelector('code')?.textContent))).toEqual([
      'agent.execution.started',
      'agent.execution.failed',
    ]);
    expect(new URL(page.url()).searchParams.get('correlation')).toBe('agent-run:r1');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('timeline-title');
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, '15-support-signals');

    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await page.waitForSelector('#timeline-events li');
    await page.waitForSelector('#signals-body tbody tr');
    expect(await horizontalOverflow(page)).toEqual({ overflow: 0, culprits: [] });
    await screenshot(page, '16-support-phone');
    await page.close();
  });

  it('answers an unknown page with a helpful 404 page', async () => {
    const page = await browser.newPage();
    const res = await page.goto(`${server.url}/no-such-page`);
    expect(res?.status()).toBe(404);
    expect(await page.textContent('h1')).toBe('Page not found');
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.close();
  });
});
