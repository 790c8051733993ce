// The digest's "start a run" hook (PackageModule.runs): Run now and Retry start its
// digestRunWorkflow; the platform (lib/runs/request-run.ts) records the execution, takes the
// quota and closes a run Temporal never got. Ids, dedupe keys, memo and summary are the ones
// the digest always had (stored histories and production rows depend on them).
import { AppError } from '../../../lib/errors/app-error';
import type { RunHook } from '../../../lib/runs/run-hook';
import { retryDigestRunId } from '../../../lib/temporal/contract/ids';
import { digestRunWorkflow, type DigestRunInput } from '../workflows/contract';
import { DIGEST_EXECUTION_KIND } from './execution-kind';
import { manualRunIdentity } from './manual-run-identity';
import { supersedingDigests } from './retry-superseded';

export const digestRuns: RunHook = {
  executionKind: DIGEST_EXECUTION_KIND,

  assertRunnable(installation) {
    if (!installation.credentialId) throw new AppError('NOT_CONFIGURED', 'Connect Mattermost before running the digest.');
  },

  manualRunIdentity(input) {
    const identity = manualRunIdentity(input);
    // A manual run's workflow id is also its correlation id.
    return { ...identity, workflowId: identity.correlationId };
  },

  retryWorkflowId: ({ tenantId, executionId }) => retryDigestRunId(tenantId, executionId),

  runWorkflow(execution, { trigger, acceptUnknownOutcome }) {
    const input: DigestRunInput = {
      tenantId: execution.tenantId,
      installationId: execution.installationId,
      trigger,
      executionId: execution.id,
      ...(acceptUnknownOutcome ? { acceptUnknownOutcome: true } : {}),
    };
    return {
      workflowType: digestRunWorkflow.name,
      args: [input] satisfies Parameters<typeof digestRunWorkflow>,
      memo: { executionId: execution.id, trigger },
      staticSummary: `${trigger} digest run`,
    };
  },

  async retryBlockedBy(tx, failed) {
    const covering = await supersedingDigests(tx, failed);
    return new Map(
      [...covering].map(([id, by]) => [
        id,
        {
          supersededBy: by,
          message: `The scheduled digest for ${by.digest_date} already reported this run's period; a Retry would report those events twice. Nothing was started and no manual run was used.`,
        },
      ]),
    );
  },
};
