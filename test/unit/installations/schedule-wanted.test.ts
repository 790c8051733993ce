// The core's schedule rule names no package: an installation wants a Temporal Schedule only when
// its package has a schedule hook, it is installed and connected, and the hook wants one.
import { randomUUID } from 'node:crypto';
import type { PackageSchedule } from '../../../lib/packages/contract';
import { sameSchedule, wantedSchedule } from '../../../lib/installations/schedule-wanted';

const credentialId = randomUUID();
const connected = { id: credentialId, status: 'connected' as const };
const installed = (config: unknown) => ({ status: 'installed' as const, config: config as object, credentialId });

// A made-up hourly package: wants a schedule while `on`, keyed by its minute.
const hourly: PackageSchedule = {
  wanted: (config) => (config.on === false ? null : { key: `:${typeof config.minute === 'number' ? config.minute : 0}` }),
  scheduleId: (installationId) => `hourly:${installationId}`,
  options: () => {
    throw new Error('not used here');
  },
};

describe('wantedSchedule', () => {
  it('is what the package hook wants for an installed, connected installation', () => {
    expect(wantedSchedule(hourly, installed({ minute: 15 }), connected)).toEqual({ key: ':15' });
  });

  it('is none without a schedule hook (an event-driven package), whatever the config says', () => {
    expect(wantedSchedule(undefined, installed({ schedule_time: '07:30', timezone: 'UTC', enabled: true }), connected)).toBeNull();
  });

  it('is none when the hook wants none, or the installation is not installed or not connected', () => {
    expect(wantedSchedule(hourly, installed({ on: false }), connected)).toBeNull();
    expect(wantedSchedule(hourly, { ...installed({}), status: 'uninstalled' }, connected)).toBeNull();
    expect(wantedSchedule(hourly, installed({}), { ...connected, status: 'invalid' })).toBeNull();
    expect(wantedSchedule(hourly, installed({}), { ...connected, id: randomUUID() })).toBeNull();
    expect(wantedSchedule(hourly, installed({}), null)).toBeNull();
  });

  it('gives the hook an empty config for a stored config that is not an object', () => {
    expect(wantedSchedule(hourly, installed(null), connected)).toEqual({ key: ':0' });
  });

  it('two wanted schedules are the same when their keys are', () => {
    expect(sameSchedule({ key: 'a' }, { key: 'a' })).toBe(true);
    expect(sameSchedule({ key: 'a' }, { key: 'b' })).toBe(false);
    expect(sameSchedule(null, { key: 'a' })).toBe(false);
    expect(sameSchedule(null, null)).toBe(true);
  });
});
