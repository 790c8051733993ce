import fc from 'fast-check';
import { cutRunes, safeInline } from '../../../lib/mattermost/safe-text';
import { runeLength } from '../../../lib/mattermost/message-limit';

describe('safeInline', () => {
  it('flattens control characters, newlines and direction overrides', () => {
    expect(safeInline('a\nb\r\n\tc\u202Ed\u0000e', 50)).toBe('a b cd e');
  });

  it('escapes Markdown and breaks mentions and links', () => {
    expect(safeInline('*x* _y_ [a](b) `c` @channel ~town https://x.example', 100)).toBe(
      '\\*x\\* \\_y\\_ \\[a\\](b) \\`c\\` @\u200Bchannel \\~\u200Btown https:\u200B//x.example',
    );
  });

  it('returns empty for null', () => {
    expect(safeInline(null, 10)).toBe('');
  });
});

describe('cutRunes', () => {
  it('counts code points and never splits a grapheme', () => {
    expect(runeLength('a😀b')).toBe(3);
    expect(cutRunes('abcdef', 4)).toBe('abc…');
    expect(cutRunes('abc', 3)).toBe('abc');
    expect(cutRunes('😀😀😀😀', 3)).toBe('😀😀…');
    const family = '👩‍👩‍👧‍👦'; // 7 runes, one grapheme
    expect(cutRunes(`${family}${family}`, 10)).toBe(`${family}…`);
  });
});

describe('safeInline breaks every link (security probe: "1https://", "_https://" survived)', () => {
  it.each([
    '1https://evil.example/x',
    '_https://evil.example/x',
    'x_http://evil.example',
    'é-https://evil.example',
    '9www.evil.example',
    'ftp://a.example',
    'javascript://x',
    'a://b',
  ])('%j', (input) => {
    const out = safeInline(input, 200);
    expect(out).not.toMatch(/:\/\//);
    expect(out).not.toMatch(/www\./i);
  });

  it('no "://" or "www." survives, whatever surrounds it', () => {
    const piece = fc.constantFrom('://', 'https://', 'www.', 'WWW.', '_', '1', '\\', '*', ':', '/', 'h', ' ', '\u200B', '\u0000', 'é', '@', '~');
    fc.assert(
      fc.property(fc.array(fc.oneof(piece, fc.string({ maxLength: 3 })), { maxLength: 30 }), (parts) => {
        const out = safeInline(parts.join(''), 500);
        return !/:\/\//.test(out) && !/www\./i.test(out);
      }),
      { numRuns: 2000 },
    );
  });
});
