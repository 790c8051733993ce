import { createHash, createHmac } from 'node:crypto';
import { describeHost, maskWebhookUrl, secretFingerprint } from '../../../lib/crypto/fingerprint';
import { parseKeyring } from '../../../lib/crypto/keyring';

const keyring = parseKeyring(`k1:${Buffer.alloc(32, 1).toString('base64')},k2:${Buffer.alloc(32, 2).toString('base64')}`);
const TENANT_A = '6a1e0c1e-5a4b-4c33-9a8b-1b2c3d4e5f60';
const TENANT_B = '7b2f1d2f-6b5c-4d44-8b9c-2c3d4e5f6071';
const key = (tenantId = TENANT_A, keyId = 'k1') => ({ keyring, keyId, tenantId });

const HOOK = 'https://mm.example.com/hooks/xk3p9q7rj7fz8dm1tq5w3aabcd';

describe('secretFingerprint', () => {
  it('is 8 hex characters, stable, and differs between secrets', () => {
    const fp = secretFingerprint(HOOK, key());
    expect(fp).toMatch(/^[0-9a-f]{8}$/);
    expect(secretFingerprint(HOOK, key())).toBe(fp);
    expect(secretFingerprint(`${HOOK}x`, key())).not.toBe(fp);
    expect(HOOK).not.toContain(fp);
  });

  it('is keyed (security probe): the same webhook differs between tenants and between server keys, and no unkeyed hash matches', () => {
    const a = secretFingerprint(HOOK, key(TENANT_A));
    expect(secretFingerprint(HOOK, key(TENANT_B))).not.toBe(a);
    expect(secretFingerprint(HOOK, key(TENANT_A, 'k2'))).not.toBe(a);
    // What an attacker with a guessed URL could compute offline without the server's key:
    for (const offline of [
      createHash('sha256').update(HOOK).digest('hex'),
      createHmac('sha256', 'fleetprompt:credential-fingerprint:v1').update(HOOK).digest('hex'),
      createHmac('sha256', TENANT_A).update(HOOK).digest('hex'),
    ]) {
      expect(offline.slice(0, 8)).not.toBe(a);
    }
  });

  it('refuses a key id the keyring does not have', () => {
    expect(() => secretFingerprint(HOOK, key(TENANT_A, 'gone'))).toThrow(/not in the keyring/);
  });
});

describe('maskWebhookUrl', () => {
  it('keeps scheme, host and the last four characters of the key only', () => {
    expect(maskWebhookUrl(HOOK)).toBe('https://mm.example.com/hooks/…abcd');
    expect(maskWebhookUrl('http://localhost:8065/hooks/xk3p9q7rj7fz8dm1tq5w3aabcd/')).toBe('http://localhost:8065/hooks/…abcd');
  });

  it('drops credentials, sub-paths, queries and short keys', () => {
    const masked = maskWebhookUrl('https://user:pw@mm.example.com/team/hooks/xk3p9q7rj7fz8dm1tq5w3aabcd?x=1');
    expect(masked).toBe('https://mm.example.com/hooks/…abcd');
    expect(maskWebhookUrl('https://mm.example.com/hooks/short')).toBe('https://mm.example.com/hooks/…');
    expect(maskWebhookUrl('https://mm.example.com/api/v4/secret-path')).toBe('https://mm.example.com/…');
  });

  it('shows nothing of an unparsable value', () => {
    expect(maskWebhookUrl('not a url xk3p9q7rj7fz8dm1tq5w3aabcd')).toBe('(invalid URL)');
  });
});

describe('describeHost', () => {
  it('returns the host with its port, or null', () => {
    expect(describeHost(HOOK)).toBe('mm.example.com');
    expect(describeHost('http://127.0.0.1:8065/hooks/abc')).toBe('127.0.0.1:8065');
    expect(describeHost('nope')).toBeNull();
  });
});
