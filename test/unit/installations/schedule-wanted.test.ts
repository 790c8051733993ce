// The core's schedule rule names no package: a config has a daily schedule by carrying its
// settings (schedule_time, timezone, enabled), whichever package it belongs to.
import { randomUUID } from 'node:crypto';
import { dailyScheduleOf, wantedSchedule } from '../../../lib/installations/schedule-wanted';
import { DEFAULT_DIGEST_CONFIG } from '../../../packages/mattermost_daily_ops_digest/config';

const credentialId = randomUUID();
const connected = { id: credentialId, status: 'connected' as const };
const installed = (config: unknown) => ({ status: 'installed' as const, config: config as object, credentialId });

describe('wantedSchedule', () => {
  it('wants the daily schedule of an installed, enabled, connected digest at its time and zone', () => {
    const config = { ...DEFAULT_DIGEST_CONFIG, schedule_time: '07:30', timezone: 'Europe/Berlin' };
    expect(wantedSchedule(installed(config), connected)).toEqual({ scheduleTime: '07:30', timezone: 'Europe/Berlin' });
  });

  it('wants none for a config without a daily schedule (an event-driven package), nor when turned off, not installed or not connected', () => {
    // Like the failure alerts' config: enabled and a zone, but no schedule_time.
    expect(wantedSchedule(installed({ enabled: true, timezone: 'Europe/Berlin', channel: 'ops', window_minutes: 5 }), connected)).toBeNull();
    expect(wantedSchedule(installed({ ...DEFAULT_DIGEST_CONFIG, enabled: false }), connected)).toBeNull();
    expect(wantedSchedule({ ...installed(DEFAULT_DIGEST_CONFIG), status: 'uninstalled' }, connected)).toBeNull();
    expect(wantedSchedule(installed(DEFAULT_DIGEST_CONFIG), { ...connected, status: 'invalid' })).toBeNull();
    expect(wantedSchedule(installed(DEFAULT_DIGEST_CONFIG), null)).toBeNull();
  });

  it('fills a missing zone or switch from the daily-schedule defaults, and refuses a malformed time', () => {
    expect(dailyScheduleOf({ schedule_time: '06:00' })).toEqual({ schedule_time: '06:00', timezone: 'UTC', enabled: true });
    expect(dailyScheduleOf({})).toBeNull();
    expect(() => dailyScheduleOf({ schedule_time: '25:00' })).toThrow(/HH:MM/);
  });
});
