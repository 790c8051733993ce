import { retryAfterMs } from '../../../summary/request-summary';
import { monthStartUtc, planSummaryCall, SUMMARY_MAX_COMPLETION_TOKENS } from '../../../summary/summary-budget';
import { summaryCaps } from '../../../summary/summary-settings';
import { summaryLines, SUMMARY_HEADING, SUMMARY_OUTCOMES } from '../../../summary/summary-outcome';

describe('planSummaryCall', () => {
  const price = { inputPer1k: 0.01, outputPer1k: 0.03 };
  const caps = { monthlyBudgetUsd: 1, maxTokensPerRun: 4000 };

  it('goes when the worst case fits the budget and the token limit', () => {
    const plan = planSummaryCall({ promptTokenEstimate: 1000, price, caps, spentUsd: 0.5 });
    expect(plan).toEqual({ go: true, maxCompletionTokens: SUMMARY_MAX_COMPLETION_TOKENS, worstCaseCostUsd: 0.022 });
  });

  it('refuses when the worst case would exceed the monthly budget', () => {
    expect(planSummaryCall({ promptTokenEstimate: 1000, price, caps, spentUsd: 0.98 })).toEqual({ go: false, outcome: 'budget_exceeded' });
    expect(planSummaryCall({ promptTokenEstimate: 1000, price, caps: { ...caps, monthlyBudgetUsd: 0 }, spentUsd: 0 })).toEqual({
      go: false,
      outcome: 'budget_exceeded',
    });
  });

  it('a free model is never over budget', () => {
    expect(
      planSummaryCall({ promptTokenEstimate: 1000, price: { inputPer1k: 0, outputPer1k: 0 }, caps: { ...caps, monthlyBudgetUsd: 0 }, spentUsd: 0 }).go,
    ).toBe(true);
  });

  it('shrinks the completion to the per-run token limit, and refuses a prompt that leaves no room', () => {
    expect(planSummaryCall({ promptTokenEstimate: 3800, price, caps, spentUsd: 0 })).toMatchObject({ go: true, maxCompletionTokens: 200 });
    expect(planSummaryCall({ promptTokenEstimate: 3950, price, caps, spentUsd: 0 })).toEqual({ go: false, outcome: 'token_limit' });
  });

  it('uses the installation’s caps over the platform defaults', () => {
    const platform = { monthlyBudgetUsd: 5, maxTokensPerRun: 4000 };
    expect(summaryCaps({ include_llm_summary: true }, platform)).toEqual(platform);
    expect(summaryCaps({ llm_monthly_budget_usd: 0.5, llm_max_tokens_per_run: 1500 }, platform)).toEqual({ monthlyBudgetUsd: 0.5, maxTokensPerRun: 1500 });
    expect(summaryCaps({ llm_monthly_budget_usd: null, llm_max_tokens_per_run: -1 }, platform)).toEqual(platform);
  });

  it('counts the month in UTC', () => {
    expect(monthStartUtc(new Date('2026-12-01T00:30:00+02:00')).toISOString()).toBe('2026-11-01T00:00:00.000Z');
    expect(monthStartUtc(new Date('2026-12-15T12:00:00Z')).toISOString()).toBe('2026-12-01T00:00:00.000Z');
  });
});

describe('retryAfterMs', () => {
  it('reads seconds, an HTTP date and retry-after-ms', () => {
    expect(retryAfterMs(new Headers({ 'retry-after': '2' }))).toBe(2000);
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '350' }))).toBe(350);
    expect(retryAfterMs(new Headers({ 'retry-after': new Date(Date.UTC(2026, 0, 1, 0, 0, 30)).toUTCString() }), Date.UTC(2026, 0, 1))).toBe(30_000);
    expect(retryAfterMs(new Headers({}))).toBeUndefined();
    expect(retryAfterMs(new Headers({ 'retry-after': 'soon' }))).toBeUndefined();
  });
});

describe('summaryLines', () => {
  it('renders a summary under its heading, or one line for every other outcome', () => {
    expect(summaryLines('ok', 'One.\nTwo.')).toEqual([SUMMARY_HEADING, 'One.', 'Two.']);
    for (const outcome of SUMMARY_OUTCOMES.filter((o) => o !== 'ok')) {
      const lines = summaryLines(outcome, null);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^_No AI summary this time: [^_]+\. The digest below is complete\._$/);
    }
  });
});
