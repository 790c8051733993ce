// Connect / Reconnect / Revoke Mattermost through the API, on the real app, Postgres, Temporal
// and the Mattermost fake: what is verified, what is stored (encrypted, bound to its row), what
// is shown (never the secret), and what is refused before any request leaves the machine.
import net from 'node:net';
import request from 'supertest';
import type { Client } from 'pg';
import { loadCredentialSecret } from '../../../../lib/credentials/load-credential';
import { withTenant } from '../../../../lib/db/with-tenant';
import { VERIFY_WEBHOOK_TEXT } from '../../../../lib/mattermost';
import { SIGNAL_TYPES } from '../../../../lib/signals/catalogue';
import { digestScheduleId } from '../../../../lib/temporal/contract';
import { TEST_KEYRING } from '../../../../test/helpers/app';
import { adminClient, type TestTenant } from '../../../../test/helpers/db';
import { auth, openDigestStack, waitForExecution, type DigestStack } from '../../../../test/helpers/digest-stack';
import { installedTenant } from '../helpers/installed-digest';

const PRESENTED_KEYS = [
  'connected_at',
  'connected_by',
  'disconnect_reason',
  'disconnected_at',
  'disconnected_by',
  'fingerprint',
  'first_refused_at',
  'host',
  'id',
  'kind',
  'last_error',
  'last_refusal_code',
  'last_verified_at',
  'metadata',
  'provider',
  'state',
  'status',
  'updated_at',
];

interface CredentialRow {
  id: string;
  tenant_id: string;
  kind: string;
  status: string;
  ciphertext: Buffer;
  nonce: Buffer;
  auth_tag: Buffer;
  key_id: string;
  fingerprint: string;
  host: string;
  metadata: Record<string, unknown>;
  updated_at: Date;
}

