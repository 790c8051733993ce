// First step of a digest run: settle who this run is (execution, correlation id, window and
// dedupe key — for a scheduled run all derived from the nominal time), record that it was
// requested, and decide whether it may post at all.
// Raw SQL on the worker's pg pool (digest-run-rows.ts; issue 12): the same reads and writes as
// the Prisma calls it replaced, one transaction.
import { ApplicationFailure } from '@temporalio/activity';
import { sqlExecute, sqlRow, withTenantSql } from '../../../lib/db/raw-sql';
import { DIGEST_EXECUTION_KIND } from '../runs/execution-kind';
import { appendExecutionLog } from '../../../lib/executions/execution-log';
import { summarySupported } from '../summary/summary-settings';
import { storedDigestConfig } from '../config';
import { lastReportedScheduledEnd } from '../schedule/last-reported-digest';
import { scheduledFiring } from '../schedule/scheduled-firing';
import { SIGNAL_TYPES } from '../../../lib/signals/catalogue';
import { emitSignal } from '../../../lib/signals/emit-signal';
import type { ActivityDeps } from '../../../activities/deps';
import type { BeginDigestRunInput, DigestRunContext } from './digest-run-types';
import { EXECUTION_COLUMNS, findExecution, findExecutionByWorkflowId, findInstallation, type RunExecution } from './digest-run-rows';

