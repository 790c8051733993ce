import { formatDigest } from '../../../format-digest';
import { runeLength } from '../../../../../lib/mattermost/message-limit';
import { busyStats, manyFailures, quietStats } from './fixtures';

const OPTIONS = { maxLines: 50, includeCostEstimates: true, adminUrl: 'https://fleet.example.com/admin/digests/acme' };
const lines = (text: string) => text.split('\n');
const indexOf = (text: string, prefix: string) => lines(text).findIndex((l) => l.startsWith(prefix));

describe('formatDigest', () => {
  it('puts the header with the local window first, then failures, errors, counts, cost and the next action', () => {
    const { text, truncated, lineCount } = formatDigest(busyStats(), OPTIONS);
    expect(truncated).toBe(false);
    expect(lineCount).toBe(lines(text).length);
    // 07:30 CET → 07:30 CEST: the offsets show because the window crosses the DST change.
    expect(lines(text)[0]).toBe('#### Ops digest for Acme Ops · 2026-03-28 07:30 (+01:00) – 2026-03-29 07:30 (+02:00) Europe/Berlin');
    const order = ['##### Failures (2)', '##### Top errors by type', '##### Counts', '##### Approximate cost', '##### Recommended next action:'].map((h) =>
      indexOf(text, h),
    );
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(lines(text).at(-1)).toMatch(/^##### Recommended next action: /);
  });

  it('renders failures most recent first, in local time, and the counts', () => {
    const { text } = formatDigest(busyStats(), OPTIONS);
    expect(text).toContain('- 03-29 06:12 · package.install.failed · mattermost\\_daily\\_ops\\_digest · validation: channel "ops" not found');
    expect(text).toContain('- 03-28 22:05 · agent.execution.failed · digest\\_generator · network: connect ECONNREFUSED 10.0.0.5:443');
    expect(indexOf(text, '- 03-29 06:12')).toBeLessThan(indexOf(text, '- 03-28 22:05'));
    expect(text).toContain('- network: 2\n- validation: 1');
    expect(text).toContain('- Installs: 3 requested · 2 completed · **1 failed** · 1 upgrade · 0 uninstalls');
    expect(text).toContain('- Directives: 4 requested · 3 completed · **1 failed**');
    expect(text).toContain('- Agent executions: 12 completed · **2 failed**');
    expect(text).toContain('- Workflow runs: 5 completed · 0 failed');
    expect(text).toContain('- Signals in window: 57');
    expect(text).toContain('- About $1.23 across 9 executions that reported cost (estimate)');
  });

  it('shows the approximate cost only when enabled and present', () => {
    expect(formatDigest(busyStats(), { ...OPTIONS, includeCostEstimates: false }).text).not.toContain('cost');
    expect(formatDigest(busyStats({ cost: null }), OPTIONS).text).not.toContain('Approximate cost');
    expect(formatDigest(busyStats({ cost: undefined }), OPTIONS).text).not.toContain('Approximate cost');
    expect(formatDigest(busyStats({ cost: { totalUsd: 0.004, executionsWithCost: 1 } }), OPTIONS).text).toContain(
      'About less than $0.01 across 1 execution that',
    );
  });

  it('leaves out the workflow-runs line when those are not collected', () => {
    expect(formatDigest(busyStats({ workflowRuns: undefined }), OPTIONS).text).not.toContain('Workflow runs');
  });

  it('is deterministic: the same input gives the same output, whatever the failure order', () => {
    const a = formatDigest(busyStats(), OPTIONS);
    const b = formatDigest(busyStats(), OPTIONS);
    const stats = busyStats();
    const c = formatDigest({ ...stats, failures: [...stats.failures].reverse(), topErrors: [...stats.topErrors].reverse() }, OPTIONS);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
  });

  it('formats times in the tenant zone, not the host zone', () => {
    const ny = formatDigest(busyStats({ timezone: 'America/New_York' }), OPTIONS).text;
    expect(lines(ny)[0]).toBe('#### Ops digest for Acme Ops · 2026-03-28 02:30 – 2026-03-29 01:30 America/New_York');
    expect(ny).toContain('- 03-29 00:12 · package.install.failed');
  });

  it('says so when nothing happened, with no sections', () => {
    const { text, truncated, lineCount } = formatDigest(quietStats({ totalSignals: 3 }), OPTIONS);
    expect(truncated).toBe(false);
    expect(lineCount).toBe(3);
    expect(lines(text)[1]).toBe('All quiet: no installs, directives or runs in this window.');
    expect(lines(text)[2]).toBe('##### Recommended next action: No action needed.');
    expect(text).not.toContain('#####  Failures');
    expect(text).not.toContain('Counts');
  });

  describe('budgets', () => {
    it('honours maxLines: the counts stay, failure lines go first, and it ends with the pointer', () => {
      const stats = busyStats({ failures: manyFailures(15, (i) => `boom ${i}`), failureTotal: 15 });
      for (const maxLines of [5, 8, 12, 20]) {
        const { text, truncated, lineCount } = formatDigest(stats, { ...OPTIONS, maxLines });
        expect(truncated).toBe(true);
        expect(lineCount).toBe(lines(text).length);
        expect(lineCount).toBeLessThanOrEqual(maxLines);
        expect(lines(text).at(-1)).toBe('_…truncated; see the full digest in FleetPrompt:_ https://fleet.example.com/admin/digests/acme');
        expect(lines(text)[0]).toMatch(/^#### Ops digest/);
        expect(text).toContain('##### Recommended next action:');
        // The summary is never what goes: the counts (or their one-line form) are always there.
        expect(text).toMatch(/##### Counts|^Summary: /m);
        // The heading says the real total whatever is shown, and the rest is counted.
        expect(text).toMatch(/^##### Failures \(15\)/m);
        const shown = (text.match(/^- \d\d-\d\d \d\d:\d\d/gm) ?? []).length;
        if (shown > 0) expect(text).toContain(`- … and ${15 - shown} more`);
      }
      const eight = lines(formatDigest(stats, { ...OPTIONS, maxLines: 12 }).text);
      expect(eight).toContain('##### Counts');
      expect(eight).toContain('- Signals in window: 57');
      const five = formatDigest(stats, { ...OPTIONS, maxLines: 5 }).text;
      expect(lines(five)).toEqual([
        expect.stringMatching(/^#### /),
        '##### Failures (15): listed in the full digest',
        'Summary: 3 installs (1 failed) · 4 directives (1 failed) · 14 agent executions (2 failed) · 5 workflow runs (0 failed) · 57 signals',
        expect.stringMatching(/^##### Recommended next action: /),
        expect.stringMatching(/^_…truncated/),
      ]);
    });

    it('shortens long failure messages before it drops a failure line or the counts', () => {
      const stats = busyStats({ failures: manyFailures(20, (i) => `${i} ` + 'very long failure detail '.repeat(6)), failureTotal: 20 });
      const { text, truncated } = formatDigest(stats, { ...OPTIONS, maxLines: 200, runeBudget: 2500 });
      expect(truncated).toBe(true);
      expect(runeLength(text)).toBeLessThanOrEqual(2500);
      expect(text).toContain('##### Counts');
      expect(text).toContain('- Agent executions: 12 completed · **2 failed**');
      const failureLines = lines(text).filter((l) => /^- \d\d-\d\d/.test(l));
      // Some lines lost their message (short form: time · type · subject · kind) …
      expect(failureLines.some((l) => l.endsWith(' · unknown'))).toBe(true);
      // … and the most recent ones keep theirs: the long parts go first, not the newest lines.
      expect(failureLines[0]).toContain('very long failure detail');
      const more = 20 - failureLines.length;
      if (more > 0) expect(text).toContain(`- … and ${more} more`);
    });

    it('clamps maxLines to 5..200', () => {
      const stats = busyStats({ failures: manyFailures(15, (i) => `boom ${i}`) });
      expect(formatDigest(stats, { ...OPTIONS, maxLines: 1 }).lineCount).toBe(5);
      expect(formatDigest(stats, { ...OPTIONS, maxLines: 1000 }).truncated).toBe(false);
    });

    it('counts runes, not UTF-16 units or bytes, with emoji and CJK text', () => {
      const message = (i: number) => `🔥 失败 ${i} 👩‍👩‍👧‍👦 ` + '数据库连接超时🚨'.repeat(20);
      const stats = busyStats({ tenantName: '🚀 宇宙 Ops', failures: manyFailures(20, message) });
      for (const runeBudget of [1000, 1500, 2500]) {
        const { text, truncated } = formatDigest(stats, { ...OPTIONS, maxLines: 200, runeBudget });
        expect(truncated).toBe(true);
        expect(runeLength(text)).toBeLessThanOrEqual(runeBudget);
        expect(text.length).toBeGreaterThan(runeLength(text)); // surrogate pairs really were there
        expect(text).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/); // no split surrogate pair
        expect(lines(text).at(-1)).toMatch(/^_…truncated; see the full digest in FleetPrompt:_ https:/);
      }
      // A budget large enough for everything does not truncate.
      expect(formatDigest(stats, { ...OPTIONS, maxLines: 200 }).truncated).toBe(false);
    });

    it('cuts long user text at a grapheme boundary', () => {
      const family = '👩‍👩‍👧‍👦';
      const { text } = formatDigest(busyStats({ failures: manyFailures(1, () => family.repeat(100)) }), OPTIONS);
      const line = lines(text).find((l) => l.includes('agent-00'))!;
      expect(line.endsWith(`${family}…`)).toBe(true);
    });

    it("defaults to a 12000-rune budget and stays under Mattermost's 16383 whatever is asked", () => {
      const big = busyStats({ failures: manyFailures(20, (i) => `${i} ` + 'x'.repeat(2000)) });
      const text = formatDigest(big, { ...OPTIONS, maxLines: 200, runeBudget: 1_000_000 }).text;
      expect(runeLength(text)).toBeLessThanOrEqual(16_383);
    });

    it('points at FleetPrompt without a link when no valid admin URL is given', () => {
      const stats = busyStats({ failures: manyFailures(15, (i) => `boom ${i}`) });
      for (const adminUrl of [undefined, 'javascript:alert(1)', 'https://mm.example.com/hooks/abc123', 'not a url']) {
        const { text } = formatDigest(stats, { ...OPTIONS, maxLines: 6, adminUrl });
        expect(lines(text).at(-1)).toBe('_…truncated; see the full digest in FleetPrompt._');
      }
    });
  });

  describe('untrusted text', () => {
    const hostile = busyStats({
      tenantName: '**Evil** [click](https://evil.example) @channel',
      failures: [
        {
          type: 'agent.execution.failed',
          subject: '@all ~town-square [x](http://evil.example/a) ![img](http://evil.example/i.png)',
          occurredAt: new Date('2026-03-29T05:00:00Z'),
          errorKind: 'auth',
          message:
            'POST https://mm.example.com/hooks/xk3p9q7rj7fz8dm1tq5w3a6y9c failed\n##### fake heading\n@here Authorization: Bearer abcdefgh12345678 www.evil.example `code` <b>x</b>',
        },
      ],
      topErrors: [{ errorKind: '@here', count: 1 }],
    });
    const { text } = formatDigest(hostile, OPTIONS);

    it('neutralises @channel, @all, @here and ~channel', () => {
      expect(text).not.toMatch(/@(channel|all|here)\b/);
      expect(text).not.toMatch(/~town-square/);
      expect(text).toContain('@\u200Bchannel');
      expect(text).toContain('@\u200Ball');
      expect(text).toContain('@\u200Bhere');
    });

    it('cannot inject links, images, code or headings, and stays one line per item', () => {
      expect(text).not.toMatch(/(?<!\\)\[[^\]]*(?<!\\)\]\(/);
      expect(text).not.toMatch(/https?:\/\/evil/);
      expect(text).not.toMatch(/www\.evil/);
      expect(text).not.toMatch(/(?<!\\)`/);
      expect(text).not.toMatch(/(?<!\\)\*\*Evil/);
      expect(lines(text).filter((l) => l.includes('fake heading'))).toEqual([expect.stringMatching(/^- /)]);
      expect(text).toContain('\\[x\\]');
    });

    it('never includes a webhook URL or a token', () => {
      expect(text).not.toContain('/hooks/');
      expect(text).not.toContain('xk3p9q7rj7fz8dm1tq5w3a6y9c');
      expect(text).not.toContain('abcdefgh12345678');
      expect(text).toContain('[redacted webhook URL]'.replace(/[[\]]/g, (c) => `\\${c}`));
    });

    it('recommends reconnecting for auth errors', () => {
      expect(text).toContain("##### Recommended next action: Reconnect the failing integration's credentials: 1 authentication error in agent executions.");
    });
  });

  describe('the failure total', () => {
    it('shows the real total in the heading and "… and N more" when only the latest are listed', () => {
      // The query returns the latest 20; the window had 401.
      const stats = busyStats({ failures: manyFailures(20, (i) => `boom ${i}`), failureTotal: 401 });
      const { text, truncated } = formatDigest(stats, { ...OPTIONS, maxLines: 200 });
      expect(truncated).toBe(false);
      expect(text).toContain('##### Failures (401)');
      expect(text).not.toContain('##### Failures (20)');
      expect(lines(text).filter((l) => /^- \d\d-\d\d/.test(l))).toHaveLength(20);
      expect(text).toContain('- … and 381 more');
    });

    it('never says fewer than it lists, and says no "more" when everything is listed', () => {
      const text = formatDigest(busyStats({ failureTotal: 0 }), OPTIONS).text;
      expect(text).toContain('##### Failures (2)');
      expect(text).not.toContain('more');
    });
  });
});

describe('links in the digest (security probe: "1https://", "_https://" survived)', () => {
  it('no "://" or "www." survives in any tenant-supplied part of the Mattermost text', () => {
    const hostile = ['1https://evil.example/a', '_https://evil.example/b', 'x_http://evil.example', '9www.evil.example', 'see:https://evil.example'];
    const stats = busyStats({
      tenantName: `Acme ${hostile[0]}`,
      failures: hostile.map((h, i) => ({
        type: 'agent.execution.failed',
        subject: `agent ${h}`,
        occurredAt: new Date(Date.parse('2026-03-29T05:00:00Z') - i * 60_000),
        errorKind: `kind_${h}`,
        message: `failed at ${h}`,
      })),
      topErrors: hostile.map((h, i) => ({ errorKind: `k${i}${h}`, count: 5 - i })),
    });
    const { text } = formatDigest(stats, OPTIONS);
    expect(text).toContain('evil.example'); // the words are kept, only never linked
    const tenantPart = text.split(OPTIONS.adminUrl).join(''); // the product's own link (when truncated) stays a link
    expect(tenantPart).not.toMatch(/:\/\//);
    expect(tenantPart).not.toMatch(/www\./i);
  });
});