describe('Mattermost credential: connect, reconnect, revoke', () => {
  let s: DigestStack;
  let admin: Client;

  beforeAll(async () => {
    s = await openDigestStack();
    admin = await adminClient();
  });
  afterAll(async () => {
    await admin.end();
    await s.close();
  });
  beforeEach(() => s.fake.reset());

  const path = (tenant: TestTenant, installationId: string, rest = 'credential') => `/api/tenants/${tenant.slug}/installations/${installationId}/${rest}`;
  const connect = (tenant: TestTenant, installationId: string, body: unknown, role: keyof TestTenant['tokens'] = 'owner') =>
    request(s.app)
      .put(path(tenant, installationId))
      .set(auth(tenant, role))
      .send(body as object);
  const credentialRow = async (id: string): Promise<CredentialRow> =>
    (await admin.query<CredentialRow>('select * from integration_credentials where id = $1', [id])).rows[0];
  const installationRow = async (id: string) =>
    (
      await admin.query<{ credential_id: string | null; schedule_id: string | null; config: Record<string, unknown> }>(
        'select credential_id, schedule_id, config from installations where id = $1',
        [id],
      )
    ).rows[0];
  const credentialSignals = (tenant: TestTenant, type: string) =>
    withTenant(s.handle.db, tenant.id, (tx) => tx.signal.findMany({ where: { type }, orderBy: [{ occurredAt: 'asc' }, { createdAt: 'asc' }] }));
  const decrypt = (tenant: TestTenant, credentialId: string) =>
    withTenant(s.handle.db, tenant.id, (tx) => loadCredentialSecret(tx, TEST_KEYRING, credentialId));
  const expectNoSecretIn = (text: string, ...secrets: string[]) => {
    for (const secret of secrets) {
      expect(text).not.toContain(secret);
      // Only the last four characters of a hook key may ever be shown.
      if (secret.length > 8) expect(text).not.toContain(secret.slice(0, -4));
    }
  };

  describe('webhook', () => {
    it('test_post: verified by a visible post; only non-secret facts come back; connected, signalled, scheduled', async () => {
      const { tenant, installationId } = await installedTenant(s, { connect: false, config: { timezone: 'Europe/Berlin', schedule_time: '07:30' } });
      const hookId = s.fake.createHook({ channel: 'town-square' });
      const hookUrl = s.fake.hookUrl(hookId);

      const res = await connect(tenant, installationId, { kind: 'webhook', webhook_url: hookUrl, verify: 'test_post' });
      expect(res.status).toBe(200);

      // The verification post reached the webhook's channel.
      const posts = s.fake.received();
      expect(posts).toHaveLength(1);
      expect(posts[0]).toMatchObject({ via: 'webhook', hookId, channelName: 'town-square', text: VERIFY_WEBHOOK_TEXT });

      const credential = res.body.credential;
      expect(Object.keys(credential).sort()).toEqual(PRESENTED_KEYS);
      expect(credential).toMatchObject({
        provider: 'mattermost',
        kind: 'webhook',
        host: `127.0.0.1:${s.fake.port}`,
        status: 'connected',
        last_error: null,
        metadata: { masked_url: `${s.fake.url}/hooks/…${hookId.slice(-4)}`, verified_by: 'test_post' },
      });
      expect(credential.fingerprint).toMatch(/^[0-9a-f]{8}$/);
      expect(credential.last_verified_at).not.toBeNull();
      expectNoSecretIn(res.text, hookUrl, hookId);

      const shown = await request(s.app).get(path(tenant, installationId)).set(auth(tenant, 'member'));
      expect(shown.status).toBe(200);
      expect(shown.body.credential).toMatchObject({ id: credential.id, kind: 'webhook', fingerprint: credential.fingerprint, status: 'connected' });
      expectNoSecretIn(shown.text, hookUrl, hookId);

      const installation = await installationRow(installationId);
      expect(installation.credential_id).toBe(credential.id);
      expect(installation.config.mattermost_credential_id).toBe(credential.id);

      const row = await credentialRow(credential.id);
      expect(row).toMatchObject({ tenant_id: tenant.id, kind: 'webhook', status: 'connected', key_id: 'test1', fingerprint: credential.fingerprint });
      expect(row.nonce).toHaveLength(12);
      expect(row.auth_tag).toHaveLength(16);
      expect(row.ciphertext.toString('latin1')).not.toContain(hookId);
      expect((await decrypt(tenant, credential.id)).secret).toEqual({ kind: 'webhook', webhook_url: hookUrl });

      const [signal, ...more] = await credentialSignals(tenant, SIGNAL_TYPES.credentialConnected);
      expect(more).toHaveLength(0);
      expect(signal).toMatchObject({
        source: 'fleetprompt.api',
        subject: `installation:${installationId}`,
        correlationId: `credential:${credential.id}`,
        payload: {
          credential_id: credential.id,
          installation_id: installationId,
          kind: 'webhook',
          host: credential.host,
          fingerprint: credential.fingerprint,
          reconnect: false,
          verified_by: 'test_post',
        },
      });
      expectNoSecretIn(JSON.stringify(signal), hookUrl, hookId);

      // Connecting creates the daily schedule, shown with its zone and next runs.
      expect(res.body.schedule).toMatchObject({
        schedule_id: digestScheduleId(installationId),
        paused: false,
        timezone: 'Europe/Berlin',
        schedule_time: '07:30',
      });
      const schedule = await request(s.app)
        .get(path(tenant, installationId, 'schedule'))
        .set(auth(tenant, 'member'));
      expect(schedule.status).toBe(200);
      expect(schedule.body.schedule).toMatchObject({
        schedule_id: digestScheduleId(installationId),
        timezone: 'Europe/Berlin',
        schedule_time: '07:30',
        paused: false,
      });
      expect(schedule.body.schedule.next_runs.length).toBeGreaterThan(0);
      for (const run of schedule.body.schedule.next_runs) {
        expect(run.local).toMatch(/ 07:30$/);
        expect(run.utc_offset).toMatch(/^\+0[12]:00$/);
        expect(new Date(run.at).getTime()).toBeGreaterThan(Date.now());
      }
      expect(installation.schedule_id).toBe(digestScheduleId(installationId));
    });

    it('dry_run: checks the URL without posting anything', async () => {
      const { tenant, installationId } = await installedTenant(s, { connect: false });
      const hookUrl = s.fake.hookUrl(s.fake.createHook({ channel: 'town-square' }));
      const res = await connect(tenant, installationId, { kind: 'webhook', webhook_url: hookUrl, verify: 'dry_run' });
      expect(res.status).toBe(200);
      expect(res.body.credential).toMatchObject({ status: 'connected', metadata: { verified_by: 'dry_run' } });
      expect(s.fake.requests()).toEqual([]);
      expect(s.fake.received()).toEqual([]);
    });

    it('an unknown hook is refused as auth; nothing is stored', async () => {
      const { tenant, installationId } = await installedTenant(s, { connect: false });
      const hookId = 'zz9unknownhook0000000abcde';
      const res = await connect(tenant, installationId, { kind: 'webhook', webhook_url: s.fake.hookUrl(hookId), verify: 'test_post' });
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('CREDENTIAL_REJECTED');
      expect(res.body.error.details).toMatchObject({ kind: 'auth', mattermost_code: 'INVALID_WEBHOOK', status: 400 });
      expect(res.body.error.details.hint).toMatch(/Create a new incoming webhook/);
      expectNoSecretIn(res.text, hookId);
      expect(s.fake.requests()).toHaveLength(1);
      expect((await installationRow(installationId)).credential_id).toBeNull();
      expect((await admin.query('select 1 from integration_credentials where tenant_id = $1', [tenant.id])).rowCount).toBe(0);
      expect(await credentialSignals(tenant, SIGNAL_TYPES.credentialConnected)).toHaveLength(0);
    });

    it('a configured channel that does not exist is refused as validation', async () => {
      const { tenant, installationId } = await installedTenant(s, { connect: false, channel: 'no-such-channel' });
      const hookId = s.fake.createHook({ channel: 'town-square' });
      const res = await connect(tenant, installationId, { kind: 'webhook', webhook_url: s.fake.hookUrl(hookId), verify: 'test_post' });
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('CREDENTIAL_REJECTED');
      expect(res.body.error.details).toMatchObject({ kind: 'validation', mattermost_code: 'CHANNEL_NOT_FOUND', status: 404 });
      expect(res.body.error.details.hint).toMatch(/channel/);
      expect(s.fake.received()).toHaveLength(0);
      expectNoSecretIn(res.text, hookId);
      expect((await installationRow(installationId)).credential_id).toBeNull();
    });

    it('a URL that is not an incoming-webhook URL is refused with a clear message, before any request', async () => {
      const { tenant, installationId } = await installedTenant(s, { connect: false });
      for (const verify of ['dry_run', 'test_post']) {
        for (const url of [`${s.fake.url}/api/v4/posts`, `${s.fake.url}/hooks/`, `${s.fake.url}/`]) {
          const res = await connect(tenant, installationId, { kind: 'webhook', webhook_url: url, verify });
          expect({ url, verify, status: res.status }).toEqual({ url, verify, status: 422 });
          expect(res.body.error.code).toBe('CREDENTIAL_REJECTED');
          expect(res.body.error.message).toMatch(/is not an incoming-webhook URL: it should end in \/hooks\/ followed by the webhook key/);
          expect(res.body.error.details).toMatchObject({ kind: 'validation', mattermost_code: 'URL_INVALID' });
          expect(res.body.error.details.hint).toMatch(/Incoming Webhooks/);
        }
      }
      expect(s.fake.requests()).toEqual([]);
      expect((await installationRow(installationId)).credential_id).toBeNull();
    });

    it('a URL with a user name and password is refused the same way for dry_run and test_post, without echoing them', async () => {
      const { tenant, installationId } = await installedTenant(s, { connect: false });
      const hookId = s.fake.createHook({ channel: 'town-square' });
      const url = s.fake.hookUrl(hookId).replace('http://', 'http://mmuser:hunter2password@');
      for (const verify of ['dry_run', 'test_post']) {
        const res = await connect(tenant, installationId, { kind: 'webhook', webhook_url: url, verify });
        expect({ verify, status: res.status }).toEqual({ verify, status: 422 });
        expect(res.body.error.details).toMatchObject({ kind: 'validation', mattermost_code: 'URL_INVALID' });
        expect(res.body.error.details.hint).toMatch(/Copy the webhook URL again/);
        expect(res.body.error.message).toMatch(/user name or password/);
        expectNoSecretIn(res.text, hookId, 'hunter2password');
      }
      expect(s.fake.requests()).toEqual([]);
    });
  });

  describe('SSRF guard', () => {
    /** Fails any TCP connection to a non-loopback address while installed, and records it. */
    function outboundTripwire() {
      const attempts: string[] = [];
      const original = net.Socket.prototype.connect;
      const spy = jest.spyOn(net.Socket.prototype, 'connect').mockImplementation(function (this: net.Socket, ...args: unknown[]) {
        const first = (Array.isArray(args[0]) ? args[0][0] : args[0]) as { host?: string; path?: string } | number | string;
        const host =
          typeof first === 'object' && first !== null
            ? first.path
              ? null
              : (first.host ?? 'localhost')
            : typeof first === 'number'
              ? String((args[1] as string | undefined) ?? 'localhost')
              : null;
        if (host !== null && !/^(127\.\d+\.\d+\.\d+|localhost|::1|\[::1\])$/.test(host)) {
          attempts.push(host);
          process.nextTick(() => this.destroy(new Error(`tripwire: connection to ${host} refused by the test`)));
          return this;
        }
        return (original as (...a: unknown[]) => net.Socket).apply(this, args);
      });
      return { attempts, restore: () => spy.mockRestore() };
    }

    it('refuses private, link-local and metadata addresses in every form, for dry_run, test_post and tokens — nothing leaves the machine', async () => {
      const { tenant, installationId } = await installedTenant(s, { connect: false });
      const key = 'abcdefghijklmnopqrstuvwxyz';
      const hosts = [
        '10.0.0.1',
        '169.254.169.254',
        '0x0a000001' /* 10.0.0.1 */,
        '2852039166' /* 169.254.169.254 */,
        '[::ffff:a9fe:a9fe]',
        '[fd00::1]',
        '192.168.1.1:8065',
        '0.0.0.0',
      ];
      const wire = outboundTripwire();
      try {
        // The tripwire itself works: a direct connection attempt is caught.
        const probe = net.connect({ host: '10.0.0.1', port: 9 });
        await new Promise((resolve) => probe.once('error', resolve));
        expect(wire.attempts).toEqual(['10.0.0.1']);
        wire.attempts.length = 0;

        for (const host of hosts) {
          for (const verify of ['dry_run', 'test_post']) {
            const res = await connect(tenant, installationId, { kind: 'webhook', webhook_url: `http://${host}/hooks/${key}`, verify });
            expect({ host, verify, status: res.status, code: res.body.error?.code }).toEqual({ host, verify, status: 422, code: 'CREDENTIAL_REJECTED' });
            expect(res.body.error.details).toMatchObject({ kind: 'validation', mattermost_code: 'URL_NOT_ALLOWED' });
            expect(res.body.error.details.hint).toMatch(/private or local network/);
            expect(res.body.error.message).toMatch(/will not call/);
            expectNoSecretIn(res.text, key);
          }
          const pat = await connect(tenant, installationId, { kind: 'pat', base_url: `http://${host}`, token: s.fake.token, team: 'fleet' });
          expect({ host, status: pat.status }).toEqual({ host, status: 422 });
          expect(pat.body.error.details).toMatchObject({ kind: 'validation', mattermost_code: 'URL_NOT_ALLOWED' });
          expectNoSecretIn(pat.text, s.fake.token);
        }
      } finally {
        wire.restore();
      }
      expect(wire.attempts).toEqual([]);
      expect((await installationRow(installationId)).credential_id).toBeNull();
    });
  });

  describe('personal access token', () => {
    it('is verified with /users/me; a revoked or wrong token is refused as auth and the working credential stays intact', async () => {
      const { tenant, installationId } = await installedTenant(s, { connect: false, channel: 'town-square' });
      const res = await connect(tenant, installationId, { kind: 'pat', base_url: s.fake.url, token: s.fake.token, team: s.fake.team.name });
      expect(res.status).toBe(200);
      const credential = res.body.credential;
      expect(credential).toMatchObject({
        kind: 'pat',
        status: 'connected',
        host: `127.0.0.1:${s.fake.port}`,
        metadata: { base_url: s.fake.url, team: 'fleet', verified_by: 'users_me+channel_member', username: s.fake.user.username },
      });
      expect(s.fake.requests().map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(expect.arrayContaining(['GET /api/v4/users/me 200']));
      expect(s.fake.received()).toHaveLength(0); // a token is verified without posting
      expectNoSecretIn(res.text, s.fake.token);
      const before = await credentialRow(credential.id);

      const revoked = s.fake.createUser({ username: `bot-${Date.now()}`, isBot: true });
      s.fake.revokeToken(revoked.token);
      for (const token of [revoked.token, 'wrongtoken0123456789abcdef']) {
        const bad = await connect(tenant, installationId, { kind: 'pat', base_url: s.fake.url, token, team: s.fake.team.name });
        expect(bad.status).toBe(422);
        expect(bad.body.error.code).toBe('CREDENTIAL_REJECTED');
        expect(bad.body.error.details).toMatchObject({ kind: 'auth', mattermost_code: 'TOKEN_INVALID', status: 401 });
        expect(bad.body.error.details.hint).toMatch(/personal access token/);
        expectNoSecretIn(bad.text, token, s.fake.token);
      }

      // Nothing was stored: same bytes, same facts, and it still decrypts to the working token.
      const after = await credentialRow(credential.id);
      expect(after).toEqual(before);
      expect((await decrypt(tenant, credential.id)).secret).toEqual({ kind: 'pat', base_url: s.fake.url, token: s.fake.token, team: 'fleet' });
      expect(await credentialSignals(tenant, SIGNAL_TYPES.credentialConnected)).toHaveLength(1);
      expect((await installationRow(installationId)).credential_id).toBe(credential.id);
    });
  });

  describe('input validation', () => {
    it('answers 400 VALIDATION_FAILED with one entry per field', async () => {
      const { tenant, installationId } = await installedTenant(s, { connect: false });
      const cases: [unknown, string[]][] = [
        [{}, ['kind']],
        [{ webhook_url: `${s.fake.url}/hooks/abcdefghijklmnop` }, ['kind']],
        [{ kind: 'slack', webhook_url: `${s.fake.url}/hooks/abcdefghijklmnop` }, ['kind']],
        [{ kind: 'webhook', webhook_url: 'ftp://mm.example.com/hooks/abcdefghijklmnop' }, ['webhook_url']],
        [{ kind: 'webhook' }, ['webhook_url']],
        [{ kind: 'webhook', webhook_url: `${s.fake.url}/hooks/abcdefghijklmnop`, verify: 'maybe' }, ['verify']],
        [{ kind: 'pat', base_url: 'javascript:alert(1)', token: 'short' }, ['base_url', 'token']],
        [{ kind: 'pat', base_url: s.fake.url, token: s.fake.token, team: 'Not A Team' }, ['team']],
      ];
      for (const [body, fields] of cases) {
        const res = await connect(tenant, installationId, body);
        expect({ body, status: res.status, code: res.body.error?.code }).toEqual({ body, status: 400, code: 'VALIDATION_FAILED' });
        const details = res.body.error.details as { path: string; message: string }[];
        expect(details.map((d) => d.path).sort()).toEqual(fields);
        for (const d of details) expect(d.message.length).toBeGreaterThan(5);
      }
      const ftp = await connect(tenant, installationId, { kind: 'webhook', webhook_url: 'ftp://mm.example.com/hooks/abcdefghijklmnop' });
      expect(ftp.body.error.details).toEqual([{ path: 'webhook_url', message: 'must be an http(s) URL' }]);
      // The rejected value (it may be a secret) is not echoed back.
      expect(ftp.text).not.toContain('abcdefghijklmnop');
      const extra = await connect(tenant, installationId, {
        kind: 'webhook',
        webhook_url: `${s.fake.url}/hooks/abcdefghijklmnop`,
        verify: 'dry_run',
        token: 'x',
      });
      expect(extra.status).toBe(400);
      expect(s.fake.requests()).toEqual([]);
      expect((await installationRow(installationId)).credential_id).toBeNull();
    });
  });

  describe('reconnect', () => {
    it('replaces the secret in place: same id, new ciphertext and nonce, new fingerprint, reconnect signal', async () => {
      const { tenant, installationId, hookUrl: firstUrl } = await installedTenant(s);
      const firstId = (await installationRow(installationId)).credential_id!;
      const first = await credentialRow(firstId);

      const secondHook = s.fake.createHook({ channel: 'town-square' });
      const secondUrl = s.fake.hookUrl(secondHook);
      const res = await connect(tenant, installationId, { kind: 'webhook', webhook_url: secondUrl, verify: 'test_post' });
      expect(res.status).toBe(200);
      expect(res.body.credential.id).toBe(firstId);
      expect(res.body.credential.metadata.masked_url).toBe(`${s.fake.url}/hooks/…${secondHook.slice(-4)}`);

      const second = await credentialRow(firstId);
      expect(second.ciphertext.equals(first.ciphertext)).toBe(false);
      expect(second.nonce.equals(first.nonce)).toBe(false);
      expect(second.auth_tag.equals(first.auth_tag)).toBe(false);
      expect(second.fingerprint).not.toBe(first.fingerprint);
      expect(res.body.credential.fingerprint).toBe(second.fingerprint);
      expect((await admin.query('select id from integration_credentials where tenant_id = $1', [tenant.id])).rows).toEqual([{ id: firstId }]);
      expect((await installationRow(installationId)).credential_id).toBe(firstId);
      expect((await decrypt(tenant, firstId)).secret).toEqual({ kind: 'webhook', webhook_url: secondUrl });

      const signals = await credentialSignals(tenant, SIGNAL_TYPES.credentialConnected);
      expect(signals.map((x) => (x.payload as { reconnect: boolean }).reconnect)).toEqual([false, true]);
      expect(signals[1].payload).toMatchObject({ credential_id: firstId, fingerprint: second.fingerprint, verified_by: 'test_post' });
      expectNoSecretIn(JSON.stringify(signals), firstUrl!, secondUrl, secondHook);

      // Reconnecting with the same secret again still re-encrypts under a fresh nonce.
      await connect(tenant, installationId, { kind: 'webhook', webhook_url: secondUrl, verify: 'dry_run' }).expect(200);
      const third = await credentialRow(firstId);
      expect(third.nonce.equals(second.nonce)).toBe(false);
      expect(third.fingerprint).toBe(second.fingerprint);
    });
  });

  describe('ciphertext bound to its row', () => {
    it('a ciphertext copied into another tenant’s row does not decrypt there; a run fails as auth without posting', async () => {
      const [a, b] = await Promise.all([installedTenant(s), installedTenant(s)]);
      const aId = (await installationRow(a.installationId)).credential_id!;
      const bId = (await installationRow(b.installationId)).credential_id!;
      const source = await credentialRow(aId);
      await admin.query('update integration_credentials set ciphertext = $1, nonce = $2, auth_tag = $3, key_id = $4 where id = $5', [
        source.ciphertext,
        source.nonce,
        source.auth_tag,
        source.key_id,
        bId,
      ]);

      await expect(decrypt(b.tenant, bId)).rejects.toMatchObject({ name: 'SecretDecryptError', reason: 'authentication_failed' });
      // A's row is untouched and still decrypts.
      expect((await decrypt(a.tenant, aId)).secret).toEqual({ kind: 'webhook', webhook_url: a.hookUrl });

      const run = await request(s.app)
        .post(path(b.tenant, b.installationId, 'runs'))
        .set(auth(b.tenant))
        .send({});
      expect(run.status).toBe(202);
      const execution = await waitForExecution(s, b.tenant, run.body.execution.id);
      expect(execution.status).toBe('failed');
      expect(execution.errorKind).toBe('auth');
      expect((execution.summary as { error: string }).error).toMatch(/cannot be read; reconnect Mattermost/);
      expect(s.fake.received()).toHaveLength(0);

      // The workflow is closed (failed), not stuck retrying.
      const handle = s.t.temporal.client.workflow.getHandle(execution.workflowId!);
      await expect(handle.result()).rejects.toMatchObject({ name: 'WorkflowFailedError', cause: { type: 'auth', nonRetryable: true } });
      expect((await handle.describe()).status.name).toBe('FAILED');
      const health = await request(s.app)
        .get(path(b.tenant, b.installationId, 'health'))
        .set(auth(b.tenant, 'member'));
      expect(health.body).toMatchObject({ last_error_kind: 'auth' });
      expect(health.body.hint).toMatch(/Reconnect/);
    });
  });

  describe('revoke', () => {
    it('DELETE wipes the ciphertext, marks it revoked, signals it and removes the schedule', async () => {
      const { tenant, installationId } = await installedTenant(s);
      const credentialId = (await installationRow(installationId)).credential_id!;
      expect((await installationRow(installationId)).schedule_id).toBe(digestScheduleId(installationId));

      const res = await request(s.app).delete(path(tenant, installationId)).set(auth(tenant, 'admin'));
      expect(res.status).toBe(204);
      expect(res.text).toBe('');

      const row = await credentialRow(credentialId);
      expect(row.status).toBe('revoked');
      expect(row.ciphertext).toHaveLength(0);
      expect(row.nonce).toHaveLength(0);
      expect(row.auth_tag).toHaveLength(0);
      const [signal, ...more] = await credentialSignals(tenant, SIGNAL_TYPES.credentialRevoked);
      expect(more).toHaveLength(0);
      expect(signal).toMatchObject({
        source: 'fleetprompt.api',
        subject: `credential:${credentialId}`,
        payload: { credential_id: credentialId, kind: 'webhook', reason: 'user_disconnected', fingerprint: row.fingerprint },
      });

      const schedule = await request(s.app)
        .get(path(tenant, installationId, 'schedule'))
        .set(auth(tenant));
      expect(schedule.body).toMatchObject({ schedule: null, apply_state: 'applied' });
      expect((await installationRow(installationId)).schedule_id).toBeNull();
      const shown = await request(s.app).get(path(tenant, installationId)).set(auth(tenant));
      expect(shown.body.credential).toMatchObject({ id: credentialId, status: 'revoked' });
      await expect(decrypt(tenant, credentialId)).rejects.toMatchObject({ code: 'NOT_CONFIGURED' });

      // Revoking again is harmless; a Run now fails visibly instead of posting.
      await request(s.app).delete(path(tenant, installationId)).set(auth(tenant)).expect(204);
      expect(await credentialSignals(tenant, SIGNAL_TYPES.credentialRevoked)).toHaveLength(1);
    });

    it('DELETE also destroys a credential that Mattermost had already rejected', async () => {
      const { tenant, installationId } = await installedTenant(s);
      const credentialId = (await installationRow(installationId)).credential_id!;
      // The hook is deleted at Mattermost: refused twice, a moment apart (the stack's confirmation
      // interval), the run fails as auth and the credential is invalid.
      s.fake.failNext(2, 'invalid-hook');
      const run = await request(s.app)
        .post(path(tenant, installationId, 'runs'))
        .set(auth(tenant))
        .send({});
      const execution = await waitForExecution(s, tenant, run.body.execution.id);
      expect(execution).toMatchObject({ status: 'failed', errorKind: 'auth' });
      expect((await credentialRow(credentialId)).status).toBe('invalid');

      await request(s.app).delete(path(tenant, installationId)).set(auth(tenant)).expect(204);
      const row = await credentialRow(credentialId);
      expect(row.status).toBe('revoked');
      expect(row.ciphertext).toHaveLength(0);
      expect(row.nonce).toHaveLength(0);
      expect(row.auth_tag).toHaveLength(0);
      const revoked = await credentialSignals(tenant, SIGNAL_TYPES.credentialRevoked);
      expect(revoked.map((x) => (x.payload as { reason: string }).reason)).toEqual(['rejected_by_server', 'user_disconnected']);
      expect(
        (
          await request(s.app)
            .get(path(tenant, installationId, 'schedule'))
            .set(auth(tenant))
        ).body,
      ).toMatchObject({ schedule: null });
    });

    it('DELETE without a credential is 404', async () => {
      const { tenant, installationId } = await installedTenant(s, { connect: false });
      const res = await request(s.app).delete(path(tenant, installationId)).set(auth(tenant));
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('CREDENTIAL_NOT_FOUND');
    });
  });

  describe('access', () => {
    it('members may look but not connect or revoke; another tenant sees nothing', async () => {
      const { tenant, installationId } = await installedTenant(s);
      const credentialId = (await installationRow(installationId)).credential_id!;
      const before = await credentialRow(credentialId);
      const hookUrl = s.fake.hookUrl(s.fake.createHook({ channel: 'town-square' }));
      const body = { kind: 'webhook', webhook_url: hookUrl, verify: 'test_post' };

      const put = await connect(tenant, installationId, body, 'member');
      expect(put.status).toBe(403);
      expect(put.body.error.code).toBe('FORBIDDEN');
      const del = await request(s.app).delete(path(tenant, installationId)).set(auth(tenant, 'member'));
      expect(del.status).toBe(403);
      expect((await request(s.app).get(path(tenant, installationId)).set(auth(tenant, 'member'))).status).toBe(200);

      const other = await installedTenant(s, { connect: false });
      // Another tenant's installation id under the caller's own tenant: not found.
      for (const res of [
        await connect(other.tenant, installationId, body),
        await request(s.app).delete(path(other.tenant, installationId)).set(auth(other.tenant)),
        await request(s.app).get(path(other.tenant, installationId)).set(auth(other.tenant)),
      ]) {
        expect(res.status).toBe(404);
        expect(res.body.error.code).toBe('INSTALLATION_NOT_FOUND');
      }
      // The other tenant's token on this tenant's path: not found either.
      const cross = await request(s.app).put(path(tenant, installationId)).set(auth(other.tenant)).send(body);
      expect(cross.status).toBe(404);
      expect(cross.body.error.code).toBe('TENANT_NOT_FOUND');

      expect(s.fake.received()).toHaveLength(0);
      expect(await credentialRow(credentialId)).toEqual(before);
      expect((await installationRow(other.installationId)).credential_id).toBeNull();

      // An admin may connect.
      await connect(tenant, installationId, body, 'admin').expect(200);
    });
  });
});
