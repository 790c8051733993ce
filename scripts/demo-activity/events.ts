// Realistic activity from a tenant's own systems, for the demo: agent executions (with models,
// tokens, cost and the occasional failure) and workflow runs, spread over a window. Pure and
// seedable, so tests can check every generated signal passes the ingest API's validation.
import type { TIngestSignal } from '../../api/routes/signals.schemas';

export interface ActivityOptions {
  /** How many agent executions and workflow runs (together). */
  runs: number;
  /** Spread them over the last `hours` hours (the digest looks at 24). */
  hours: number;
  now?: Date;
  seed?: number;
  /** Prefix of run ids (and so of dedupe keys): the same prefix and seed give the same keys. */
  runIdPrefix?: string;
}

export interface ActivitySummary {
  agentExecutions: number;
  agentFailures: number;
  workflowRuns: number;
  workflowFailures: number;
  costUsd: number;
}

const AGENTS = [
  { name: 'support-triage', model: 'gpt-4o-mini', tokens: [800, 3_000], inPrice: 0.15, outPrice: 0.6 },
  { name: 'invoice-extractor', model: 'claude-3-5-haiku', tokens: [2_000, 9_000], inPrice: 0.8, outPrice: 4 },
  { name: 'lead-enricher', model: 'gpt-4o', tokens: [1_500, 5_000], inPrice: 2.5, outPrice: 10 },
  { name: 'release-notes-writer', model: 'claude-3-5-sonnet', tokens: [4_000, 14_000], inPrice: 3, outPrice: 15 },
  { name: 'security-reviewer', model: 'gpt-4o', tokens: [6_000, 20_000], inPrice: 2.5, outPrice: 10 },
];

const WORKFLOWS = [
  { name: 'nightly-crm-sync', steps: 6, records: [200, 4_000] },
  { name: 'weekly-billing-export', steps: 4, records: [50, 900] },
  { name: 'customer-onboarding', steps: 9, records: [1, 12] },
  { name: 'warehouse-load', steps: 5, records: [10_000, 250_000] },
];

const AGENT_FAILURES = [
  { error_kind: 'rate_limit', error: 'The model API answered 429 Too Many Requests after 3 attempts.' },
  { error_kind: 'network', error: 'Timed out after 30 s calling the CRM API.' },
  { error_kind: 'validation', error: 'The input document had no readable text (scanned PDF without OCR).' },
  { error_kind: 'auth', error: 'The API key for the billing system was revoked.' },
  { error_kind: 'unknown', error: 'The agent stopped without a final answer.' },
];

const WORKFLOW_FAILURES = [
  { error_kind: 'network', error: 'Step "fetch changes" could not reach the source database.' },
  { error_kind: 'validation', error: 'Step "load" refused 3 rows with an invalid customer id.' },
  { error_kind: 'rate_limit', error: 'Step "push" was throttled by the destination API.' },
];

/** mulberry32: a tiny deterministic PRNG. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateActivity(options: ActivityOptions): { signals: TIngestSignal[]; summary: ActivitySummary } {
  const rand = prng(options.seed ?? Date.now());
  const between = (lo: number, hi: number) => Math.round(lo + rand() * (hi - lo));
  const pick = <T>(items: readonly T[]) => items[Math.floor(rand() * items.length)];
  const now = (options.now ?? new Date()).getTime();
  const windowMs = options.hours * 3_600_000;
  const prefix = options.runIdPrefix ?? `demo-${Math.floor(rand() * 1e9).toString(36)}`;
  const signals: TIngestSignal[] = [];
  const summary: ActivitySummary = { agentExecutions: 0, agentFailures: 0, workflowRuns: 0, workflowFailures: 0, costUsd: 0 };
  const iso = (ms: number) => new Date(Math.min(ms, now)).toISOString();

  for (let i = 0; i < options.runs; i++) {
    const runId = `${prefix}-${i}`;
    const durationMs = between(2_000, 180_000);
    // Started somewhere in the window, finished before now.
    const startedAt = now - between(durationMs + 1_000, Math.max(durationMs + 1_000, windowMs - 60_000));
    const finishedAt = startedAt + durationMs;
    const common = { source: 'demo-simulator', correlation_id: '', subject: '' };

    if (rand() < 0.75) {
      const agent = pick(AGENTS);
      const failed = rand() < 0.12;
      const tokensIn = between(agent.tokens[0], agent.tokens[1]);
      const tokensOut = failed ? between(0, 200) : between(200, 1_500);
      const cost = Math.round(((tokensIn * agent.inPrice + tokensOut * agent.outPrice) / 1_000_000) * 10_000) / 10_000;
      const c = { ...common, correlation_id: `agent-run:${runId}`, subject: `agent:${agent.name}` };
      signals.push({
        ...c,
        type: 'agent.execution.started',
        occurred_at: iso(startedAt),
        dedupe_key: `${runId}:started`,
        payload: { agent: agent.name, model: agent.model, run_id: runId },
      });
      const outcome = failed ? pick(AGENT_FAILURES) : null;
      signals.push({
        ...c,
        type: failed ? 'agent.execution.failed' : 'agent.execution.completed',
        occurred_at: iso(finishedAt),
        dedupe_key: `${runId}:${failed ? 'failed' : 'completed'}`,
        causation_id: `${runId}:started`,
        payload: {
          agent: agent.name,
          model: agent.model,
          run_id: runId,
          duration_ms: durationMs,
          tokens_in: tokensIn,
          tokens_out: tokensOut,
          cost_usd: cost,
          ...(outcome ?? {}),
        },
      });
      summary.agentExecutions++;
      summary.costUsd += cost;
      if (failed) summary.agentFailures++;
    } else {
      const wf = pick(WORKFLOWS);
      const failed = rand() < 0.1;
      const c = { ...common, correlation_id: `workflow-run:${runId}`, subject: `workflow:${wf.name}` };
      const outcome = failed ? pick(WORKFLOW_FAILURES) : null;
      signals.push({
        ...c,
        type: 'workflow.run.started',
        occurred_at: iso(startedAt),
        dedupe_key: `${runId}:started`,
        payload: { workflow: wf.name, run_id: runId, steps: wf.steps },
      });
      signals.push({
        ...c,
        type: failed ? 'workflow.run.failed' : 'workflow.run.completed',
        occurred_at: iso(finishedAt),
        dedupe_key: `${runId}:${failed ? 'failed' : 'completed'}`,
        causation_id: `${runId}:started`,
        payload: {
          workflow: wf.name,
          run_id: runId,
          duration_ms: durationMs,
          steps_completed: failed ? between(1, wf.steps - 1) : wf.steps,
          records: between(wf.records[0], wf.records[1]),
          ...(outcome ?? {}),
        },
      });
      summary.workflowRuns++;
      if (failed) summary.workflowFailures++;
    }
  }
  signals.sort((a, b) => (a.occurred_at ?? '').localeCompare(b.occurred_at ?? ''));
  summary.costUsd = Math.round(summary.costUsd * 100) / 100;
  return { signals, summary };
}

/** Splits a list into batches the ingest API takes (at most `size`). */
export function inBatches<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
