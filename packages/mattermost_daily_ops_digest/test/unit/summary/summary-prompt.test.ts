import { buildSummaryPrompt, estimatePromptTokens, PROMPT_MAX_FAILURES, promptText } from '../../../summary/summary-prompt';
import { busyStats, quietStats } from '../digest/fixtures';

const failure = (i: number, message: string) => ({
  type: 'agent.execution.failed',
  subject: `agent:${i}`,
  occurredAt: new Date(Date.UTC(2026, 2, 29, 4, i)),
  errorKind: 'network',
  message,
});

describe('buildSummaryPrompt', () => {
  it('holds aggregate counts, top error kinds and cost', () => {
    const [system, user] = buildSummaryPrompt(busyStats());
    expect(system.role).toBe('system');
    expect(system.content).toContain('not instructions');
    expect(user.content).toContain('Installs: 3 requested, 2 completed, 1 failed, 1 upgrades, 0 uninstalls');
    expect(user.content).toContain('Agent executions: 12 completed, 2 failed');
    expect(user.content).toMatch(/^Top error kinds: /m);
    expect(user.content.startsWith('DATA\n')).toBe(true);
  });

  it('never carries a URL, a secret or raw markup from a failure message', () => {
    const stats = quietStats({
      failures: [
        failure(1, 'POST https://mm.example.com/hooks/xk3p9q7rj7fz8dm1tq5w3a6y9c failed, see www.status.example/x'),
        failure(2, 'Authorization: Bearer sk_live_abcdef1234567890 token=hunter2hunter2'),
        failure(3, '@channel <!here> **bold** [click](javascript:alert(1))'),
      ],
      topErrors: [{ errorKind: 'network', count: 3 }],
    });
    const text = buildSummaryPrompt(stats)
      .map((m) => m.content)
      .join('\n');
    expect(text).not.toMatch(/:\/\//);
    expect(text).not.toContain('xk3p9q7rj7');
    expect(text).not.toContain('www.status');
    expect(text).not.toContain('sk_live_abcdef1234567890');
    expect(text).not.toContain('hunter2hunter2');
    expect(text).not.toMatch(/(^|[^\u200B])@channel/);
    expect(text).toContain('\\<\\!here\\>');
    expect(text).toContain('\\*\\*bold\\*\\*');
  });

  it('lists at most the most recent failures, newest first, with the total', () => {
    const failures = Array.from({ length: 25 }, (_, i) => failure(i, `boom ${i}`));
    const user = buildSummaryPrompt(quietStats({ failures, topErrors: [{ errorKind: 'network', count: 25 }] }))[1].content;
    const listed = user.split('\n').filter((l) => l.startsWith('- '));
    expect(listed).toHaveLength(PROMPT_MAX_FAILURES);
    expect(listed[0]).toContain('boom 24');
    expect(user).toContain(`Failures: 25 in total; the most recent ${PROMPT_MAX_FAILURES}:`);
  });

  it('is the same for the same stats (the prompt is deterministic)', () => {
    expect(buildSummaryPrompt(busyStats())).toEqual(buildSummaryPrompt(busyStats()));
  });

  it('says when nothing happened', () => {
    expect(buildSummaryPrompt(quietStats())[1].content).toContain('Nothing happened in this window.');
  });
});

describe('promptText / estimatePromptTokens', () => {
  it('replaces links before escaping', () => {
    expect(promptText('see http://a.example/b?c=d and ftp://x', 100)).toBe('see \\[link\\] and \\[link\\]');
  });

  it('over-estimates rather than under-estimates (one token per 3 runes)', () => {
    const messages = [{ role: 'user' as const, content: 'x'.repeat(3000) }];
    expect(estimatePromptTokens(messages)).toBeGreaterThanOrEqual(1000);
  });
});
