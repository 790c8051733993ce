import { MATTERMOST_MAX_POST_RUNES, MATTERMOST_MESSAGE_RUNE_LIMIT, runeLength } from '../../../lib/mattermost/message-limit';

describe('runeLength', () => {
  it.each([
    ['', 0],
    ['abc', 3],
    ['héllo', 5],
    ['日本語', 3],
    ['👍', 1], // one code point, two UTF-16 units
    ['👍🏽', 2], // emoji + skin-tone modifier: two code points, one grapheme
    ['e\u0301', 2], // combining accent counts separately, as in Go
  ])('%p has %d runes', (text, runes) => {
    expect(runeLength(text)).toBe(runes);
  });

  it('keeps the budget under the server maximum', () => {
    expect(MATTERMOST_MAX_POST_RUNES).toBe(16_383);
    expect(MATTERMOST_MESSAGE_RUNE_LIMIT).toBeLessThan(MATTERMOST_MAX_POST_RUNES);
  });
});
