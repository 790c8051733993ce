// What a digest is made of: counts and recent failures of one tenant over one window, collected
// from signals. Dates arrive as strings after a trip through Temporal's JSON payloads, so the
// schema coerces them back.
import { z } from 'zod';

export interface DigestFailure {
  type: string;
  subject: string | null;
  occurredAt: Date;
  errorKind: string | null;
  message: string | null;
}

export interface DigestStats {
  tenantName: string;
  windowStart: Date;
  windowEnd: Date;
  timezone: string;
  installs: { requested: number; completed: number; failed: number; upgrades: number; uninstalls: number };
  directives: { requested: number; completed: number; failed: number };
  executions: { completed: number; failed: number };
  workflowRuns?: { completed: number; failed: number };
  /** Most recent first, at most ~20 (a sample: see failureTotal). */
  failures: DigestFailure[];
  /** How many failures the window really had (failures holds only the latest few); absent = failures.length. */
  failureTotal?: number;
  topErrors: Array<{ errorKind: string; count: number }>;
  /** Failure counts by error kind and where they came from (the signal type's first segment:
   * package, directive, agent, workflow, mattermost), so advice names the right source. */
  errorSources?: Array<{ errorKind: string; source: string; count: number }>;
  cost?: { totalUsd: number; executionsWithCost: number } | null;
  totalSignals: number;
}

const count = z.number().int().nonnegative();

export const ZDigestStats = z.object({
  tenantName: z.string(),
  windowStart: z.coerce.date(),
  windowEnd: z.coerce.date(),
  timezone: z.string(),
  installs: z.object({ requested: count, completed: count, failed: count, upgrades: count, uninstalls: count }),
  directives: z.object({ requested: count, completed: count, failed: count }),
  executions: z.object({ completed: count, failed: count }),
  workflowRuns: z.object({ completed: count, failed: count }).optional(),
  failures: z.array(
    z.object({
      type: z.string(),
      subject: z.string().nullable(),
      occurredAt: z.coerce.date(),
      errorKind: z.string().nullable(),
      message: z.string().nullable(),
    }),
  ),
  failureTotal: count.optional(),
  topErrors: z.array(z.object({ errorKind: z.string(), count })),
  errorSources: z.array(z.object({ errorKind: z.string(), source: z.string(), count })).optional(),
  cost: z.object({ totalUsd: z.number().nonnegative(), executionsWithCost: count }).nullable().optional(),
  totalSignals: count,
});

// Compile-time check that the schema and the interface describe the same thing.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaMatchesInterface: Same<z.infer<typeof ZDigestStats>, DigestStats> = true;
void schemaMatchesInterface;

/** True when anything at all happened in the window (signals about earlier digests aside). */
export function hasActivity(stats: DigestStats): boolean {
  const { installs, directives, executions, workflowRuns } = stats;
  const counts = [...Object.values(installs), ...Object.values(directives), ...Object.values(executions), ...(workflowRuns ? Object.values(workflowRuns) : [])];
  return counts.some((n) => n > 0) || stats.failures.length > 0 || stats.topErrors.length > 0;
}
