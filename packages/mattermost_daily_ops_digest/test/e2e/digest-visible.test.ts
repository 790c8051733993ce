/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// "See the digest before and after it posts", in headless Chromium on a desktop and a 390 px
// phone, against the real app, Postgres, Temporal and the Mattermost fake: the first-run
// checklist, a searchable time-zone picker with canonical names, validation sentences, the
// preview of unsaved settings as Mattermost shows it, the posted digest on its run and the full
// digest behind the truncation pointer, Retry with the quota spent, a paused digest, a
// Disconnect that reads as your own, a long unbreakable error code, My installations and
// Uninstall, and the package page's example. Every page is screenshotted, checked for sideways
// overflow and accessibility, and may not make a single non-loopback request.
import { withTenant } from '../../../../lib/db/with-tenant';
import { DIGEST_PACKAGE_SLUG } from '../../definition';
import { SIGNAL_TYPES } from '../../../../lib/signals/catalogue';
import { emitSignals } from '../../../../lib/signals/emit-signal';
import { signInOnPage, useAppInBrowser, useViewportPage, VIEWPORTS } from '../../../../test/helpers/browser-suite';
import { createTestTenant, waitFor } from '../../../../test/helpers/db';
import { openDigestStack, postsWithMarker } from '../../../../test/helpers/digest-stack';
import { createTestUser } from '../../../../test/helpers/session';
import request from 'supertest';

jest.setTimeout(180_000);

