// Runs every activity inside a log context (lib/log/context.ts): its tenant, correlation id,
// execution, installation and directive — from the workflow's header (its search attributes),
// the activity's input and its workflow id — plus the workflow id, run id and activity type.
// Every line the activity logs through the pino logger carries them. Also writes one line per
// failed attempt. (The posting metrics are the posting code's own: lib/outbound/post-through-ledger.ts.)
import type { Context as ActivityContext } from '@temporalio/activity';
import { defaultPayloadConverter } from '@temporalio/common';
import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, ActivityInterceptorsFactory, Next } from '@temporalio/worker';
import { contextFromWorkflowId, runWithLogContext, type LogContext } from '../log/context';
import { redactSecrets } from '../log/redact';
import { runWithSecretScope } from '../secrets/secret-scope';
import type { Logger } from '../log/logger';
import { LOG_CONTEXT_HEADER } from './contract';

const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : undefined);

/** The ids an activity's first argument carries (DirectiveRef, DigestRunContext, { ctx }, …). */
export function contextFromActivityArgs(arg: unknown): LogContext {
  if (!arg || typeof arg !== 'object') return {};
  const a = arg as Record<string, unknown>;
  const nested = a.ctx && typeof a.ctx === 'object' ? (a.ctx as Record<string, unknown>) : {};
  const pick = (key: string) => str(a[key]) ?? str(nested[key]);
  return {
    tenantId: pick('tenantId'),
    correlationId: pick('correlationId'),
    executionId: pick('executionId'),
    installationId: pick('installationId'),
    directiveId: pick('directiveId'),
  };
}

function contextFromHeader(input: ActivityExecuteInput): LogContext {
  const payload = input.headers?.[LOG_CONTEXT_HEADER];
  if (!payload) return {};
  try {
    const value = defaultPayloadConverter.fromPayload<Record<string, unknown>>(payload);
    return { tenantId: str(value?.tenantId), correlationId: str(value?.correlationId), installationId: str(value?.installationId) };
  } catch {
    return {};
  }
}

/** Later sources win where they know a value: workflow id < header < the activity's own input. */
function merge(...sources: LogContext[]): LogContext {
  const out: LogContext = {};
  for (const source of sources) {
    for (const [key, value] of Object.entries(source) as [keyof LogContext, string | undefined][]) {
      if (value !== undefined) out[key] = value;
    }
  }
  return out;
}

/** Scrubs the messages of an error and its causes in place (the scope's secrets are known only here). */
function scrubErrorMessages(err: unknown): unknown {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const scrubbed = redactSecrets(e.message);
    if (scrubbed !== e.message) e.message = scrubbed;
    if (e.stack) e.stack = redactSecrets(e.stack);
  }
  return err;
}

class ObservedActivity implements ActivityInboundCallsInterceptor {
  constructor(
    private readonly ctx: ActivityContext,
    private readonly logger: Logger,
  ) {}

  async execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    const info = this.ctx.info;
    const workflowId = info.workflowExecution?.workflowId;
    const context = merge(contextFromWorkflowId(workflowId), contextFromHeader(input), contextFromActivityArgs(input.args[0]), {
      workflowId,
      runId: info.workflowExecution?.runId,
      activityType: info.activityType,
    });
    // Each attempt its own secret scope (a credential it decrypts is scrubbed from its logs and
    // from the error it fails with, before that error leaves for Temporal).
    return runWithSecretScope(() =>
      runWithLogContext(context, async () => {
        const started = process.hrtime.bigint();
        const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
        try {
          const result = await next(input);
          this.logger.debug({ attempt: info.attempt, durationMs: Math.round(seconds() * 1000) }, 'activity completed');
          return result;
        } catch (err) {
          const errorKind = (err as { type?: unknown })?.type;
          this.logger.warn(
            {
              attempt: info.attempt,
              durationMs: Math.round(seconds() * 1000),
              errorKind: typeof errorKind === 'string' ? errorKind : null,
              err: err instanceof Error ? err.message : String(err),
            },
            'activity attempt failed',
          );
          throw scrubErrorMessages(err);
        }
      }),
    );
  }
}

export function activityInterceptors(logger: Logger): ActivityInterceptorsFactory {
  return (ctx) => ({ inbound: new ObservedActivity(ctx, logger) });
}
