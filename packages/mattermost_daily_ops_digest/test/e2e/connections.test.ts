/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// Connections and the channel picker, in headless Chromium on a desktop and a 390 px phone,
// against the real app, Postgres, Temporal and the Mattermost fake: the organisation connects
// Mattermost once with a token on the Connections page (who connected it, the packages bound to
// it), the installation page picks the channel from the public channels the token's user can post
// to (searchable, none chosen until you choose), a webhook connection defaults to the webhook's own
// channel, and a Disconnect reads as your own — or names the API token that sent it. Screenshots,
// no sideways overflow, accessibility checks and no request leaves the machine.
import request from 'supertest';
import { withTenant } from '../../../../lib/db/with-tenant';
import { DIGEST_PACKAGE_SLUG } from '../../definition';
import { signInOnPage, useAppInBrowser, useViewportPage, VIEWPORTS } from '../../../../test/helpers/browser-suite';
import { createTestTenant, waitFor } from '../../../../test/helpers/db';
import { openDigestStack } from '../../../../test/helpers/digest-stack';
import { createTestUser } from '../../../../test/helpers/session';

jest.setTimeout(180_000);

describe('Connections and the channel picker, desktop and phone', () => {
  const suite = useAppInBrowser(openDigestStack);

  describe.each(VIEWPORTS)('$name', (viewport) => {
    const view = useViewportPage(suite, viewport, 'connections');

    it('connect once with a token, pick the channel from a list, a webhook’s own channel, and who disconnected it', async () => {
      const { stack: s, server } = suite;
      const { page, guard, errors, check } = view;
      const tenant = await createTestTenant(s.handle, `cx-${viewport.name}`);
      const user = await createTestUser(s.handle, { memberships: [{ tenantId: tenant.id, role: 'owner' }], name: 'Robin Ops' });
      const api = (role: 'owner' | 'admin' = 'owner') => ({ authorization: `Bearer ${tenant.tokens[role]}` });
      // The token's user: in 20 public channels (a long list), one private channel, and not in town-square.
      const bot = s.fake.createUser({ username: `picker-${viewport.name}`, isBot: true });
      const names: string[] = [];
      for (let i = 1; i <= 20; i++) {
        const n = String(i).padStart(2, '0');
        const name = `${viewport.name}-room-${n}`;
        s.fake.createChannel({ name, displayName: `${viewport.name} room ${n} with a rather long display name`, members: [bot.username] });
        names.push(name);
      }
      s.fake.createChannel({ name: `${viewport.name}-hidden`, type: 'P', members: [bot.username] });
      const installed = await request(s.app).post(`/api/tenants/${tenant.slug}/installations`).set(api()).send({ package_slug: DIGEST_PACKAGE_SLUG });
      const installationId = installed.body.installation.id as string;
      await waitFor(
        async () => (await withTenant(s.handle.db, tenant.id, (tx) => tx.installation.findUnique({ where: { id: installationId } })))?.status === 'installed',
      );

      await signInOnPage(page, server.url, user);

      // Connections: nothing connected yet; the digest is listed as not connected.
      await page.click('nav >> text=Connections');
      await page.waitForURL(/\/integrations$/);
      await page.waitForSelector('#not-connected');
      await page.waitForSelector(`#bindings tr[data-installation-id="${installationId}"]`);
      expect(await page.textContent('#bindings')).toContain('not connected');
      await check('not-connected');

      // Connect once with a token.
      await page.check('#kind-pat');
      await page.fill('#base_url', s.fake.url);
      await page.fill('#token', bot.token);
      await page.fill('#team', s.fake.team.name);
      await page.click('#connect-button');
      await page.waitForSelector('#connect-message .callout.ok');
      expect(await page.textContent('#connect-message')).toContain('1 package now posts through it');
      expect(await page.textContent('#connected-by')).toContain('by you');
      expect(await page.textContent('#credential-facts')).toContain(bot.username);
      expect(await page.textContent('#bindings')).toContain('this connection');
      expect(await page.textContent('#bindings')).toContain('no channel');
      expect(await page.content()).not.toContain(bot.token);
      expect(await page.inputValue('#token')).toBe('');
      await check('connected-token');

      // The installation page: a select of the channels the token's user can post to, none chosen.
      await page.click(`#bindings a[href="/installations/${installationId}"]`);
      await page.waitForSelector('#channel-picker:not([hidden])', { timeout: 15_000 });
      expect(await page.isVisible('#channel')).toBe(false);
      expect(await page.inputValue('#channel-select')).toBe('');
      expect(await page.textContent('#channel-select option:first-child')).toBe('Choose a channel…');
      const values = await page.$$eval('#channel-select option', (os) => os.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
      expect(values).toEqual(names); // the public channels it is in, by display name: not town-square, not the private one
      expect(await page.textContent('#channel-select-hint')).toContain('20 public channels');
      expect(await page.textContent('#checklist')).toContain('Pick the channel');
      expect(await page.textContent('#connection-scope')).toContain('Your organisation’s connection');
      // Reconnect starts from the connection's method and its non-secret fields, never the token.
      expect(await page.isChecked('#kind-pat')).toBe(true);
      expect(await page.inputValue('#team')).toBe(s.fake.team.name);
      expect(await page.inputValue('#token')).toBe('');
      // Long: it can be filtered.
      await page.fill('#channel-search', 'room 07');
      expect(await page.$$eval('#channel-select option', (os) => os.map((o) => (o as HTMLOptionElement).value))).toEqual(['', `${viewport.name}-room-07`]);
      await check('channel-picker-filtered');
      await page.selectOption('#channel-select', `${viewport.name}-room-07`);
      expect(await page.textContent('#unsaved-note')).toContain('Unsaved changes');
      await page.click('#save-settings');
      await page.waitForSelector('#settings-message .callout.ok');
      const saved = await withTenant(s.handle.db, tenant.id, (tx) => tx.installation.findUniqueOrThrow({ where: { id: installationId } }));
      expect((saved.config as { channel: string }).channel).toBe(`${viewport.name}-room-07`);
      await page.fill('#channel-search', '');
      expect(await page.inputValue('#channel-select')).toBe(`${viewport.name}-room-07`);
      await check('channel-picked');
      // The list is read once per connection, not on every refresh of the page (it polls every 10 s).
      let reads = 0;
      const countReads = (r: { url(): string }) => void (r.url().includes('/integrations/mattermost/channels') && reads++);
      page.on('request', countReads);
      await page.waitForTimeout(11_000);
      page.off('request', countReads);
      expect(reads).toBe(0);

      // Connections shows the binding with its channel.
      await page.goto(`${server.url}/integrations`);
      await page.waitForSelector(`#bindings tr[data-installation-id="${installationId}"]`);
      expect(await page.textContent(`#bindings tr[data-installation-id="${installationId}"]`)).toContain(`${viewport.name}-room-07`);

      // Disconnect (yours): the sentence says so, and names the package that stops posting.
      let question = '';
      page.once('dialog', (d) => {
        question = d.message();
        void d.accept();
      });
      await page.click('#disconnect-button');
      await page.waitForSelector('#disconnected-note');
      expect(question).toContain('Mattermost Daily Ops Digest will stop posting');
      expect(await page.textContent('#disconnected-note')).toMatch(/You disconnected Mattermost on/);
      await check('disconnected-by-you');

      // A webhook connection: the installation page offers the webhook's own channel as the default.
      const hookId = s.fake.createHook({ channel: 'town-square' });
      await page.check('#kind-webhook');
      await page.fill('#webhook_url', s.fake.hookUrl(hookId));
      await page.uncheck('#verify');
      await page.click('#connect-button');
      await page.waitForSelector('#connect-message .callout.ok');
      expect(await page.content()).not.toContain(hookId);
      await page.goto(`${server.url}/installations/${installationId}`);
      await page.waitForSelector('#credential-facts');
      await page.waitForFunction(() => !(document.querySelector('#channel-text') as HTMLElement).hidden);
      expect(await page.isVisible('#channel-picker')).toBe(false);
      expect(await page.getAttribute('#channel', 'placeholder')).toBe('the webhook’s own channel');
      expect(await page.textContent('#channel-hint')).toContain('Empty: the webhook’s own channel (the default)');
      await check('webhook-own-channel');

      // Disconnected with an API token (no user): the page names the token.
      await request(s.app).delete(`/api/tenants/${tenant.slug}/integrations/mattermost`).set(api('admin')).expect(204);
      await page.goto(`${server.url}/integrations`);
      await page.waitForSelector('#disconnected-note');
      expect(await page.textContent('#disconnected-note')).toMatch(/The API token “admin” disconnected Mattermost on/);
      await check('disconnected-by-token');

      expect(guard.outside).toEqual([]);
      expect(errors).toEqual([]);
    });
  });
});
