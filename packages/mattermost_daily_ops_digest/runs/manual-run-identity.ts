// "Run now": its own identity per execution, so a manual run never takes the day's scheduled
// slot, and a retry of the same execution never posts twice. The window is the last 24 h.
import { manualDigestRunId } from '../../../lib/temporal/contract/ids';

export interface ManualRunInput {
  tenantId: string;
  executionId: string;
  now: Date;
}

export interface ManualRunIdentity {
  windowStart: Date;
  windowEnd: Date;
  correlationId: string;
  dedupeKey: string;
}

const DAY = 86_400_000;

export function manualRunIdentity({ tenantId, executionId, now }: ManualRunInput): ManualRunIdentity {
  if (!tenantId || !executionId) throw new RangeError('tenantId and executionId are required');
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) throw new RangeError('now must be a valid Date');
  return {
    windowStart: new Date(now.getTime() - DAY),
    windowEnd: new Date(now.getTime()),
    correlationId: manualDigestRunId(tenantId, executionId),
    dedupeKey: `mattermost_post:${tenantId}:manual:${executionId}`,
  };
}