describe('the digest, visible: every state on desktop and phone', () => {
  const suite = useAppInBrowser(openDigestStack);

  describe.each(VIEWPORTS)('$name', (viewport) => {
    beforeAll(() => suite.stack.fake.reset());
    const view = useViewportPage(suite, viewport, 'digest');

    it('from first visit to the first digest, then every control', async () => {
      const { stack: s, server } = suite;
      const { page, guard, errors, check } = view;
      const tenant = await createTestTenant(s.handle, `ui-${viewport.name}`);
      const user = await createTestUser(s.handle, { memberships: [{ tenantId: tenant.id, role: 'owner' }], name: 'Dana Ops' });
      const auth = { authorization: `Bearer ${tenant.tokens.owner}` };

      // Sign in (2 fields, 1 click).
      await signInOnPage(page, server.url, user);

      // The package page shows an example digest, rendered as Mattermost would.
      await page.click('text=Mattermost Daily Ops Digest');
      await page.waitForSelector('#example-digest .mm-post');
      const example = await page.textContent('#example-digest .mm-message');
      expect(example).toContain('Ops digest for Example Ops');
      expect(example).toContain('Failures (9)');
      expect(await page.$$eval('#example-digest .mm-message h5', (hs) => hs.map((x) => x.textContent))).toEqual(expect.arrayContaining(['Counts']));
      await check('package-example');

      // Install (1 click) → the installation page: the checklist, nothing green yet.
      await page.click('#install-button');
      await page.waitForURL(/\/installations\/[0-9a-f-]{36}$/);
      const installationId = page.url().split('/').pop()!;
      await page.waitForSelector('#checklist');
      await page.waitForSelector('#connect-button:not([disabled])', { timeout: 30_000 });
      expect(await page.$('#no-error')).toBeNull();
      expect(await page.textContent('#nothing-yet')).toContain('connect Mattermost first');
      expect(await page.isDisabled('#run-now')).toBe(true);
      expect(await page.textContent('#run-reason')).toContain('Connect Mattermost first');
      expect(await page.getAttribute('#webhook-docs', 'href')).toBe('https://developers.mattermost.com/integrate/webhooks/incoming/');
      // Connect comes before Run now, on the phone too (one column: above it).
      const y = async (sel: string) => (await page.locator(sel).boundingBox())!.y;
      expect(await y('#connection')).toBeLessThan(await y('#run'));
      expect(await page.textContent('#next-runs')).toContain('No next run');
      await check('first-run-checklist');

      // Connect (1 field, 1 click).
      const hookId = s.fake.createHook({ channel: 'town-square' });
      await page.fill('#webhook_url', s.fake.hookUrl(hookId));
      await page.click('#connect-button');
      await page.waitForSelector('#connect-message .callout.ok');
      await page.waitForSelector('#checklist li.done');
      await page.waitForSelector('#next-runs-saved li', { timeout: 15_000 });
      expect(await page.textContent('#next-runs-saved')).toContain('Temporal will post the next digests at');

      // The time-zone picker: searchable, canonical names with offsets.
      const zones = await page.$$eval('#timezone-list option', (os) =>
        os.map((o) => ({ value: (o as HTMLOptionElement).value, label: (o as HTMLOptionElement).label })),
      );
      const names = zones.map((z) => z.value);
      expect(names).toContain('Asia/Kolkata');
      expect(names).toContain('Europe/Kyiv');
      expect(names).not.toContain('Asia/Calcutta');
      expect(names).not.toContain('Europe/Kiev');
      expect(zones.find((z) => z.value === 'Asia/Kolkata')!.label).toBe('Asia/Kolkata (UTC+05:30)');
      expect(await page.getAttribute('#timezone', 'type')).toBe('search');

      // Unsaved schedule: the next runs are previewed, and labelled as not saved.
      await page.fill('#timezone', 'Asia/Kolkata');
      await page.fill('#schedule_time', '07:30');
      await page.waitForSelector('#next-runs-draft li');
      const draft = await page.textContent('#next-runs-draft');
      expect(draft).toContain('If you save');
      expect(draft).toMatch(/07:30 \(Asia\/Kolkata\) UTC\+05:30/);
      expect(await page.textContent('#unsaved-note')).toMatch(/Unsaved changes/);
      await check('unsaved-schedule');

      // Validation: a sentence, with the allowed range.
      await page.fill('#max_lines', '2');
      await page.click('#save-settings');
      await page.waitForSelector('#max_lines-error');
      expect(await page.textContent('#max_lines-error')).toBe('Most lines per digest must be a whole number from 5 to 200.');
      expect(await page.textContent('#max_lines-hint')).toContain('A whole number from 5 to 200');

      // Save (1 click): Temporal's own next runs replace the draft.
      await page.fill('#max_lines', '14');
      await page.click('#save-settings');
      await page.waitForSelector('#settings-message .callout.ok');
      await page.waitForSelector('#next-runs-saved li');
      expect(await page.textContent('#next-runs-saved')).toMatch(/07:30 \(Asia\/Kolkata\) UTC\+05:30/);

      // A busy day, then Preview with unsaved sender overrides.
      const now = Date.now();
      await withTenant(s.handle.db, tenant.id, (tx) =>
        emitSignals(
          tx,
          Array.from({ length: 30 }, (_, i) => ({
            tenantId: tenant.id,
            type: SIGNAL_TYPES.agentExecutionFailed,
            source: 'test',
            subject: `agent-${i}`,
            occurredAt: new Date(now - 60_000 * (i + 2)),
            payload: { error_kind: 'validation', error: `field ${i} is missing from the invoice payload` },
          })),
        ),
      );
      await page.fill('#post_as_username', 'ops-bot');
      await page.fill('#post_icon_url', 'https://icons.example.com/bot.png');
      await page.click('#preview-button');
      await page.waitForSelector('#preview-panel .mm-post');
      expect(await page.textContent('#preview-title')).toContain('unsaved changes');
      expect(await page.textContent('#preview-panel .mm-name')).toBe('ops-bot');
      expect(await page.textContent('#preview-panel .mm-message')).toContain('Failures (30)');
      expect(await page.isVisible('#preview-panel .mm-cut')).toBe(true);
      expect(await page.textContent('#preview-overrides')).toMatch(/only if the Mattermost server allows integrations to override usernames/);
      expect(await page.textContent('#post_icon_url-hint')).toMatch(/override/);
      await check('preview');

      // Save them and Run now: the posted message is on the run's row, rendered.
      await page.click('#save-settings');
      await page.waitForSelector('#settings-message .callout.ok');
      await page.click('#run-now');
      await page.waitForSelector('#run-message .callout.ok', { timeout: 30_000 });
      const [post] = postsWithMarker(s.fake);
      expect(post.text).toContain('##### Failures (30)');
      await page.waitForSelector('#checklist', { state: 'detached' });
      const run = await withTenant(s.handle.db, tenant.id, (tx) => tx.execution.findFirstOrThrow({ where: { installationId, status: 'succeeded' } }));
      await page.click(`#digest-${run.id}`);
      await page.waitForSelector(`#message-${run.id} .mm-post`);
      const shown = await page.textContent(`#message-${run.id} .mm-message`);
      expect(shown).toContain('Failures (30)');
      expect(shown).toContain('… and');
      const stored = await request(s.app).get(`/api/tenants/${tenant.slug}/executions/${run.id}/message`).set(auth);
      expect(stored.body.text).toBe(post.text);
      await check('run-digest');

      // The pointer opens the full, untruncated digest.
      await page.click(`#message-${run.id} >> text=Open the full digest`);
      await page.waitForURL(/\/digest\?correlation=/);
      await page.waitForSelector('.mm-post');
      const full = await page.textContent('#full-title + p + .mm-post');
      expect(full).toContain('… and 10 more');
      expect(full).not.toContain('truncated');
      await check('full-digest');
      await page.goBack();
      await page.waitForSelector('#runs-body tbody tr');

      // Spend the quota with runs that fail (a channel that does not exist): the code-specific
      // hint shows on health and the run; Retry is disabled, says when it is possible again,
      // and that it costs a manual run.
      await page.fill('#channel', 'no-such-channel');
      await page.click('#save-settings');
      await page.waitForSelector('#settings-message .callout.ok');
      for (let i = 0; i < 2; i++) {
        await page.waitForSelector('#run-now:not([disabled])');
        await page.click('#run-now');
        await page.waitForSelector('#run-message .callout.err', { timeout: 30_000 });
        if (i === 0) await page.evaluate(() => document.querySelector('#run-message')!.replaceChildren());
      }
      await page.waitForSelector('#retry-last[disabled]');
      expect(await page.textContent('#last-error-code')).toBe('CHANNEL_NOT_FOUND');
      expect(await page.textContent('#last-error-hint')).toContain('The channel does not exist');
      expect(await page.textContent('#last-error-hint')).not.toMatch(/retries by itself|will be retried/);
      const why = await page.textContent('#retry-last-cost');
      expect(why).toMatch(/No manual runs left this hour \(a Retry is a manual run\); the next one is possible at \d\d:\d\d \(/);
      expect(await page.textContent('#run-reason')).toMatch(/the next one is possible at \d\d:\d\d/);
      await check('quota-spent');

      // The support view of the failed run: words, raw JSON behind a toggle, a waterfall, each
      // event's own status, names instead of UUIDs, a correct count, auto-refresh, the type
      // filter's suggestion and the tenant-wide Temporal link.
      const failedRun = await withTenant(s.handle.db, tenant.id, (tx) =>
        tx.execution.findFirstOrThrow({ where: { installationId, status: 'failed' }, orderBy: { createdAt: 'desc' } }),
      );
      await page.click(`tr[data-execution-id="${failedRun.id}"] >> text=What happened?`);
      await page.waitForURL(/\/admin\?correlation=/);
      await page.waitForSelector('#timeline-events li');
      const items = await page.$$eval('#timeline-events > li', (lis) => lis.length);
      expect(await page.textContent('#timeline-summary')).toMatch(new RegExp(`^${items} events over `));
      const words = (await page.$$eval('#timeline-events .event-words', (ps) => ps.map((p) => p.textContent))).join('\n');
      expect(words).toContain('Mattermost code CHANNEL_NOT_FOUND');
      expect(words).toContain('For Mattermost Daily Ops Digest.');
      expect(words).not.toContain('installation:');
      expect(await page.textContent('#timeline-events')).toContain('The channel does not exist'); // the run's code-specific hint
      const requested = page.locator('#timeline-events > li', { hasText: 'Manual run requested' });
      expect(await requested.locator('.what .badge').textContent()).toBe('pending');
      expect(await page.$$eval('#timeline-events .waterfall > span', (bars) => bars.map((b) => (b as HTMLElement).style.left)).then((l) => l.length)).toBe(
        items,
      );
      expect(await page.$$eval('#timeline-events details > summary', (ss) => ss.every((x) => x.textContent === 'Raw JSON'))).toBe(true);
      expect(await page.getAttribute('a.temporal-link >> nth=0', 'href')).toMatch(/query=TenantId%20%3D%20%22/);
      await page.fill('#type', 'mattermost');
      await page.waitForSelector('#use-type-prefix');
      expect(await page.textContent('#use-type-prefix')).toBe('mattermost.');
      await page.waitForSelector('#signals-body tbody tr');
      expect(await page.textContent('#signals-body')).toContain('Mattermost Daily Ops Digest');
      // Something new happens under this correlation id: the open timeline shows it by itself.
      await withTenant(s.handle.db, tenant.id, (tx) =>
        emitSignals(tx, [
          {
            tenantId: tenant.id,
            type: SIGNAL_TYPES.agentExecutionCompleted,
            source: 'test',
            correlationId: failedRun.correlationId,
            subject: `installation:${installationId}`,
            payload: {},
          },
        ]),
      );
      await page.waitForFunction((n) => document.querySelectorAll('#timeline-events > li').length === n + 1, items, { timeout: 15_000 });
      await check('support-view');
      await page.goto(`${server.url}/installations/${installationId}`);
      await page.waitForSelector('#runs-body tbody tr');

      // A long unbreakable error code must not push the phone page sideways.
      await withTenant(s.handle.db, tenant.id, (tx) =>
        tx.installation.update({
          where: { id: installationId },
          data: { lastError: `Mattermost said ${'E_UNBREAKABLE_ERROR_CODE_'.repeat(8)}`, lastErrorKind: 'validation' },
        }),
      );
      await page.reload();
      await page.waitForSelector('#last-error-message');
      await check('long-error');

      // Paused: the digest is off, and no next run is announced anywhere.
      await page.uncheck('#enabled');
      expect(await page.textContent('#next-runs-draft')).toContain('no next run');
      await page.click('#save-settings');
      await page.waitForSelector('#next-runs-paused');
      expect(await page.textContent('#next-runs-paused')).toContain('no next run');
      expect(await page.textContent('#next-digest')).toBe('none: the daily digest is off');
      await check('paused');

      // Disconnect reads as your own action, not as Mattermost refusing.
      await page.check('#enabled');
      await page.click('#save-settings');
      await page.waitForSelector('#settings-message .callout.ok');
      await page.waitForSelector('#disconnect-button:not([hidden])');
      page.once('dialog', (d) => void d.accept());
      await page.click('#disconnect-button');
      await page.waitForSelector('#disconnected-note');
      expect(await page.textContent('#connect-message')).toContain('You disconnected Mattermost');
      expect(await page.$('#reconnect-callout')).toBeNull();
      await check('disconnected');

      // My installations lists it; Uninstall asks first (dismiss: nothing happens), then goes.
      await page.goto(`${server.url}/installations`);
      await page.waitForSelector(`tr[data-installation-id="${installationId}"]`);
      await check('my-installations');
      await page.click(`tr[data-installation-id="${installationId}"] a`);
      await page.waitForSelector('#uninstall-button');
      page.once('dialog', (d) => void d.dismiss());
      await page.click('#uninstall-button');
      expect((await withTenant(s.handle.db, tenant.id, (tx) => tx.installation.findUniqueOrThrow({ where: { id: installationId } }))).status).toBe('installed');
      page.once('dialog', (d) => void d.accept());
      await page.click('#uninstall-button');
      await waitFor(
        async () =>
          (await withTenant(s.handle.db, tenant.id, (tx) => tx.installation.findUniqueOrThrow({ where: { id: installationId } }))).status === 'uninstalled',
        30_000,
      );
      await page.waitForSelector('#page-message .callout.warn');
      await check('uninstalled');
      void DIGEST_PACKAGE_SLUG;

      expect(guard.outside).toEqual([]);
      expect(errors).toEqual([]);
    });
  });
});
