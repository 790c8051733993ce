// The installation's Temporal Schedule: created on connect, updated on config change, paused on
// disable, deleted on uninstall; triggered end to end; and the daylight-saving rule — one digest
// per local date, never zero, never two — checked against the real server's own firing times.
import { execFileSync } from 'node:child_process';
import request from 'supertest';
import { withTenant } from '../../../../lib/db/with-tenant';
import { scheduledFiring } from '../../schedule/scheduled-firing';
import { localTimeToInstant } from '../../../../lib/schedule/local-time-to-instant';
import { digestScheduleId, digestScheduledWorkflowId } from '../../../../lib/temporal/contract';
import { DIGEST_CATCHUP_WINDOW } from '../../schedule/daily-schedule';
import { auth, openDigestStack, postsWithMarker, type DigestStack } from '../../../../test/helpers/digest-stack';
import { installedTenant } from '../helpers/installed-digest';
import { waitFor } from '../../../../test/helpers/db';

describe('digest schedule', () => {
  let s: DigestStack;
  beforeAll(async () => {
    s = await openDigestStack();
  });
  afterAll(() => s.close());
  beforeEach(() => s.fake.reset());

  const describeSchedule = (installationId: string) => s.t.temporal.client.schedule.getHandle(digestScheduleId(installationId)).describe();

  it('follows the installation: created on connect, updated, paused, resumed, deleted on uninstall', async () => {
    const { tenant, installationId } = await installedTenant(s, { config: { timezone: 'America/New_York', schedule_time: '07:30' } });
    let d = await describeSchedule(installationId);
    expect(d.spec.timezone).toBe('America/New_York');
    expect(d.spec.calendars?.map((c) => [c.hour, c.minute])).toEqual([
      [[{ start: 7, end: 7, step: 1 }], [{ start: 30, end: 30, step: 1 }]],
      [[{ start: 8, end: 8, step: 1 }], [{ start: 30, end: 30, step: 1 }]],
    ]);
    expect(d.state.paused).toBe(false);
    expect(d.policies.overlap).toBe('SKIP');
    expect(d.policies.catchupWindow).toBe(2 * 3_600_000);
    expect(DIGEST_CATCHUP_WINDOW).toBe('2 hours');
    expect(d.action).toMatchObject({
      type: 'startWorkflow',
      workflowType: 'digestRunWorkflow',
      workflowId: digestScheduledWorkflowId(tenant.id, installationId),
    });

    const put = (body: object) => request(s.app).put(`/api/tenants/${tenant.slug}/installations/${installationId}/config`).set(auth(tenant)).send(body);
    const changed = await put({ schedule_time: '18:05', timezone: 'Asia/Kolkata' });
    expect(changed.status).toBe(200);
    expect(changed.body.schedule.next_runs[0].utc_offset).toBe('+05:30');
    expect(changed.body.schedule.next_runs[0].local).toMatch(/ 18:05$/);
    d = await describeSchedule(installationId);
    expect(d.spec.timezone).toBe('Asia/Kolkata');
    expect(d.spec.calendars?.[0].hour).toEqual([{ start: 18, end: 18, step: 1 }]);

    // A disabled digest has no schedule (and so announces no next run); enabling brings it back.
    const off = await put({ enabled: false }).expect(200);
    expect(off.body.schedule).toBeNull();
    await expect(describeSchedule(installationId)).rejects.toThrow(/not found/i);
    await put({ enabled: true }).expect(200);
    expect((await describeSchedule(installationId)).state.paused).toBe(false);

    const bad = await put({ schedule_time: '7:5', timezone: 'Mars/Base', max_lines: 1000, channel: 'Town Square' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((x: { path: string }) => x.path).sort()).toEqual(['channel', 'max_lines', 'schedule_time', 'timezone']);

    await request(s.app).delete(`/api/tenants/${tenant.slug}/installations/${installationId}`).set(auth(tenant)).expect(202);
    await waitFor(
      async () => (await withTenant(s.handle.db, tenant.id, (tx) => tx.installation.findUnique({ where: { id: installationId } })))?.status === 'uninstalled',
    );
    await expect(describeSchedule(installationId)).rejects.toThrow(/not found/i);
  });

  it('a triggered schedule runs the scheduled path: window and dedupe key from the nominal time; a second firing that day is skipped', async () => {
    const { tenant, installationId } = await installedTenant(s, { config: { timezone: 'Europe/Berlin', schedule_time: '06:00' } });
    const handle = s.t.temporal.client.schedule.getHandle(digestScheduleId(installationId));
    await handle.trigger();
    const first = await waitFor(async () => {
      const rows = await withTenant(s.handle.db, tenant.id, (tx) =>
        tx.execution.findMany({ where: { trigger: 'scheduled', status: { in: ['succeeded', 'failed', 'skipped'] } } }),
      );
      return rows.length === 1 ? rows[0] : undefined;
    }, 30_000);
    expect(first.status).toBe('succeeded');
    const nominal = new Date((first.summary as { nominal_time: string }).nominal_time);
    const identity = scheduledFiring({
      nominal,
      scheduleTime: '06:00',
      timezone: 'Europe/Berlin',
      tenantId: tenant.id,
      installationId,
      lastReportedEnd: null,
      effectiveSince: null,
    });
    expect(first.correlationId).toBe(identity.correlationId);
    expect(first.dedupeKey).toBe(identity.dedupeKey);
    expect(first.windowEnd).toEqual(identity.windowEnd);
    expect(first.windowStart).toEqual(identity.windowStart);
    expect(first.workflowId).toBe(`${digestScheduledWorkflowId(tenant.id, installationId)}-${nominal.toISOString().replace('.000Z', 'Z')}`);

    await new Promise((r) => setTimeout(r, 1100)); // a distinct nominal second
    await handle.trigger();
    const second = await waitFor(async () => {
      const rows = await withTenant(s.handle.db, tenant.id, (tx) =>
        tx.execution.findMany({ where: { trigger: 'scheduled', status: { in: ['succeeded', 'failed', 'skipped'] } }, orderBy: { createdAt: 'asc' } }),
      );
      return rows.length === 2 ? rows[1] : undefined;
    }, 30_000);
    expect(second.status).toBe('skipped');
    expect(postsWithMarker(s.fake)).toHaveLength(1);
  });

  // Temporal's own answer to "when does this schedule fire?" on real transition days, then each
  // firing run through the scheduled path as the schedule would start it.
  const cases = [
    {
      name: 'Berlin spring forward: 02:30 does not exist on 2026-03-29',
      zone: 'Europe/Berlin',
      time: '02:30',
      from: '2026-03-28T00:00:00Z',
      to: '2026-03-31T00:00:00Z',
      dates: ['2026-03-28', '2026-03-29', '2026-03-30'],
    },
    {
      name: 'Berlin fall back: 02:30 occurs twice on 2026-10-25',
      zone: 'Europe/Berlin',
      time: '02:30',
      from: '2026-10-24T00:00:00Z',
      to: '2026-10-27T00:00:00Z',
      dates: ['2026-10-24', '2026-10-25', '2026-10-26'],
    },
    {
      name: 'New York fall back: 01:30 occurs twice on 2026-11-01',
      zone: 'America/New_York',
      time: '01:30',
      from: '2026-10-31T04:00:00Z',
      to: '2026-11-03T04:00:00Z',
      dates: ['2026-10-31', '2026-11-01', '2026-11-02'],
    },
  ];

  it.each(cases)('$name: one digest per local date, never zero, never two', async ({ zone, time, from, to, dates }) => {
    const { tenant, installationId } = await installedTenant(s, { config: { timezone: zone, schedule_time: time } });
    // These dates are in the past: say the schedule has been in effect since before them (a
    // catch-up firing never posts for a time configured after it had passed).
    await withTenant(s.handle.db, tenant.id, (tx) =>
      tx.installation.update({ where: { id: installationId }, data: { scheduleEffectiveSince: new Date(from) } }),
    );
    const cli = process.env.TEMPORAL_CLI_PATH!;
    const out = execFileSync(cli, [
      'schedule',
      'list-matching-times',
      '--address',
      process.env.TEMPORAL_ADDRESS!,
      '--schedule-id',
      digestScheduleId(installationId),
      '--start-time',
      from,
      '--end-time',
      to,
      '-o',
      'json',
    ]).toString();
    const firings = (JSON.parse(out) as { startTime: string[] }).startTime;
    expect(firings.length).toBeGreaterThanOrEqual(dates.length);

    for (const at of firings) {
      const workflowId = `${digestScheduledWorkflowId(tenant.id, installationId)}-${at}`;
      await s.t.temporal.client.workflow.execute('digestRunWorkflow', {
        taskQueue: s.t.temporal.taskQueue,
        workflowId,
        args: [{ tenantId: tenant.id, installationId, trigger: 'scheduled' }],
      });
    }
    const executions = await withTenant(s.handle.db, tenant.id, (tx) =>
      tx.execution.findMany({ where: { trigger: 'scheduled' }, orderBy: { windowEnd: 'asc' } }),
    );
    const posted = executions.filter((e) => e.status === 'succeeded');
    const postedDates = posted.map((e) => (e.summary as { local_date: string }).local_date);
    expect(postedDates).toEqual(dates);
    expect(executions.filter((e) => e.status === 'skipped')).toHaveLength(firings.length - dates.length);
    expect(postsWithMarker(s.fake)).toHaveLength(dates.length);
    // The windows tile time: each starts where the previous ended, at HH:MM local (or the end of a gap).
    for (let i = 1; i < posted.length; i++) expect(posted[i].windowStart).toEqual(posted[i - 1].windowEnd);
    for (const e of posted) expect(e.windowEnd).toEqual(localTimeToInstant((e.summary as { local_date: string }).local_date, time, zone));
  });
});
