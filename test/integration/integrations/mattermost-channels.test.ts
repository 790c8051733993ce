// The channel picker on the real stack: the fake's GET /users/{id}/teams and
// /users/{id}/teams/{team_id}/channels answer as Mattermost's api4 does (server/channels/api4/
// team.go getTeamsForUser, channel.go getChannelsForTeamForUser: members' channels only, one
// unpaged answer, AppError JSON), the client keeps the public channels the token's user can post
// to, and GET /integrations/mattermost/channels is role-checked, validated and never shows the token.
import request from 'supertest';
import { withTenant } from '../../../lib/db/with-tenant';
import { createMattermostClient } from '../../../lib/mattermost';
import { auth, openDigestStack, type DigestStack } from '../../helpers/digest-stack';
import { createTestTenant, waitFor, type TestTenant } from '../../helpers/db';
import { signedInAgent } from '../../helpers/session';

describe('Mattermost channel picker', () => {
  let s: DigestStack;
  beforeAll(async () => {
    s = await openDigestStack();
  });
  afterAll(() => s?.close());

  const mm = (path: string, token: string) => fetch(`${s.fake.url}/api/v4${path}`, { headers: { authorization: `Bearer ${token}` } });

  /** A user of its own (so revoking its token leaves the fake's default user alone), in `channels` of the default team. */
  const userIn = (username: string, channels: string[]) => {
    const user = s.fake.createUser({ username });
    for (const c of channels) s.fake.addChannelMember(c, username);
    return user;
  };

  describe('the fake, against the contract', () => {
    it('lists only the teams the user is a member of; another user is 403 and a bad id 400, as AppError JSON', async () => {
      const bob = userIn('picker-bob', ['town-square']);
      s.fake.createTeam({ name: 'picker-elsewhere', members: [] });
      const mine = await mm('/users/me/teams', bob.token);
      expect(mine.status).toBe(200);
      expect(((await mine.json()) as { name: string }[]).map((t) => t.name)).toEqual([s.fake.team.name]);
      const byId = await mm(`/users/${bob.id}/teams`, bob.token);
      expect(byId.status).toBe(200);

      const other = await mm(`/users/${s.fake.user.id}/teams`, bob.token);
      expect(other.status).toBe(403);
      const body = (await other.json()) as Record<string, unknown>;
      expect(Object.keys(body)).toEqual(['id', 'message', 'detailed_error', 'request_id', 'status_code']);
      expect(body).toMatchObject({ id: 'api.context.permissions.app_error', status_code: 403, detailed_error: '' });
      expect(((await (await mm('/users/abc/teams', bob.token)).json()) as { id: string }).id).toBe('api.context.invalid_url_param.app_error');
      expect((await mm('/users/not-an-id!/teams', bob.token)).status).toBe(404); // no route: {user_id:[A-Za-z0-9]+}
    });

    it("lists the user's own channels in the team in one unpaged answer, by display name; archived ones only on request", async () => {
      const carol = s.fake.createUser({ username: 'picker-carol' });
      for (let i = 0; i < 250; i++)
        s.fake.createChannel({ name: `bulk-${String(i).padStart(3, '0')}`, displayName: `Bulk ${String(i).padStart(3, '0')}`, members: ['picker-carol'] });
      s.fake.createChannel({ name: 'carol-private', type: 'P', displayName: 'Carol private', members: ['picker-carol'] });
      s.fake.createChannel({ name: 'carol-archived', displayName: 'Aaa archived', members: ['picker-carol'] });
      s.fake.archiveChannel('carol-archived');
      // page/per_page are not read by getChannelsForTeamForUser: the whole list comes back.
      const res = await mm(`/users/me/teams/${s.fake.team.id}/channels?page=0&per_page=10`, carol.token);
      expect(res.status).toBe(200);
      const channels = (await res.json()) as { name: string; display_name: string; type: string; team_id: string }[];
      expect(channels).toHaveLength(251);
      expect(channels.map((c) => c.name)).toContain('carol-private'); // private member channels are listed too (the client filters)
      expect(channels.map((c) => c.name)).not.toContain('town-square'); // not a member
      expect(channels.map((c) => c.display_name)).toEqual([...channels.map((c) => c.display_name)].sort());
      const withDeleted = (await (await mm(`/users/me/teams/${s.fake.team.id}/channels?include_deleted=true`, carol.token)).json()) as { name: string }[];
      expect(withDeleted[0].name).toBe('carol-archived');
    });

    it('no memberships in the team is a 404; a team the user is not on 403; a revoked token 401', async () => {
      const dave = s.fake.createUser({ username: 'picker-dave' });
      const none = await mm(`/users/me/teams/${s.fake.team.id}/channels`, dave.token);
      expect(none.status).toBe(404);
      expect(((await none.json()) as { id: string }).id).toBe('app.channel.get_channels.not_found.app_error');
      const away = s.fake.createTeam({ name: 'picker-away', members: [] });
      const notOnTeam = await mm(`/users/me/teams/${away.id}/channels`, dave.token);
      expect(notOnTeam.status).toBe(403);
      expect(((await notOnTeam.json()) as { id: string }).id).toBe('api.context.permissions.app_error');
      s.fake.revokeToken(dave.token);
      const revoked = await mm('/users/me/teams', dave.token);
      expect(revoked.status).toBe(401);
      expect(((await revoked.json()) as { id: string }).id).toBe('api.context.session_expired.app_error');
    });
  });

  describe('the client', () => {
    it('keeps the public channels the user can post to: not private ones, not DMs, not public channels it is not in, not archived ones', async () => {
      const erin = userIn('picker-erin', ['ops', 'private-ops']);
      s.fake.createChannel({ name: 'erin-zeta', displayName: 'zeta lower case', members: ['picker-erin'] });
      const client = createMattermostClient({ allowedHosts: ['127.0.0.1'], timeoutMs: 2_000 });
      const list = await client.listPostableChannels(s.fake.url, erin.token, s.fake.team.name);
      expect(list.team).toMatchObject({ id: s.fake.team.id, name: s.fake.team.name });
      expect(list.channels.map((c) => c.name)).toEqual(['ops', 'erin-zeta']); // by display name, case-insensitive
      expect(list.channels[0]).toEqual({ id: s.fake.channels.ops.id, name: 'ops', display_name: 'Ops' });
      // town-square is public, but erin is not in it: Mattermost would refuse her post (403).
      expect(list.channels.map((c) => c.name)).not.toContain('town-square');
      await expect(client.listPostableChannels(s.fake.url, erin.token, 'picker-away')).rejects.toMatchObject({ code: 'TEAM_NOT_FOUND' });
    });
  });

  describe('GET /integrations/mattermost/channels', () => {
    const channelsOf = (tenant: TestTenant, role: 'owner' | 'admin' | 'member' = 'owner', query = '') =>
      request(s.app).get(`/api/tenants/${tenant.slug}/integrations/mattermost/channels${query}`).set(auth(tenant, role));
    const connectPat = (tenant: TestTenant, token: string, team: string | null = s.fake.team.name) =>
      request(s.app).put(`/api/tenants/${tenant.slug}/integrations/mattermost`).set(auth(tenant)).send({ kind: 'pat', base_url: s.fake.url, token, team });

    it("lists the connection's postable public channels for owners and admins; members 403, no login 401, another tenant 404", async () => {
      const tenant = await createTestTenant(s.handle, 'pick');
      const frank = userIn('picker-frank', ['town-square', 'ops', 'private-ops']);
      await connectPat(tenant, frank.token).expect(200);
      const res = await channelsOf(tenant);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        team: { id: s.fake.team.id, name: s.fake.team.name, display_name: 'FleetPrompt' },
        channels: [
          { id: s.fake.channels.ops.id, name: 'ops', display_name: 'Ops' },
          { id: s.fake.channels['town-square'].id, name: 'town-square', display_name: 'Town Square' },
        ],
      });
      expect(JSON.stringify(res.body)).not.toContain(frank.token);
      expect((await channelsOf(tenant, 'admin')).status).toBe(200);
      const member = await channelsOf(tenant, 'member');
      expect(member.status).toBe(403);
      expect(member.body.error.code).toBe('FORBIDDEN');
      const session = await signedInAgent(s.app, s.handle, tenant, 'member');
      expect((await session.agent.get(`/api/tenants/${tenant.slug}/integrations/mattermost/channels`)).status).toBe(403);
      expect((await request(s.app).get(`/api/tenants/${tenant.slug}/integrations/mattermost/channels`)).status).toBe(401);
      const other = await createTestTenant(s.handle, 'pick-other');
      const cross = await request(s.app).get(`/api/tenants/${tenant.slug}/integrations/mattermost/channels`).set(auth(other));
      expect(cross.status).toBe(404);
      expect(cross.body.error.code).toBe('TENANT_NOT_FOUND');
    });

    it('refuses what it cannot list with stable codes: not connected, a webhook, a token without a team, bad and unknown installation ids', async () => {
      const tenant = await createTestTenant(s.handle, 'pick');
      const unconnected = await channelsOf(tenant);
      expect(unconnected.status).toBe(422);
      expect(unconnected.body.error.code).toBe('NOT_CONFIGURED');

      const bad = await channelsOf(tenant, 'owner', '?installation_id=nope');
      expect(bad.status).toBe(400);
      expect(bad.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: [expect.objectContaining({ path: 'installation_id' })] });
      expect((await channelsOf(tenant, 'owner', '?team=x')).body.error.code).toBe('VALIDATION_FAILED');
      const unknown = await channelsOf(tenant, 'owner', '?installation_id=00000000-0000-4000-8000-000000000000');
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.code).toBe('INSTALLATION_NOT_FOUND');

      const noTeam = userIn('picker-gina', ['ops']);
      await connectPat(tenant, noTeam.token, null).expect(200);
      const teamless = await channelsOf(tenant);
      expect(teamless.status).toBe(409);
      expect(teamless.body.error.code).toBe('CHANNELS_NOT_LISTABLE');
      expect(teamless.body.error.message).toMatch(/team/);

      const hook = s.fake.hookUrl(s.fake.createHook({ channel: 'town-square' }));
      await request(s.app)
        .put(`/api/tenants/${tenant.slug}/integrations/mattermost`)
        .set(auth(tenant))
        .send({ kind: 'webhook', webhook_url: hook, verify: 'dry_run' })
        .expect(200);
      const webhook = await channelsOf(tenant);
      expect(webhook.status).toBe(409);
      expect(webhook.body.error.code).toBe('CHANNELS_NOT_LISTABLE');
      expect(webhook.body.error.message).toMatch(/own channel/);
      expect(JSON.stringify(webhook.body)).not.toContain(hook.split('/hooks/')[1]);
    });

    it('a revoked token is a clear CREDENTIAL_REJECTED (TOKEN_INVALID), counted as one refusal, the token never echoed; a team the user left is TEAM_NOT_FOUND', async () => {
      const tenant = await createTestTenant(s.handle, 'pick');
      const hank = userIn('picker-hank', ['ops']);
      await connectPat(tenant, hank.token).expect(200);
      s.fake.revokeToken(hank.token);
      const res = await channelsOf(tenant);
      expect(res.status).toBe(422);
      expect(res.body.error).toMatchObject({ code: 'CREDENTIAL_REJECTED', details: { kind: 'auth', mattermost_code: 'TOKEN_INVALID', status: 401 } });
      expect(res.body.error.details.hint).toMatch(/Reconnect/);
      expect(JSON.stringify(res.body)).not.toContain(hank.token);
      // Evidence, not a verdict: one refusal (credential-evidence.ts), shown as refused_once.
      const state = await request(s.app).get(`/api/tenants/${tenant.slug}/integrations/mattermost`).set(auth(tenant, 'member'));
      expect(state.body.connection).toMatchObject({ state: 'refused_once', last_refusal_code: 'TOKEN_INVALID', status: 'connected' });

      const tenant2 = await createTestTenant(s.handle, 'pick');
      const ivy = s.fake.createUser({ username: 'picker-ivy' });
      s.fake.createTeam({ name: 'picker-ivys', members: ['picker-ivy'] });
      s.fake.createChannel({ name: 'ivy-room', team: 'picker-ivys', members: ['picker-ivy'] });
      await connectPat(tenant2, ivy.token, 'picker-ivys').expect(200);
      expect((await channelsOf(tenant2)).body.channels.map((c: { name: string }) => c.name)).toEqual(['ivy-room']);
      s.fake.createTeam({ name: 'picker-unused' }); // (another team, to show the match is by name)
      const left = await connectPat(tenant2, ivy.token, 'picker-unused');
      expect(left.status).toBe(200); // /users/me only: the team is checked when posting or listing
      const notMember = await channelsOf(tenant2);
      expect(notMember.status).toBe(422);
      expect(notMember.body.error.details.mattermost_code).toBe('TEAM_NOT_FOUND');
    });

    it('with installation_id: the connection that installation is bound to', async () => {
      const tenant = await createTestTenant(s.handle, 'pick');
      const res = await request(s.app)
        .post(`/api/tenants/${tenant.slug}/installations`)
        .set(auth(tenant))
        .send({ package_slug: 'mattermost_daily_ops_digest' });
      const id = res.body.installation.id as string;
      await waitFor(async () => (await withTenant(s.handle.db, tenant.id, (tx) => tx.installation.findUnique({ where: { id } })))?.status === 'installed');
      const jo = userIn('picker-jo', ['town-square']);
      await connectPat(tenant, jo.token).expect(200);
      const list = await channelsOf(tenant, 'owner', `?installation_id=${id}`);
      expect(list.status).toBe(200);
      expect(list.body.channels.map((c: { name: string }) => c.name)).toEqual(['town-square']);
    });
  });

  describe('the installation routes are aliases of the tenant connection', () => {
    it("PUT …/installations/{id}/credential connects the tenant's connection; DELETE disconnects it for every bound package", async () => {
      const tenant = await createTestTenant(s.handle, 'alias');
      const install = async (slug: string, config: object) => {
        const res = await request(s.app).post(`/api/tenants/${tenant.slug}/installations`).set(auth(tenant)).send({ package_slug: slug, config });
        const id = res.body.installation.id as string;
        await waitFor(async () => (await withTenant(s.handle.db, tenant.id, (tx) => tx.installation.findUnique({ where: { id } })))?.status === 'installed');
        return id;
      };
      const digest = await install('mattermost_daily_ops_digest', {});
      const alerts = await install('mattermost_failure_alerts', { channel: 'ops' });
      const hook = s.fake.hookUrl(s.fake.createHook({ channel: 'town-square' }));
      const put = await request(s.app)
        .put(`/api/tenants/${tenant.slug}/installations/${digest}/credential`)
        .set(auth(tenant, 'admin'))
        .send({ kind: 'webhook', webhook_url: hook, verify: 'dry_run' });
      expect(put.status).toBe(200);
      const state = await request(s.app).get(`/api/tenants/${tenant.slug}/integrations/mattermost`).set(auth(tenant));
      expect(state.body.connection).toMatchObject({ id: put.body.credential.id, connected_by: { kind: 'api_token', name: 'admin' } });
      expect(state.body.bindings.map((b: { bound_to: string }) => b.bound_to)).toEqual(['tenant', 'tenant']);

      await request(s.app).delete(`/api/tenants/${tenant.slug}/installations/${digest}/credential`).set(auth(tenant)).expect(204);
      const after = await request(s.app).get(`/api/tenants/${tenant.slug}/integrations/mattermost`).set(auth(tenant));
      expect(after.body.connection).toMatchObject({ state: 'disconnected', disconnected_by: { kind: 'api_token', name: 'owner' } });
      for (const id of [digest, alerts]) {
        const last = await withTenant(s.handle.db, tenant.id, (tx) =>
          tx.installationChange.findFirst({ where: { installationId: id }, orderBy: { version: 'desc' } }),
        );
        expect(last).toMatchObject({ change: 'credential.disconnected' });
      }
      const digestHealth = await request(s.app).get(`/api/tenants/${tenant.slug}/installations/${digest}/health`).set(auth(tenant));
      expect(digestHealth.body).toMatchObject({ schedule_exists: false, connection: { state: 'disconnected' } });
      expect((await request(s.app).delete(`/api/tenants/${tenant.slug}/installations/${digest}/credential`).set(auth(tenant))).status).toBe(204); // already revoked: idempotent

      // The same from the failure alerts' page: the digest's schedule goes too.
      await request(s.app)
        .put(`/api/tenants/${tenant.slug}/installations/${alerts}/credential`)
        .set(auth(tenant))
        .send({ kind: 'webhook', webhook_url: hook, verify: 'dry_run' })
        .expect(200);
      const back = await request(s.app).get(`/api/tenants/${tenant.slug}/installations/${digest}/health`).set(auth(tenant));
      expect(back.body).toMatchObject({ schedule_exists: true, connection: { state: 'connected', connected_by: { kind: 'api_token', name: 'owner' } } });
      await request(s.app).delete(`/api/tenants/${tenant.slug}/installations/${alerts}/credential`).set(auth(tenant, 'admin')).expect(204);
      const gone = await request(s.app).get(`/api/tenants/${tenant.slug}/installations/${digest}/health`).set(auth(tenant));
      expect(gone.body).toMatchObject({ schedule_exists: false, connection: { state: 'disconnected', disconnected_by: { kind: 'api_token', name: 'admin' } } });
    });
  });

  describe('who connected and disconnected the tenant connection', () => {
    it('names the signed-in user, or the API token (a bearer token has no user); a Disconnect is a change of each bound installation', async () => {
      const tenant = await createTestTenant(s.handle, 'who');
      const installed = await request(s.app)
        .post(`/api/tenants/${tenant.slug}/installations`)
        .set(auth(tenant))
        .send({ package_slug: 'mattermost_daily_ops_digest' });
      const id = installed.body.installation.id as string;
      await waitFor(async () => (await withTenant(s.handle.db, tenant.id, (tx) => tx.installation.findUnique({ where: { id } })))?.status === 'installed');
      const owner = await signedInAgent(s.app, s.handle, tenant, 'owner');
      const hook = s.fake.hookUrl(s.fake.createHook({ channel: 'town-square' }));
      await owner.agent
        .put(`/api/tenants/${tenant.slug}/integrations/mattermost`)
        .set('x-csrf-token', owner.csrfToken)
        .send({ kind: 'webhook', webhook_url: hook, verify: 'dry_run' })
        .expect(200);
      const connected = (await request(s.app).get(`/api/tenants/${tenant.slug}/integrations/mattermost`).set(auth(tenant, 'member'))).body.connection;
      expect(connected.connected_by).toEqual({ kind: 'user', id: owner.user.id, name: owner.session.user.name, email: owner.user.email });
      expect(Date.parse(connected.connected_at)).toBeGreaterThan(Date.now() - 60_000);

      await request(s.app).delete(`/api/tenants/${tenant.slug}/integrations/mattermost`).set(auth(tenant, 'admin')).expect(204);
      const gone = (await request(s.app).get(`/api/tenants/${tenant.slug}/integrations/mattermost`).set(auth(tenant, 'member'))).body.connection;
      expect(gone).toMatchObject({ state: 'disconnected', disconnect_reason: 'user_disconnected', status: 'revoked' });
      expect(gone.disconnected_by).toEqual({ kind: 'api_token', id: expect.any(String), name: 'admin', email: null });
      const changes = await withTenant(s.handle.db, tenant.id, (tx) =>
        tx.installationChange.findMany({ where: { installationId: id }, orderBy: { version: 'asc' } }),
      );
      expect(changes.map((c) => c.change)).toEqual(expect.arrayContaining(['credential.connected', 'credential.disconnected']));
      expect(changes.at(-1)).toMatchObject({ change: 'credential.disconnected', actorRole: 'admin', actorUserId: null });

      // Reconnecting clears the disconnect: the row describes the new secret, connected by the token.
      await request(s.app)
        .put(`/api/tenants/${tenant.slug}/integrations/mattermost`)
        .set(auth(tenant))
        .send({ kind: 'webhook', webhook_url: hook, verify: 'dry_run' })
        .expect(200);
      const again = (await request(s.app).get(`/api/tenants/${tenant.slug}/integrations/mattermost`).set(auth(tenant))).body.connection;
      expect(again).toMatchObject({ state: 'connected', disconnected_at: null, disconnected_by: null, disconnect_reason: null });
      expect(again.connected_by).toMatchObject({ kind: 'api_token', name: 'owner' });
    });
  });
});