export function createBeginDigestRun(deps: ActivityDeps) {
  return async function beginDigestRun(input: BeginDigestRunInput): Promise<DigestRunContext> {
    return withTenantSql(deps.db, input.tenantId, async (tx) => {
      const installation = await findInstallation(tx, input.installationId);
      if (!installation) throw ApplicationFailure.nonRetryable('The installation no longer exists.', 'validation');
      const config = storedDigestConfig(installation.config);

      // Row-locked: the API closes a run whose start call failed (pending → failed) under the same
      // lock, so exactly one of "closed before start" and "started" wins (lib/runs/request-run.ts).
      let execution = input.executionId ? await findExecution(tx, input.executionId, { lock: true }) : await findExecutionByWorkflowId(tx, input.workflowId);
      if (!execution) {
        if (input.trigger !== 'scheduled' || !input.nominalTime) throw ApplicationFailure.nonRetryable('The run has no execution record.', 'validation');
        // One decision per installation at a time, so two firings cannot both read "not reported".
        await sqlExecute(tx, `select pg_advisory_xact_lock(hashtextextended($1, 0))`, [`digest-firing:${installation.id}`]);
        const identity = scheduledFiring({
          nominal: new Date(input.nominalTime),
          scheduleTime: config.schedule_time,
          timezone: config.timezone,
          tenantId: input.tenantId,
          installationId: installation.id,
          channel: config.channel,
          lastReportedEnd: await lastReportedScheduledEnd(tx, installation.id),
          effectiveSince: installation.scheduleEffectiveSince,
        });
        // The id as Prisma's @default(uuid()) made it; status and created_at are the columns' defaults.
        execution = await sqlRow<RunExecution>(
          tx,
          `insert into executions (id, tenant_id, installation_id, kind, trigger, correlation_id, dedupe_key, workflow_id, window_start, window_end, digest_date, summary)
           values (gen_random_uuid(), $1::uuid, $2::uuid, $3, 'scheduled', $4, $5, $6, $7::timestamptz, $8::timestamptz, $9, $10::jsonb)
           returning ${EXECUTION_COLUMNS}`,
          [
            input.tenantId,
            installation.id,
            DIGEST_EXECUTION_KIND,
            identity.correlationId,
            identity.dedupeKey,
            input.workflowId,
            identity.windowStart,
            identity.windowEnd,
            identity.localDate,
            JSON.stringify({
              local_date: identity.localDate,
              nominal_time: input.nominalTime,
              entry: identity.entry,
              ...(identity.skip ? { rule_skip: identity.skip } : {}),
            }),
          ],
        );
        if (!execution) throw new Error('The execution insert returned no row.');
      }
      const ctx: DigestRunContext = {
        tenantId: input.tenantId,
        installationId: installation.id,
        executionId: execution.id,
        correlationId: execution.correlationId,
        dedupeKey: execution.dedupeKey!,
      };
      if (config.include_llm_summary && summarySupported(installation.packageVersion)) ctx.llmSummary = true;
      // Closed by the API before any workflow began: the start call failed (Temporal unreachable)
      // and the user was told nothing was posted. A start that reached the server anyway (its
      // answer was lost) must keep that promise: it ends without posting or emitting anything.
      if (execution.status === 'failed' && !execution.startedAt) return { ...ctx, skip: { reason: 'closed_before_start' } };
      if (execution.status === 'pending') {
        await sqlExecute(tx, `update executions set status = 'running', started_at = $2::timestamptz, run_id = $3, workflow_id = $4 where id = $1::uuid`, [
          execution.id,
          new Date(),
          input.runId,
          input.workflowId,
        ]);
        await appendExecutionLog(tx, {
          ...ctx,
          level: 'info',
          message: `Digest run started (${input.trigger})`,
          data: { window_start: execution.windowStart.toISOString(), window_end: execution.windowEnd.toISOString(), workflow_id: input.workflowId },
        });
      }
      await emitSignal(tx, {
        tenantId: input.tenantId,
        type: SIGNAL_TYPES.digestRequested,
        source: 'fleetprompt.digest',
        subject: `installation:${installation.id}`,
        correlationId: execution.correlationId,
        causationId: execution.id,
        dedupeKey: `${execution.id}:digest.requested`,
        payload: {
          execution_id: execution.id,
          installation_id: installation.id,
          trigger: input.trigger,
          window_start: execution.windowStart.toISOString(),
          window_end: execution.windowEnd.toISOString(),
        },
      });

      // Decided once, when the firing was first seen (the digest rules, schedule/scheduled-firing.ts).
      const ruleSkip = (execution.summary as { rule_skip?: string } | null)?.rule_skip;
      if (input.trigger === 'scheduled' && ruleSkip) {
        const why =
          ruleSkip === 'already_reported'
            ? 'A scheduled digest already reported this local date (or a later one)'
            : 'The schedule with this time was not yet in effect when it passed (configured, connected or turned on later); the next digest is on the next date';
        await appendExecutionLog(tx, { ...ctx, level: 'info', message: `${why}; nothing to post` });
        return { ...ctx, skip: { reason: ruleSkip } };
      }
      const posted = await sqlRow<{ status: string; postedAt: Date | null }>(
        tx,
        `select status, posted_at as "postedAt" from outbound_messages where tenant_id = $1::uuid and dedupe_key = $2`,
        [input.tenantId, ctx.dedupeKey],
      );
      if (posted?.status === 'posted') {
        await appendExecutionLog(tx, {
          ...ctx,
          level: 'info',
          message: 'This digest was already posted; nothing to do',
          data: { posted_at: posted.postedAt?.toISOString() ?? null },
        });
        return { ...ctx, skip: { reason: 'already_posted' } };
      }
      // Turned off, but the schedule fired anyway (it could not be paused: Temporal was unreachable
      // when the user saved). A disabled digest is never posted on schedule.
      if (input.trigger === 'scheduled' && !config.enabled) {
        await appendExecutionLog(tx, { ...ctx, level: 'info', message: 'The daily digest is turned off; nothing to post' });
        return { ...ctx, skip: { reason: 'disabled' } };
      }
      // Recorded (not thrown) so the execution row commits and the run ends visibly failed.
      if (installation.status !== 'installed')
        return { ...ctx, blocked: { kind: 'validation', message: `The installation is ${installation.status}, not installed.` } };
      if (!installation.credentialId)
        return { ...ctx, blocked: { kind: 'validation', message: 'Mattermost is not connected for this installation. Connect it, then Retry.' } };
      return ctx;
    });
  };
}
