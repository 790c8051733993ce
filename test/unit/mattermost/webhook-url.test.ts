import { MattermostError } from '../../../lib/mattermost/mattermost-error';
import { assertWebhookUrlShape } from '../../../lib/mattermost/webhook-url';

const KEY = 'k8hrsecrethookid9abcdefghi';

describe('webhook URLs', () => {
  it('accepts <server>/hooks/<key>, including sub-path installs', () => {
    expect(() => assertWebhookUrlShape(`https://mm.example.com/hooks/${KEY}`)).not.toThrow();
    expect(() => assertWebhookUrlShape(`https://example.com/chat/hooks/${KEY}`)).not.toThrow();
  });

  it.each([
    `https://mm.example.com/hooks/${KEY}/`,
    'https://mm.example.com/',
    `https://mm.example.com/api/v4/hooks/incoming/${KEY}x/extra`,
    `not a url ${KEY}`,
  ])('refuses %p without echoing the key', (url) => {
    let caught: unknown;
    try {
      assertWebhookUrlShape(url);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(MattermostError);
    expect((caught as MattermostError).code).toBe('URL_INVALID');
    expect((caught as MattermostError).message).not.toContain(KEY);
  });
});
