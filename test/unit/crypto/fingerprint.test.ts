import { describeHost, maskWebhookUrl, secretFingerprint } from '../../../lib/crypto/fingerprint';

const HOOK = 'https://mm.example.com/hooks/xk3p9q7rj7fz8dm1tq5w3aabcd';

describe('secretFingerprint', () => {
  it('is 8 hex characters, stable, and differs between secrets', () => {
    const fp = secretFingerprint(HOOK);
    expect(fp).toMatch(/^[0-9a-f]{8}$/);
    expect(secretFingerprint(HOOK)).toBe(fp);
    expect(secretFingerprint(`${HOOK}x`)).not.toBe(fp);
    expect(HOOK).not.toContain(fp);
  });
});

describe('maskWebhookUrl', () => {
  it('keeps scheme, host and the last four characters of the key only', () => {
    expect(maskWebhookUrl(HOOK)).toBe('https://mm.example.com/hooks/…abcd');
    expect(maskWebhookUrl('http://localhost:8065/hooks/xk3p9q7rj7fz8dm1tq5w3aabcd/')).toBe(
      'http://localhost:8065/hooks/…abcd',
    );
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
