import { credentialFacts, secretValues, toTarget, ZCredentialSecret, type TCredentialSecret } from '../../../lib/credentials/credential-secret';
import { secretFingerprint } from '../../../lib/crypto/fingerprint';
import { parseKeyring } from '../../../lib/crypto/keyring';
import { redactSecrets } from '../../../lib/log/redact';
import { rememberSecrets, runWithSecretScope } from '../../../lib/secrets/secret-scope';

const HOOK_ID = 'xk3p9q7rj7fz8dm1tq5w3aabcd';
const HOOK_URL = `https://mm.example.com/hooks/${HOOK_ID}`;
const TOKEN = 'pat9x8c7v6b5n4m3k2j1h0g9f8';

const KEY = { keyring: parseKeyring(`k1:${Buffer.alloc(32, 3).toString('base64')}`), keyId: 'k1', tenantId: '6a1e0c1e-5a4b-4c33-9a8b-1b2c3d4e5f60' };

const webhook = (url = HOOK_URL): TCredentialSecret => ({ kind: 'webhook', webhook_url: url });
const pat = (over: Partial<Extract<TCredentialSecret, { kind: 'pat' }>> = {}): TCredentialSecret => ({
  kind: 'pat',
  base_url: 'https://mm.example.com',
  token: TOKEN,
  team: 'fleet',
  ...over,
});

/** Every way a secret could hide in the facts: raw, and its tail beyond the 4 characters a mask may show. */
function expectNoSecret(value: unknown, secrets: string[]) {
  const text = JSON.stringify(value);
  for (const secret of secrets) {
    expect(text).not.toContain(secret);
    expect(text).not.toContain(secret.slice(0, -4)); // everything but the shown tail
    expect(text).not.toContain(encodeURIComponent(secret));
    expect(text).not.toContain(Buffer.from(secret).toString('base64').slice(0, 16));
    expect(text).not.toContain(Buffer.from(secret).toString('hex').slice(0, 16));
  }
}

describe('credentialFacts', () => {
  it('webhook: host, fingerprint and a masked URL with the last four characters only', () => {
    const facts = credentialFacts(webhook(), KEY);
    expect(facts).toEqual({
      host: 'mm.example.com',
      fingerprint: secretFingerprint(HOOK_URL, KEY),
      metadata: { masked_url: 'https://mm.example.com/hooks/…abcd' },
    });
    expectNoSecret(facts, [HOOK_URL, HOOK_ID]);
  });

  it('webhook: a port, sub-path, query or user info never carry the key (or a password) into the facts', () => {
    for (const url of [
      `http://127.0.0.1:8065/hooks/${HOOK_ID}`,
      `https://mm.example.com/team/sub/hooks/${HOOK_ID}`,
      `https://mm.example.com/hooks/${HOOK_ID}?channel=ops#frag`,
      `https://user:hunter2secretpw@mm.example.com/hooks/${HOOK_ID}`,
    ]) {
      const facts = credentialFacts(webhook(url), KEY);
      expectNoSecret(facts, [url, HOOK_ID]);
      expect(JSON.stringify(facts)).not.toContain('hunter2secretpw');
      expect(facts.metadata.masked_url).toMatch(/\/hooks\/…abcd$/);
    }
  });

  it('webhook: verification facts are merged, and cannot smuggle the secret back in through the masked URL', () => {
    const facts = credentialFacts(webhook(), KEY, { verified_by: 'test_post' });
    expect(facts.metadata).toEqual({ masked_url: 'https://mm.example.com/hooks/…abcd', verified_by: 'test_post' });
  });

  it('webhook: an unparsable URL shows nothing of itself', () => {
    const facts = credentialFacts(webhook(`not a url ${HOOK_ID}`), KEY);
    expect(facts.host).toBe('unknown');
    expectNoSecret(facts, [HOOK_ID]);
  });

  it('pat: host, the origin of the base URL, team and username — never the token', () => {
    const facts = credentialFacts(pat(), KEY, { verified_by: 'users_me', username: 'fleetbot' });
    expect(facts).toEqual({
      host: 'mm.example.com',
      fingerprint: secretFingerprint(TOKEN, KEY),
      metadata: { base_url: 'https://mm.example.com', team: 'fleet', verified_by: 'users_me', username: 'fleetbot' },
    });
    expectNoSecret(facts, [TOKEN]);
  });

  it('pat: user info, paths and queries of the base URL are dropped (only the origin is kept)', () => {
    const facts = credentialFacts(pat({ base_url: `https://bot:${TOKEN}@mm.example.com:8443/mattermost?access_token=${TOKEN}`, team: null }), KEY);
    expect(facts.metadata).toEqual({ base_url: 'https://mm.example.com:8443', team: null });
    expect(facts.host).toBe('mm.example.com:8443');
    expectNoSecret(facts, [TOKEN]);
  });

  it('the fingerprint is 8 hex characters and changes with the secret', () => {
    const a = credentialFacts(webhook(), KEY).fingerprint;
    const b = credentialFacts(webhook(`https://mm.example.com/hooks/${HOOK_ID.replace('a', 'b')}`), KEY).fingerprint;
    expect(a).toMatch(/^[0-9a-f]{8}$/);
    expect(b).not.toBe(a);
    expect(credentialFacts(pat(), KEY).fingerprint).not.toBe(credentialFacts(pat({ token: `${TOKEN}x` }), KEY).fingerprint);
  });
});

