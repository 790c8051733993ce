// Checks we can make before sending, so a message the server would refuse (or silently split
// into several posts, for webhooks) never leaves: such failures are validation, nothing sent.
import { MattermostError } from './mattermost-error';
import { MATTERMOST_MAX_POST_RUNES, runeLength } from './message-limit';

export function assertPostableText(text: string): void {
  if (typeof text !== 'string' || text.length === 0) {
    throw new MattermostError({ kind: 'validation', code: 'EMPTY_TEXT', message: 'The message is empty; nothing was sent.' });
  }
  const runes = runeLength(text);
  if (runes > MATTERMOST_MAX_POST_RUNES) {
    throw new MattermostError({
      kind: 'validation',
      code: 'MESSAGE_TOO_LONG',
      message: `The message has ${runes} characters; Mattermost allows ${MATTERMOST_MAX_POST_RUNES} per post. Nothing was sent.`,
    });
  }
}
