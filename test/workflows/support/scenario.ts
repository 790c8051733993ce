// One branch of one workflow, run against stubbed activities on the time-skipping test server.
// The same scenarios drive the workflow tests (test/workflows/*.test.ts) and the recorder of
// the stored histories that the replay test replays (test/workflows/record-histories.ts).
import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { CancelledFailure, type TemporalFailure, WorkflowFailedError, type Workflow, type WorkflowHandle, type WorkflowStartOptions } from '@temporalio/client';
import type { SearchAttributePair } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type InjectedSinks, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { temporal } from '@temporalio/proto';
import type { Activities } from '../../../activities';
import type { TelemetrySinks, WorkflowFinished } from '../../../lib/temporal/contract';

/** The core's activities by name; a package's stubs are typed by its own scenarios. */
export type StubActivities = Partial<Activities> & { [name: string]: ((...args: never[]) => Promise<unknown>) | undefined };

export interface ActivityCall {
  name: string;
  args: unknown[];
  attempt: number;
}

export type Outcome =
  { status: 'completed'; result: unknown } | { status: 'failed'; type?: string; message: string; nonRetryable?: boolean } | { status: 'cancelled' };

/** Named points an activity stub reaches, which a scenario's driver can wait for. */
export class Checkpoints {
  private readonly waiting = new Map<string, { promise: Promise<void>; resolve: () => void }>();

  private entry(name: string) {
    let e = this.waiting.get(name);
    if (!e) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      e = { promise, resolve };
      this.waiting.set(name, e);
    }
    return e;
  }

  reach(name: string): void {
    this.entry(name).resolve();
  }

  reached(name: string): Promise<void> {
    return this.entry(name).promise;
  }
}

export interface ScenarioRun {
  outcome: Outcome;
  calls: ActivityCall[];
  /** What the telemetry sink heard (the workflow's end, retries exhausted…). */
  sinkCalls: { fn: string; input: unknown }[];
  history: temporal.api.history.v1.IHistory;
  workflowId: string;
}

export interface Scenario<W extends Workflow = Workflow> {
  /** Folder of its stored histories: package-directive, signal-retention (a package's: e.g. digest-run). */
  workflow: string;
  /** Where that folder is: test/workflows/histories, or a package's own packages/<slug>/test/workflows/histories. */
  historiesDir?: string;
  /** The branch: the stored history's file name. */
  branch: string;
  start: { workflow: W; args: Parameters<W>; workflowId: string; typedSearchAttributes?: SearchAttributePair[] };
  activities(checkpoints: Checkpoints): StubActivities;
  /** Acts on the running workflow (e.g. cancels it mid-post). */
  drive?(handle: WorkflowHandle<W>, checkpoints: Checkpoints): Promise<void>;
  /** What must hold after the run (Jest expectations). */
  check(run: ScenarioRun): void;
}

/** Keeps TypeScript's inference of W at the definition site. */
export function scenario<W extends Workflow>(s: Scenario<W>): Scenario<W> {
  return s;
}

function recorded(stubs: StubActivities, calls: ActivityCall[]): Record<string, (...args: unknown[]) => Promise<unknown>> {
  return Object.fromEntries(
    Object.entries(stubs).map(([name, fn]) => [
      name,
      async (...args: unknown[]) => {
        calls.push({ name, args, attempt: Context.current().info.attempt });
        return (fn as (...a: unknown[]) => Promise<unknown>)(...args);
      },
    ]),
  );
}

function outcomeOf(err: unknown): Outcome {
  if (err instanceof WorkflowFailedError) {
    if (err.cause instanceof CancelledFailure) return { status: 'cancelled' };
    const cause = err.cause as (TemporalFailure & { type?: string; nonRetryable?: boolean }) | undefined;
    return { status: 'failed', type: cause?.type ?? undefined, message: cause?.message ?? err.message, nonRetryable: cause?.nonRetryable ?? undefined };
  }
  throw err;
}

export async function runScenario<W extends Workflow>(env: TestWorkflowEnvironment, bundle: WorkflowBundleWithSourceMap, s: Scenario<W>): Promise<ScenarioRun> {
  const calls: ActivityCall[] = [];
  const sinkCalls: ScenarioRun['sinkCalls'] = [];
  const checkpoints = new Checkpoints();
  const taskQueue = `workflow-test-${s.workflow}-${s.branch}-${randomUUID()}`;
  const sinks: InjectedSinks<TelemetrySinks> = {
    telemetry: {
      workflowFinished: { fn: (_info, input: WorkflowFinished) => void sinkCalls.push({ fn: 'workflowFinished', input }), callDuringReplay: false },
      activityRetriesExhausted: { fn: (_info, input) => void sinkCalls.push({ fn: 'activityRetriesExhausted', input }), callDuringReplay: false },
    },
  };
  const worker = await Worker.create({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    workflowBundle: bundle,
    activities: recorded(s.activities(checkpoints), calls),
    sinks,
    // Heartbeats reach the server at once, so a cancelled activity learns of it within 100 ms.
    defaultHeartbeatThrottleInterval: '50 ms',
    maxHeartbeatThrottleInterval: '50 ms',
  });
  let outcome!: Outcome;
  let firstRunId!: string;
  await worker.runUntil(async () => {
    const handle = await env.client.workflow.start(s.start.workflow, {
      taskQueue,
      workflowId: s.start.workflowId,
      args: s.start.args,
      typedSearchAttributes: s.start.typedSearchAttributes,
    } as unknown as WorkflowStartOptions<W>);
    firstRunId = handle.firstExecutionRunId;
    const driving = s.drive?.(handle, checkpoints);
    outcome = await handle.result().then((result): Outcome => ({ status: 'completed', result }), outcomeOf);
    await driving;
  });
  const history = await env.client.workflow.getHandle(s.start.workflowId, firstRunId).fetchHistory();
  return { outcome, calls, sinkCalls, history, workflowId: s.start.workflowId };
}

export function callsOf(run: ScenarioRun, name: string): ActivityCall[] {
  return run.calls.filter((c) => c.name === name);
}

/** The activity names in the order the workflow first called them (attempts folded). */
export function activitySequence(run: ScenarioRun): string[] {
  return run.calls.filter((c) => c.attempt === 1).map((c) => c.name);
}

/** An activity stub that blocks until it is cancelled; heartbeats carry the cancellation to it. */
export function untilCancelled(checkpoints: Checkpoints, name: string) {
  return async (): Promise<never> => {
    checkpoints.reach(name);
    const context = Context.current();
    for (;;) {
      // An ordinary activity learns of the cancel through its heartbeat; a local one is told
      // directly (it cannot heartbeat). Either way the sleep then rejects.
      if (!context.info.isLocal) context.heartbeat();
      await context.sleep(50);
    }
  };
}