describe('secretValues', () => {
  it('webhook: the full URL and the bare hook id', () => {
    expect(secretValues(webhook())).toEqual([HOOK_URL, HOOK_ID]);
  });

  it('webhook: the bare hook id even when the URL has a query or fragment', () => {
    for (const url of [`${HOOK_URL}?channel=ops`, `${HOOK_URL}#x`, `${HOOK_URL}?a=1#b`, `https://mm.example.com/hooks/other/hooks/${HOOK_ID}`]) {
      const values = secretValues(webhook(url));
      expect(values).toContain(url);
      expect(values).toContain(HOOK_ID);
    }
  });

  it('pat: the token (the base URL and team are not secret)', () => {
    expect(secretValues(pat())).toEqual([TOKEN]);
  });

  it('values remembered in a scope are scrubbed from free text in that scope only', () => {
    const token = `tok${Date.now()}abcdefghijkl`;
    const hookId = `hk${Date.now()}abcdefghijklmn`;
    runWithSecretScope(() => {
      rememberSecrets(secretValues(pat({ token })));
      expect(redactSecrets(`GET /users/me with ${token} failed`)).toBe('GET /users/me with [redacted] failed');
      rememberSecrets(secretValues(webhook(`https://mm.example.com/hooks/${hookId}?x=1`)));
      expect(redactSecrets(`incoming webhook ${hookId}.`)).toBe('incoming webhook [redacted].');
    });
    // Another piece of work (and no work at all) does not know them.
    runWithSecretScope(() => expect(redactSecrets(`text mentioning ${token}`)).toBe(`text mentioning ${token}`));
    expect(redactSecrets(`incoming webhook ${hookId}.`)).toBe(`incoming webhook ${hookId}.`);
  });
});

describe('ZCredentialSecret and toTarget', () => {
  it('round-trips what connect encrypts', () => {
    for (const secret of [webhook(), pat(), pat({ team: null })]) {
      expect(ZCredentialSecret.parse(JSON.parse(JSON.stringify(secret)))).toEqual(secret);
    }
  });

  it('maps a secret to the client target', () => {
    expect(toTarget(webhook())).toEqual({ kind: 'webhook', webhookUrl: HOOK_URL });
    expect(toTarget(pat())).toEqual({ kind: 'pat', baseUrl: 'https://mm.example.com', token: TOKEN, team: 'fleet' });
    expect(toTarget(pat({ team: null }))).toEqual({ kind: 'pat', baseUrl: 'https://mm.example.com', token: TOKEN, team: undefined });
  });
});
