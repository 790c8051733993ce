// The failure alerts' config (version 1.0.0): which failures, where, how they are grouped and
// throttled, and when to stay quiet. Strict zod with defaults: the manifest's JSON Schema and the
// installation defaults are generated from this.
import { z } from 'zod';
import { configSchemaWithDefaults } from '../../lib/packages/config-schema';
import { ZChannelName } from '../../lib/mattermost/channel-name';
import { ZScheduleTime, ZTimezone } from '../../lib/schedule/schedule-schemas';
import { SIGNAL_TYPES } from '../../lib/signals/catalogue';

/** The failure signals this package can alert on. */
export const ALERTABLE_SIGNAL_TYPES = [
  SIGNAL_TYPES.agentExecutionFailed,
  SIGNAL_TYPES.workflowRunFailed,
  SIGNAL_TYPES.packageInstallFailed,
  SIGNAL_TYPES.directiveFailed,
] as const;

export const ZQuietHours = z
  .object({
    start: ZScheduleTime.meta({ format: 'HH:MM' }),
    end: ZScheduleTime.meta({ format: 'HH:MM' }),
  })
  .strict()
  .refine((q) => q.start !== q.end, { message: 'start and end must differ (an empty quiet period is "no quiet hours": null)' });

/** A source filter: an exact source, or a prefix ending in `*` (e.g. `billing-*`). */
const ZSourceFilter = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9._:/@-]+\*?$/, 'must be a source name, optionally ending in * for a prefix');

export const FAILURE_ALERTS_CONFIG_1_0_0 = configSchemaWithDefaults(
  {
    mattermost_credential_id: z.uuid().nullable().meta({ description: 'Set by connecting Mattermost, not chosen by hand.' }),
    enabled: z.boolean(),
    channel: ZChannelName.nullable(),
    window_minutes: z
      .number()
      .int()
      .min(2, 'must be 2–30 minutes')
      .max(30, 'must be 2–30 minutes')
      .meta({ description: 'Failures arriving within this many minutes of the first one are posted as one alert (Alertmanager group_wait / group_interval).' }),
    max_alerts_per_hour: z
      .number()
      .int()
      .min(1)
      .max(60)
      .meta({ description: 'At most this many alerts in any hour; later failures wait and are summed up in the next alert.' }),
    timezone: ZTimezone.meta({ format: 'iana-time-zone', description: 'The zone quiet hours are read in.' }),
    quiet_hours: ZQuietHours.nullable().meta({
      description: 'No alert is posted between start and end (local time); failures then go into the first alert after.',
    }),
    signal_types: z.array(z.enum(ALERTABLE_SIGNAL_TYPES)).min(1, 'choose at least one failure type').max(4),
    sources: z.array(ZSourceFilter).max(20).meta({ description: 'Only failures from these sources (empty: all sources).' }),
    max_lines: z.number().int().min(3).max(50),
  },
  {
    mattermost_credential_id: null,
    enabled: true,
    channel: null,
    window_minutes: 5,
    max_alerts_per_hour: 6,
    timezone: 'UTC',
    quiet_hours: null,
    signal_types: [...ALERTABLE_SIGNAL_TYPES],
    sources: [],
    max_lines: 15,
  },
);

export interface TFailureAlertsConfig {
  mattermost_credential_id: string | null;
  enabled: boolean;
  channel: string | null;
  window_minutes: number;
  max_alerts_per_hour: number;
  timezone: string;
  quiet_hours: { start: string; end: string } | null;
  signal_types: string[];
  sources: string[];
  max_lines: number;
}

/** Reads a stored config with the defaults filled in. */
export function storedAlertsConfig(raw: unknown): TFailureAlertsConfig {
  return FAILURE_ALERTS_CONFIG_1_0_0.parse(raw && typeof raw === 'object' ? raw : {}) as unknown as TFailureAlertsConfig;
}

/** Does this failure pass the installation's filters? Ingested sources are stored as `ingest:<source>`. */
export function wantsSignal(config: { signal_types: readonly string[]; sources: readonly string[] }, signal: { type: string; source: string }): boolean {
  if (!config.signal_types.includes(signal.type)) return false;
  if (config.sources.length === 0) return true;
  const bare = signal.source.startsWith('ingest:') ? signal.source.slice('ingest:'.length) : signal.source;
  return config.sources.some((f) =>
    f.endsWith('*') ? bare.startsWith(f.slice(0, -1)) || signal.source.startsWith(f.slice(0, -1)) : bare === f || signal.source === f,
  );
}
