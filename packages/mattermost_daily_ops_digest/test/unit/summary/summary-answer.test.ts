import { sanitizeSummary, SUMMARY_MAX_LINES, SUMMARY_MAX_RUNES } from '../../../summary/summary-answer';
import { runeLength } from '../../../../../lib/mattermost/message-limit';

describe('sanitizeSummary (the model answer is untrusted)', () => {
  it('keeps plain sentences as they are', () => {
    expect(sanitizeSummary('Quiet day. Two installs completed.')).toEqual(['Quiet day. Two installs completed.']);
  });

  it('breaks @all, @channel, @here and ~channel mentions and <!…> specials', () => {
    const [line] = sanitizeSummary('@all @channel @here ~town-square <!channel> <!here|here>')!;
    expect(line).not.toMatch(/(^|\s)@(all|channel|here)\b/);
    expect(line).not.toMatch(/~town/);
    expect(line).not.toContain('<!');
    expect(line).toContain('@\u200Ball');
  });

  it('neutralises links: bare URLs, Markdown links and autolinks', () => {
    const [line] = sanitizeSummary('Go to https://evil.example/x or [here](http://evil.example) or <https://e.example> or www.evil.example')!;
    expect(line).not.toMatch(/https?:\/\//);
    expect(line).not.toMatch(/(^|[^\\])\]\(/); // brackets escaped: not a Markdown link
    expect(line).not.toMatch(/(^|[^\\])</);
    expect(line).not.toContain('www.evil');
  });

  it('demotes headings, quotes, list markers and drops rules and fences', () => {
    const lines = sanitizeSummary('# Title\n## URGENT\n> quoted\n- item\n1. first\n---\n```\ncode\n```')!;
    expect(lines).toEqual(['Title', 'URGENT', 'quoted', 'item']);
    for (const l of lines) expect(l).not.toMatch(/^[#>\-\d]/);
  });

  it('scrubs secrets the model might repeat', () => {
    const [line] = sanitizeSummary('The key is sk_live_abcdef1234567890 and https://mm.example.com/hooks/xk3p9q7rj7fz8dm1tq5w3a6y9c')!;
    expect(line).not.toContain('sk_live_abcdef1234567890');
    expect(line).not.toContain('xk3p9q7rj7fz8dm1tq5w3a6y9c');
  });

  it('caps lines and length', () => {
    const many = Array.from({ length: 20 }, (_, i) => `Line ${i} ${'word '.repeat(100)}`).join('\n');
    const lines = sanitizeSummary(many)!;
    expect(lines.length).toBeLessThanOrEqual(SUMMARY_MAX_LINES);
    expect(runeLength(lines.join(''))).toBeLessThanOrEqual(SUMMARY_MAX_RUNES);
  });

  it('returns null for nothing usable (then the digest falls back)', () => {
    expect(sanitizeSummary('')).toBeNull();
    expect(sanitizeSummary('   \n\n ---\n')).toBeNull();
    expect(sanitizeSummary(null)).toBeNull();
    expect(sanitizeSummary({ text: 'x' })).toBeNull();
  });

  it('keeps every line single and free of control characters', () => {
    const lines = sanitizeSummary('a\u0000b\u202Ec\r\nd\u2028e')!;
    expect(lines).toEqual(['a bc', 'd', 'e']);
  });
});
