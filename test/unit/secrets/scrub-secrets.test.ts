// The one secret scrubber on realistic log and error text: every secret goes (recall), and the
// words around secret labels stay (precision) — "token rejected" is an error, not a token.
import { looksLikeCredential, scrubSecrets } from '../../../lib/secrets/scrub-secrets';

const HOOK_ID = 'xk3p9q7rj7fz8dm1tq5w3a6y9c';
const PAT = 'kq3p9q7rj7fz8dm1tq5w3a6y9c';
const JWT = 'eyJhbGciOiJIUzI1NiJ9.c2VjcmV0LXBheWxvYWQ.c2lnbmF0dXJlLXZhbHVl';

describe('scrubSecrets: secrets are removed', () => {
  it.each([
    // [log line, the secret that must be gone, what it becomes]
    [`POST https://mm.example.com/hooks/${HOOK_ID} failed: 404`, HOOK_ID, 'POST https://mm.example.com/hooks/[redacted] failed: 404'],
    ['url=http://localhost:8065/hooks/abc123?x=1', 'abc123', 'url=http://localhost:8065/hooks/[redacted]?x=1'],
    [`Authorization: Bearer ${JWT}`, JWT, 'Authorization: Bearer [redacted]'],
    ['authorization: Basic dXNlcjpwYXNz', 'dXNlcjpwYXNz', 'authorization: Basic [redacted]'],
    [`Authorization: Token ${PAT}`, PAT, 'Authorization: Token [redacted]'],
    [`sent bearer sk_live_abcdef123456 upstream`, 'sk_live_abcdef123456', 'sent bearer [redacted] upstream'],
    [`token ${PAT} rejected`, PAT, 'token [redacted] rejected'],
    ['GET https://api.example.com/v1?access_token=abc123def456&page=2', 'abc123def456', 'GET https://api.example.com/v1?access_token=[redacted]&page=2'],
    ['GET /api/v4/users/me?token=rejected', '=rejected', 'GET /api/v4/users/me?token=[redacted]'],
    ['connect https://user:hunter2@db.example.com/x', 'hunter2', 'connect https://[redacted]@db.example.com/x'],
    ['postgresql://fleetprompt_app:s3cret@db:5432/fleetprompt refused', 's3cret', 'postgresql://[redacted]@db:5432/fleetprompt refused'],
    ['password=hunter2hunter2 user=bob', 'hunter2hunter2', 'password=[redacted] user=bob'],
    [
      'POST https://chat.example.com/x: 500 (token=tok_live_Hx8N2b7Qw0pLr5Zs)',
      'tok_live_Hx8N2b7Qw0pLr5Zs',
      'POST https://chat.example.com/x: 500 (token=[redacted])',
    ],
    ['config {"password":"hunter2","host":"db"}', 'hunter2', 'config {"password":"[redacted]","host":"db"}'],
    ["{ api_key: 'short', region: 'eu' }", 'short', "{ api_key: '[redacted]', region: 'eu' }"],
    ['X-Auth-Token: 8f4k2m9q1w7e3r5t6y0u', '8f4k2m9q1w7e3r5t6y0u', 'X-Auth-Token: [redacted]'],
    ['api_key: AKIAabcdefghijklmnop1234', 'AKIAabcdefghijklmnop1234', 'api_key: [redacted]'],
    [`webhook_key=${HOOK_ID}`, HOOK_ID, 'webhook_key=[redacted]'],
  ])('%j', (input, secret, expected) => {
    const out = scrubSecrets(input);
    expect(out).not.toContain(secret);
    expect(out).toBe(expected);
  });

  it('removes known secret values anywhere, longest first', () => {
    const known = ['pat-Zq81mVv0xYtR55nnA7wq', 'pat-Zq81mVv0'];
    expect(scrubSecrets('decrypted pat-Zq81mVv0xYtR55nnA7wq and xpat-Zq81mVv0y', { knownSecrets: known })).toBe('decrypted [redacted] and x[redacted]y');
  });

  it('ignores known values too short to be secrets (they would shred the text)', () => {
    expect(scrubSecrets('an ordinary line', { knownSecrets: ['', 'a', 'line'] })).toBe('an ordinary line');
  });

  it('for posts: also bare Mattermost ids, long keys and whole webhook URLs', () => {
    const post = (text: string) => scrubSecrets(text, { bareCredentials: true });
    expect(post(`incoming webhook ${HOOK_ID}.`)).toBe('incoming webhook [redacted].');
    expect(post('key AKIAabcdefghijklmnop1234567890XYZ leaked')).toBe('key [redacted] leaked');
    expect(post(`post to https://mm.example.com/hooks/${HOOK_ID} failed`)).toBe('post to [redacted webhook URL] failed');
    // Logs keep ids: they are how an operator finds a post or a run.
    expect(scrubSecrets(`found post ${HOOK_ID}`)).toBe(`found post ${HOOK_ID}`);
  });
});

describe('scrubSecrets: ordinary text is kept', () => {
  it.each([
    'Mattermost token rejected (401): reconnect the integration',
    'token rejected',
    'The access token is invalid or expired',
    'access_token revoked by the user',
    'token: invalid',
    'password reset requested for a@example.test',
    'passwords do not match',
    'secret rotated; old key retired',
    'WWW-Authenticate: Bearer realm="mattermost"',
    'Bearer authentication failed',
    'Authorization header missing',
    'authorization: denied',
    'prompt_tokens: 1234, completion_tokens: 56, max_tokens=256',
    'tokens=3 used of 10',
    'GET https://mm.example.com/api/v4/channels?page=2&per_page=60 returned 200',
    'POST https://mm.example.com/api/v4/posts failed: 503 Service Unavailable',
    'package.install.failed for mattermost_daily_ops_digest on 3f2a1c9e-8b7d-4e6f-9a0b-1c2d3e4f5a6b at 2026-03-29T07:30:00Z',
    'dir:pkg_install:3f2a1c9e-8b7d-4e6f-9a0b-1c2d3e4f5a6b:mattermost_daily_ops_digest:1.0.0:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
    'connect ECONNREFUSED 127.0.0.1:5432',
    'Schedule fleetprompt:digest:3f2a1c9e-8b7d-4e6f-9a0b-1c2d3e4f5a6b paused: "maintenance"',
  ])('%j', (text) => {
    expect(scrubSecrets(text)).toBe(text);
  });

  it('posts keep UUIDs, dotted names and plain long words', () => {
    const text = 'package.install.failed for mattermost_daily_ops_digest on 3f2a1c9e-8b7d-4e6f-9a0b-1c2d3e4f5a6b: token rejected';
    expect(scrubSecrets(text, { bareCredentials: true })).toBe(text);
  });
});

describe('looksLikeCredential', () => {
  it.each([
    ['rejected', false],
    ['expired', false],
    ['Authentication', false],
    ['realm', false],
    [PAT, true],
    [JWT, true],
    ['dXNlcjpwYXNz', true],
    ['sk_live_abcdef123456', true],
  ])('%s → %s', (word, expected) => {
    expect(looksLikeCredential(word)).toBe(expected);
  });
});
