// The demo activity simulator produces signals the ingest API accepts, in a realistic mix.
import { MAX_INGEST_BATCH, ZIngestBody } from '../../../api/routes/signals.schemas';
import { toIngestedSignal } from '../../../lib/signals/ingest-signals';
import { toSignalRow } from '../../../lib/signals/emit-signal';
import { generateActivity, inBatches } from '../../../scripts/demo-activity/events';

describe('demo activity', () => {
  const now = new Date();
  const { signals, summary } = generateActivity({ runs: 300, hours: 24, now, seed: 42, runIdPrefix: 'demo-test' });

  it('passes the ingest API’s validation, batch by batch', () => {
    const batches = inBatches(signals, MAX_INGEST_BATCH);
    expect(batches.length).toBe(Math.ceil(signals.length / MAX_INGEST_BATCH));
    for (const batch of batches) {
      const parsed = ZIngestBody.safeParse({ signals: batch });
      expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
    }
    for (const s of signals) expect(() => toSignalRow(toIngestedSignal('00000000-0000-4000-8000-000000000000', s, 'test'))).not.toThrow();
  });

  it('pairs a start with an outcome for every run, inside the window, with unique dedupe keys', () => {
    expect(signals).toHaveLength(600);
    expect(new Set(signals.map((s) => s.dedupe_key)).size).toBe(600);
    for (const s of signals) {
      const at = Date.parse(s.occurred_at!);
      expect(at).toBeLessThanOrEqual(now.getTime());
      expect(at).toBeGreaterThan(now.getTime() - 24 * 3_600_000);
    }
    const outcomes = signals.filter((s) => !s.type.endsWith('.started'));
    expect(outcomes).toHaveLength(300);
    expect(summary.agentExecutions + summary.workflowRuns).toBe(300);
    expect(outcomes.filter((s) => s.type === 'agent.execution.failed')).toHaveLength(summary.agentFailures);
    expect(outcomes.filter((s) => s.type === 'workflow.run.failed')).toHaveLength(summary.workflowFailures);
  });

  it('looks like real activity: mostly agents, some failures with a kind, a cost per agent run', () => {
    expect(summary.agentExecutions).toBeGreaterThan(summary.workflowRuns);
    expect(summary.agentFailures).toBeGreaterThan(0);
    expect(summary.agentFailures).toBeLessThan(summary.agentExecutions / 4);
    expect(summary.costUsd).toBeGreaterThan(0);
    for (const s of signals.filter((x) => x.type.endsWith('.failed')))
      expect(s.payload).toEqual(expect.objectContaining({ error_kind: expect.any(String), error: expect.any(String) }));
    for (const s of signals.filter((x) => x.type === 'agent.execution.completed')) expect(typeof s.payload!.cost_usd).toBe('number');
  });

  it('is deterministic for a seed and prefix', () => {
    expect(generateActivity({ runs: 20, hours: 24, now, seed: 7, runIdPrefix: 'p' })).toEqual(
      generateActivity({ runs: 20, hours: 24, now, seed: 7, runIdPrefix: 'p' }),
    );
  });
});
