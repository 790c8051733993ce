import { assertSafeOutboundUrl, isAllowListed, type HostResolver } from '../../../lib/net/outbound-guard';
import { OutboundBlockedError } from '../../../lib/net/outbound-errors';

const SECRET = 'k8hrsecrethookid9abcdefghi';
const resolveTo =
  (...addresses: string[]): HostResolver =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }) as const);

async function blocked(url: string, options: Parameters<typeof assertSafeOutboundUrl>[1]): Promise<OutboundBlockedError> {
  try {
    await assertSafeOutboundUrl(url, options);
  } catch (err) {
    expect(err).toBeInstanceOf(OutboundBlockedError);
    return err as OutboundBlockedError;
  }
  throw new Error('expected the URL to be refused');
}

describe('assertSafeOutboundUrl', () => {
  it('accepts a public https URL and returns the checked address', async () => {
    const target = await assertSafeOutboundUrl(`https://mm.example.com/hooks/${SECRET}`, { allowedHosts: [], resolve: resolveTo('93.184.216.34') });
    expect(target).toMatchObject({
      hostname: 'mm.example.com',
      port: 443,
      address: '93.184.216.34',
      family: 4,
      origin: 'https://mm.example.com',
      allowListed: false,
    });
  });

  it.each(['ftp://mm.example.com/hooks/x', 'file:///etc/passwd', 'gopher://mm.example.com/', 'javascript:alert(1)'])(
    'refuses the scheme of %s',
    async (url) => {
      const err = await blocked(url, { allowedHosts: ['mm.example.com'], resolve: resolveTo('93.184.216.34') });
      expect(err.code).toBe('URL_SCHEME_NOT_ALLOWED');
      expect(err.message).toMatch(/https:\/\//);
    },
  );

  it('refuses an unparseable URL without echoing it', async () => {
    const err = await blocked(`not a url ${SECRET}`, { allowedHosts: [] });
    expect(err.code).toBe('URL_INVALID');
    expect(err.message).not.toContain(SECRET);
  });

  it('refuses credentials in the URL', async () => {
    const err = await blocked(`https://user:${SECRET}@mm.example.com/`, { allowedHosts: [], resolve: resolveTo('93.184.216.34') });
    expect(err.code).toBe('URL_INVALID');
    expect(err.message).not.toContain(SECRET);
  });

  it.each([
    ['http://127.0.0.1:8065/hooks/x', '127.0.0.1'],
    ['http://[::1]:8065/hooks/x', '::1'],
    ['http://169.254.169.254/latest/meta-data', '169.254.169.254'],
    ['http://internal.example/hooks/x', '10.1.2.3'],
    ['http://cgnat.example/', '100.64.1.1'],
    ['http://ula.example/', 'fd00::5'],
    ['http://mapped.example/', '::ffff:192.168.0.1'],
  ])('refuses %s resolving to %s', async (url, address) => {
    const err = await blocked(url, { allowedHosts: [], resolve: resolveTo(address) });
    expect(err.code).toBe('URL_HOST_NOT_ALLOWED');
    expect(err.message).toContain('allow-list');
  });

  it('refuses a host when any of its addresses is private', async () => {
    const err = await blocked('https://mixed.example/', { allowedHosts: [], resolve: resolveTo('93.184.216.34', '10.0.0.1') });
    expect(err.code).toBe('URL_HOST_NOT_ALLOWED');
  });

  it('lets an allow-listed host reach a private address', async () => {
    const target = await assertSafeOutboundUrl('http://127.0.0.1:8065/hooks/x', { allowedHosts: ['127.0.0.1'], resolve: resolveTo('127.0.0.1') });
    expect(target.allowListed).toBe(true);
    expect(target.address).toBe('127.0.0.1');
  });

  it('never mentions the path or query in its messages', async () => {
    const err = await blocked(`http://127.0.0.1:8065/hooks/${SECRET}?token=${SECRET}`, { allowedHosts: [], resolve: resolveTo('127.0.0.1') });
    expect(err.message).toContain('http://127.0.0.1:8065');
    expect(err.message).not.toContain(SECRET);
    expect(JSON.stringify(err)).not.toContain(SECRET);
  });

  it('reports DNS failures with a stable code and no path', async () => {
    const failing: HostResolver = async () => {
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND nowhere.invalid /hooks/${SECRET}`), { code: 'ENOTFOUND' });
    };
    const err = await blocked(`https://nowhere.invalid/hooks/${SECRET}`, { allowedHosts: [], resolve: failing });
    expect(err.code).toBe('DNS_FAILED');
    expect(err.message).toContain('ENOTFOUND');
    expect(err.message).not.toContain(SECRET);
  });

  it('treats an empty answer as a DNS failure', async () => {
    const err = await blocked('https://empty.example/', { allowedHosts: [], resolve: async () => [] });
    expect(err.code).toBe('DNS_FAILED');
  });
});

describe('isAllowListed', () => {
  it.each([
    ['http://127.0.0.1:8065/x', ['127.0.0.1'], true],
    ['http://127.0.0.1:8065/x', ['127.0.0.1:8065'], true],
    ['http://127.0.0.1:8065/x', ['127.0.0.1:9000'], false],
    ['http://localhost:8065/x', ['127.0.0.1'], false],
    ['http://LOCALHOST:8065/x', ['localhost'], true],
    ['https://mm.internal/x', ['mm.internal:443'], true],
    ['http://mm.internal/x', ['mm.internal:443'], false],
    ['http://[::1]:8065/x', ['::1'], true],
    ['http://[::1]:8065/x', ['[::1]:8065'], true],
    ['http://mm.internal./x', ['mm.internal'], true],
  ] as const)('%s with %j → %s', (url, hosts, expected) => {
    expect(isAllowListed(new URL(url), hosts)).toBe(expected);
  });
});
