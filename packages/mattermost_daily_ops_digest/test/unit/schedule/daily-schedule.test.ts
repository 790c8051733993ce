// The digest's schedule hook: what its config asks for, and exactly what Temporal is given.
// Existing installations' Schedules and stored histories depend on these ids and this spec, so
// the test spells them out literally rather than rebuilding them with the same helpers.
import { DEFAULT_DIGEST_CONFIG } from '../../../config';
import { digestSchedule, wantedDigestSchedule } from '../../../schedule/daily-schedule';

const TENANT = '7a1b0c2d-0000-4000-8000-000000000001';
const INSTALLATION = '7a1b0c2d-0000-4000-8000-000000000002';

describe('the digest schedule hook', () => {
  it('wants the config time and zone while enabled; the key is what the change record shows', () => {
    expect(wantedDigestSchedule({ ...DEFAULT_DIGEST_CONFIG, schedule_time: '07:30', timezone: 'Europe/Berlin' })).toEqual({
      key: '07:30 Europe/Berlin',
      scheduleTime: '07:30',
      timezone: 'Europe/Berlin',
    });
    expect(wantedDigestSchedule({ ...DEFAULT_DIGEST_CONFIG, enabled: false })).toBeNull();
  });

  it('fills a missing time, zone or switch from the digest defaults, and refuses a malformed one', () => {
    expect(wantedDigestSchedule({ schedule_time: '06:00' })).toEqual({ key: '06:00 UTC', scheduleTime: '06:00', timezone: 'UTC' });
    expect(wantedDigestSchedule({})).toEqual({ key: '09:00 UTC', scheduleTime: '09:00', timezone: 'UTC' });
    expect(() => wantedDigestSchedule({ schedule_time: '25:00' })).toThrow(/HH:MM/);
    expect(() => wantedDigestSchedule({ schedule_time: '07:30', timezone: 'Mars/Base' })).toThrow(/IANA/);
  });

  it('gives Temporal the same Schedule as before the hook existed: id, spec, catch-up window, action', () => {
    expect(digestSchedule.scheduleId(INSTALLATION)).toBe(`digest-schedule:${INSTALLATION}`);
    const wanted = wantedDigestSchedule({ schedule_time: '07:30', timezone: 'America/New_York' })!;
    expect(digestSchedule.options(wanted, { tenantId: TENANT, installationId: INSTALLATION, tenantSlug: 'acme' })).toEqual({
      spec: {
        calendars: [
          { hour: 7, minute: 30, comment: 'daily digest at 07:30 America/New_York' },
          { hour: 8, minute: 30, comment: 'catch-up at 08:30: posts only when 07:30 did not exist that day (DST)' },
        ],
        timezone: 'America/New_York',
      },
      catchupWindow: '2 hours',
      note: 'daily digest',
      action: {
        workflowType: 'digestRunWorkflow',
        workflowId: `digest:${TENANT}:${INSTALLATION}:scheduled`,
        args: [{ tenantId: TENANT, installationId: INSTALLATION, trigger: 'scheduled' }],
        staticSummary: 'daily digest 07:30 America/New_York for acme',
      },
    });
    expect(digestSchedule.options(wanted, { tenantId: TENANT, installationId: INSTALLATION }).action.staticSummary).toBe('daily digest 07:30 America/New_York');
  });
});
