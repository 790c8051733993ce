/// <reference lib="dom" />
// The installation page's LLM summary settings in headless Chromium, against the real stack and
// the OpenAI-compatible fake: with a provider the toggle works and the page shows the model and the
// month's spend against the budget, and the cost caps save; at digest 1.0.0 the toggle is disabled
// with its reason and the caps are absent.
import type { Browser, Page } from 'playwright-core';
import { withTenant } from '../../../../lib/db/with-tenant';
import type { PlatformLlm } from '../../../../lib/llm/llm-provider';
import { startFakeOpenAi, type FakeOpenAi } from '../../../../test/fakes/openai-server';
import { TEST_ALLOWED_HOSTS } from '../../../../test/helpers/app';
import { accessibilityProblems, launchBrowser, listen, screenshot } from '../../../../test/helpers/browser';
import { openDigestStack, waitForExecution, type DigestStack } from '../../../../test/helpers/digest-stack';
import { installedTenant } from '../helpers/installed-digest';
import { createTestUser } from '../../../../test/helpers/session';
import request from 'supertest';
import { auth } from '../../../../test/helpers/digest-stack';

jest.setTimeout(90_000);

/** A schedule twelve hours away, so no scheduled run fires during the test. */
function quiet(): { timezone: string; schedule_time: string } {
  const at = new Date(Date.now() + 12 * 3_600_000);
  return { timezone: 'UTC', schedule_time: `${String(at.getUTCHours()).padStart(2, '0')}:00` };
}

describe('installation page: LLM summary settings', () => {
  let s: DigestStack;
  let llm: FakeOpenAi;
  let server: { url: string; close(): Promise<void> };
  let browser: Browser;

  beforeAll(async () => {
    llm = await startFakeOpenAi();
    const price = { inputPer1k: 0.5, outputPer1k: 1.5 };
    const platform: PlatformLlm = {
      provider: { source: 'platform', baseUrl: llm.baseUrl, model: 'fake-mini', apiKey: null, price },
      prices: new Map([['fake-mini', price]]),
      monthlyBudgetUsd: 5,
      maxTokensPerRun: 4_000,
      timeoutMs: 1_000,
      allowedHosts: TEST_ALLOWED_HOSTS,
    };
    [s, browser] = await Promise.all([openDigestStack({ llm: platform, appOverrides: { llm: platform } }), launchBrowser()]);
    server = await listen(s.app);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await s?.close();
    await llm?.close();
  });

  async function signedInPage(tenantId: string): Promise<Page> {
    const user = await createTestUser(s.handle, { memberships: [{ tenantId, role: 'owner' }], name: 'Lee Ops' });
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await page.goto(`${server.url}/login`);
    await page.fill('#email', user.email);
    await page.fill('#password', user.password);
    await page.press('#password', 'Enter');
    await page.waitForURL(/\/marketplace$/);
    return page;
  }

  it('with a provider: the toggle works, the page shows model and spend, the caps save', async () => {
    const t = await installedTenant(s, { config: { ...quiet(), include_llm_summary: true } });
    const run = await request(s.app).post(`/api/tenants/${t.tenant.slug}/installations/${t.installationId}/runs`).set(auth(t.tenant)).send({});
    expect((await waitForExecution(s, t.tenant, run.body.execution.id)).status).toBe('succeeded');
    expect(llm.calls()).toHaveLength(1);

    const page = await signedInPage(t.tenant.id);
    await page.goto(`${server.url}/installations/${t.installationId}`);
    await page.waitForFunction(() => /spent this month/.test(document.querySelector('#llm-summary-hint')?.textContent ?? ''));
    expect(await page.isDisabled('#include_llm_summary')).toBe(false);
    expect(await page.isChecked('#include_llm_summary')).toBe(true);
    const hint = (await page.textContent('#llm-summary-hint'))!;
    expect(hint).toMatch(/^fake-mini via 127\.0\.0\.1:\d+ \(the platform’s provider\)\. \$0\.\d\d of \$5\.00 spent this month; at most 4000 tokens per run\./);
    expect(await page.isVisible('#llm_monthly_budget_usd')).toBe(true);
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'llm-summary-available');

    await page.fill('#llm_monthly_budget_usd', '2.5');
    await page.fill('#llm_max_tokens_per_run', '1500');
    await page.click('#save-settings');
    await page.waitForSelector('#settings-message .callout.ok');
    const saved = await withTenant(s.handle.db, t.tenant.id, (tx) => tx.installation.findUniqueOrThrow({ where: { id: t.installationId } }));
    expect(saved.config).toMatchObject({ include_llm_summary: true, llm_monthly_budget_usd: 2.5, llm_max_tokens_per_run: 1500 });
    await page.waitForFunction(() => /of \$2\.50 spent this month; at most 1500 tokens/.test(document.querySelector('#llm-summary-hint')?.textContent ?? ''));

    // Emptying a cap returns it to the platform default.
    await page.fill('#llm_monthly_budget_usd', '');
    await page.click('#save-settings');
    await page.waitForFunction(() => /of \$5\.00 spent this month/.test(document.querySelector('#llm-summary-hint')?.textContent ?? ''));
    const reset = await withTenant(s.handle.db, t.tenant.id, (tx) => tx.installation.findUniqueOrThrow({ where: { id: t.installationId } }));
    expect(reset.config).toMatchObject({ llm_monthly_budget_usd: null, llm_max_tokens_per_run: 1500 });
  });

  it('at digest 1.0.0: the toggle is disabled with its reason, and the caps are absent', async () => {
    const t = await installedTenant(s, { version: '1.0.0', config: quiet() });
    const page = await signedInPage(t.tenant.id);
    await page.goto(`${server.url}/installations/${t.installationId}`);
    await page.waitForFunction(() => /Not available/.test(document.querySelector('#llm-summary-hint')?.textContent ?? ''));
    expect(await page.isDisabled('#include_llm_summary')).toBe(true);
    expect(await page.textContent('#llm-summary-hint')).toContain('comes with version 1.1.0 of this package');
    expect(await page.isVisible('#llm_monthly_budget_usd')).toBe(false);
    await screenshot(page, 'llm-summary-needs-update');
    // Saving the other settings still works (the caps are not sent to a 1.0.0 config).
    await page.fill('#channel', 'ops');
    await page.click('#save-settings');
    await page.waitForSelector('#settings-message .callout.ok');
  });
});
