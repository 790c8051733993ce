// The pure rules of the failure alerts: quiet hours across midnight and DST, filters by type and
// source, the message (capped list with "… and N more suppressed", inert tenant text), config bounds.
import { FAILURE_ALERTS_CONFIG_1_0_0, wantsSignal } from '../../config';
import { formatAlert } from '../../format-alert';
import { inQuietHours, quietHoursEnd } from '../../quiet-hours';

describe('quiet hours', () => {
  const night = { start: '22:00', end: '07:00' };
  it('cross midnight in the installation zone', () => {
    expect(inQuietHours(night, Date.parse('2026-06-01T21:30:00Z'), 'Europe/Berlin')).toBe(true); // 23:30 local
    expect(inQuietHours(night, Date.parse('2026-06-01T04:59:00Z'), 'Europe/Berlin')).toBe(true); // 06:59 local
    expect(inQuietHours(night, Date.parse('2026-06-01T05:00:00Z'), 'Europe/Berlin')).toBe(false); // 07:00 local
    expect(inQuietHours(night, Date.parse('2026-06-01T19:59:00Z'), 'Europe/Berlin')).toBe(false); // 21:59 local
  });
  it('end at the first minute outside them, also on a DST day', () => {
    expect(quietHoursEnd(night, Date.parse('2026-06-01T21:30:00Z'), 'Europe/Berlin')).toBe(Date.parse('2026-06-02T05:00:00Z'));
    // 2026-03-29: Berlin springs forward at 02:00 → 03:00; 07:00 local is 05:00Z.
    expect(quietHoursEnd(night, Date.parse('2026-03-28T23:00:00Z'), 'Europe/Berlin')).toBe(Date.parse('2026-03-29T05:00:00Z'));
    expect(quietHoursEnd(null, 1_000, 'UTC')).toBe(1_000);
    expect(quietHoursEnd(night, Date.parse('2026-06-01T12:00:00Z'), 'Europe/Berlin')).toBe(Date.parse('2026-06-01T12:00:00Z'));
  });
});

describe('filters', () => {
  const base = { signal_types: ['agent.execution.failed', 'directive.failed'], sources: [] as string[] };
  it('by type, then by exact source or prefix (ingested sources match with or without ingest:)', () => {
    expect(wantsSignal(base, { type: 'workflow.run.failed', source: 'x' })).toBe(false);
    expect(wantsSignal(base, { type: 'directive.failed', source: 'fleetprompt.directive-runner' })).toBe(true);
    const only = { ...base, sources: ['billing-*', 'etl'] };
    expect(wantsSignal(only, { type: 'agent.execution.failed', source: 'ingest:billing-api' })).toBe(true);
    expect(wantsSignal(only, { type: 'agent.execution.failed', source: 'ingest:etl' })).toBe(true);
    expect(wantsSignal(only, { type: 'agent.execution.failed', source: 'ingest:etl-2' })).toBe(false);
    expect(wantsSignal(only, { type: 'agent.execution.failed', source: 'ingest:marketing' })).toBe(false);
  });
});

describe('alert message', () => {
  const failure = (i: number, error = `boom ${i}`) => ({
    type: 'agent.execution.failed',
    source: 'ingest:bot',
    subject: `agent:a${i}`,
    occurredAt: new Date(Date.UTC(2026, 0, 1, 9, i)),
    errorKind: 'rate_limit',
    error,
  });
  it('lists at most max_lines failures and counts the rest as suppressed', () => {
    const text = formatAlert({
      failures: [1, 2, 3, 4, 5].map((i) => failure(i)),
      total: 5,
      windowStart: new Date(Date.UTC(2026, 0, 1, 9, 0)),
      windowEnd: new Date(Date.UTC(2026, 0, 1, 9, 6)),
      timezone: 'UTC',
      maxLines: 2,
      heldBy: 'hourly_limit',
      maxAlertsPerHour: 4,
    });
    expect(text.split('\n')[0]).toBe(':rotating_light: **5 failures** between 09:00 and 09:06 (UTC)');
    expect(text).toContain('Held back by the limit of 4 alerts per hour');
    expect(text).toContain('boom 1');
    expect(text).not.toContain('boom 3');
    expect(text).toContain('… and 3 more suppressed');
  });
  it('makes tenant text inert: no mentions, links or secrets', () => {
    const text = formatAlert({
      failures: [failure(1, '@channel see https://evil.example/x token=abcdefghijklmnopqrstuvwxyz123456')],
      total: 1,
      windowStart: new Date(),
      windowEnd: new Date(),
      timezone: 'UTC',
      maxLines: 5,
      heldBy: null,
      maxAlertsPerHour: 6,
    });
    expect(text).not.toContain('@channel');
    expect(text).not.toContain('https://evil.example');
    expect(text).not.toContain('abcdefghijklmnopqrstuvwxyz123456');
  });
});

describe('config', () => {
  it('window 2–30 minutes, at least one type, defaults from the schema', () => {
    expect(FAILURE_ALERTS_CONFIG_1_0_0.safeParse({ window_minutes: 1 }).success).toBe(false);
    expect(FAILURE_ALERTS_CONFIG_1_0_0.safeParse({ window_minutes: 31 }).success).toBe(false);
    expect(FAILURE_ALERTS_CONFIG_1_0_0.safeParse({ signal_types: [] }).success).toBe(false);
    expect(FAILURE_ALERTS_CONFIG_1_0_0.safeParse({ quiet_hours: { start: '22:00', end: '22:00' } }).success).toBe(false);
    expect(FAILURE_ALERTS_CONFIG_1_0_0.parse({})).toMatchObject({ window_minutes: 5, max_alerts_per_hour: 6, quiet_hours: null, sources: [], enabled: true });
  });
});
