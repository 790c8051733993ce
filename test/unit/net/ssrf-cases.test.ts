// The SSRF guard, case by case, for the two URLs users give us and the server then calls (the
// incoming-webhook URL and the Mattermost base URL): only http(s); no private, loopback,
// link-local, metadata or otherwise non-public address after DNS resolution, however the address
// is spelled; the connection goes to the address that was checked (no second lookup to rebind);
// redirects are returned, never followed; and an explicit allow-list for local development that
// lets exactly the listed host (and port) through. Only 127.0.0.1 is ever contacted.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { postViaWebhook } from '../../../lib/mattermost/post-via-webhook';
import { verifyToken } from '../../../lib/mattermost/verify-token';
import { isMattermostError } from '../../../lib/mattermost';
import { httpRequest } from '../../../lib/net/http-request';
import { OutboundBlockedError } from '../../../lib/net/outbound-errors';
import { assertSafeOutboundUrl, type HostResolver, type ResolvedAddress } from '../../../lib/net/outbound-guard';

const HOOK_KEY = 'ssrfcasehookkey1234567890ab';

async function blocked(url: string, options: { allowedHosts?: string[]; resolve?: HostResolver } = {}): Promise<OutboundBlockedError> {
  try {
    await assertSafeOutboundUrl(url, { allowedHosts: options.allowedHosts ?? [], resolve: options.resolve });
  } catch (err) {
    expect(err).toBeInstanceOf(OutboundBlockedError);
    const e = err as OutboundBlockedError;
    expect(e.message).not.toContain(HOOK_KEY);
    return e;
  }
  throw new Error(`${url} was let through`);
}

const resolvesTo = (...addresses: string[]): HostResolver =>
  jest.fn(async () => addresses.map((address): ResolvedAddress => ({ address, family: address.includes(':') ? 6 : 4 })));

async function localServer(handler: http.RequestListener): Promise<{ port: number; hits: () => number; close: () => Promise<void> }> {
  let hits = 0;
  const server = http.createServer((req, res) => {
    hits++;
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    hits: () => hits,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('only http and https', () => {
  it.each([
    'file:///etc/passwd',
    'ftp://example.com/hooks/x',
    'gopher://127.0.0.1:25/_HELO',
    'dict://127.0.0.1:11211/stat',
    'ldap://example.com',
    'ws://example.com/hooks/x',
    'wss://example.com/hooks/x',
    'javascript:alert(1)',
    'data:text/plain,hello',
    'jar:http://example.com!/x',
    'sftp://example.com',
  ])('%s is refused before any DNS lookup', async (url) => {
    const resolve = resolvesTo('93.184.216.34');
    const err = await blocked(url, { resolve });
    expect(['URL_SCHEME_NOT_ALLOWED', 'URL_INVALID']).toContain(err.code);
    expect(resolve).not.toHaveBeenCalled();
  });

  it.each(['', 'not a url', 'http://', 'http://[::1', `http://exa mple.com/hooks/${HOOK_KEY}`, `//example.com/hooks/${HOOK_KEY}`])(
    '"%s" is not a URL',
    async (url) => {
      expect((await blocked(url)).code).toBe('URL_INVALID');
    },
  );

  it('a user name or password in the URL is refused (it would also hide the real host from a reader)', async () => {
    for (const url of [
      `https://user:pass@example.com/hooks/${HOOK_KEY}`,
      `https://example.com@127.0.0.1/hooks/${HOOK_KEY}`,
      `https://user@example.com/hooks/${HOOK_KEY}`,
    ]) {
      expect((await blocked(url, { resolve: resolvesTo('93.184.216.34') })).code).toBe('URL_INVALID');
    }
  });
});

describe('non-public addresses, however spelled, are refused (real resolution of IP literals)', () => {
  // Each of these is an IP literal (or localhost): resolving it needs no network.
  const cases: [string, string][] = [
    ['loopback', 'http://127.0.0.1/hooks/x'],
    ['loopback (127/8)', 'http://127.255.255.254/hooks/x'],
    ['loopback, short form', 'http://127.1/hooks/x'],
    ['loopback, decimal', 'http://2130706433/hooks/x'],
    ['loopback, hex', 'http://0x7f000001/hooks/x'],
    ['loopback, dotted hex', 'http://0x7f.0x0.0x0.0x1/hooks/x'],
    ['loopback, octal', 'http://0177.0.0.1/hooks/x'],
    ['loopback, IPv6', 'http://[::1]/hooks/x'],
    ['loopback, IPv6 long form', 'http://[0:0:0:0:0:0:0:1]/hooks/x'],
    ['loopback, IPv4-mapped IPv6', 'http://[::ffff:127.0.0.1]/hooks/x'],
    ['loopback, IPv4-mapped IPv6 in hex', 'http://[::ffff:7f00:1]/hooks/x'],
    ['loopback, IPv4-compatible IPv6', 'http://[::127.0.0.1]/hooks/x'],
    ['loopback, NAT64', 'http://[64:ff9b::7f00:1]/hooks/x'],
    ['loopback, 6to4', 'http://[2002:7f00:1::1]/hooks/x'],
    ['localhost by name', 'http://localhost/hooks/x'],
    ['localhost, upper case', 'http://LOCALHOST/hooks/x'],
    ['unspecified', 'http://0.0.0.0/hooks/x'],
    ['unspecified, short', 'http://0/hooks/x'],
    ['unspecified, IPv6', 'http://[::]/hooks/x'],
    ['private 10/8', 'http://10.0.0.1/hooks/x'],
    ['private 172.16/12', 'http://172.16.0.1/hooks/x'],
    ['private 172.16/12 (upper end)', 'http://172.31.255.255/hooks/x'],
    ['private 192.168/16', 'http://192.168.1.1/hooks/x'],
    ['private, IPv4-mapped', 'http://[::ffff:10.0.0.1]/hooks/x'],
    ['unique-local IPv6', 'http://[fd12:3456::1]/hooks/x'],
    ['unique-local IPv6 (fc00::/7)', 'http://[fc00::1]/hooks/x'],
    ['link-local', 'http://169.254.10.10/hooks/x'],
    ['link-local IPv6', 'http://[fe80::1]/hooks/x'],
    ['cloud metadata (AWS, GCP, Azure)', 'http://169.254.169.254/latest/meta-data/'],
    ['cloud metadata, decimal', 'http://2852039166/latest/meta-data/'],
    ['cloud metadata, IPv4-mapped', 'http://[::ffff:169.254.169.254]/latest/meta-data/'],
    ['cloud metadata, AWS IPv6', 'http://[fd00:ec2::254]/latest/meta-data/'],
    ['cloud metadata, Alibaba (carrier-grade NAT range)', 'http://100.100.100.200/latest/meta-data/'],
    ['cloud metadata, Oracle/Azure wireserver (192.0.0.0/24)', 'http://192.0.0.192/'],
    ['carrier-grade NAT', 'http://100.64.0.1/hooks/x'],
    ['multicast', 'http://224.0.0.1/hooks/x'],
    ['broadcast', 'http://255.255.255.255/hooks/x'],
    ['reserved (240/4)', 'http://240.0.0.1/hooks/x'],
    ['documentation range', 'http://192.0.2.1/hooks/x'],
    ['benchmarking range', 'http://198.18.0.1/hooks/x'],
    ['IPv6 multicast', 'http://[ff02::1]/hooks/x'],
    ['Teredo', 'http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/hooks/x'],
  ];
  it.each(cases)('%s: %s', async (_what, url) => {
    const err = await blocked(url);
    expect(err.code).toBe('URL_HOST_NOT_ALLOWED');
    // The message names scheme + host so the user can fix it, never the path.
    expect(err.message).not.toMatch(/hooks\/x|meta-data/);
  });

  it('a public address is let through, and the answer says which address to connect to', async () => {
    const target = await assertSafeOutboundUrl(`https://chat.example.com/hooks/${HOOK_KEY}`, { allowedHosts: [], resolve: resolvesTo('93.184.216.34') });
    expect(target).toMatchObject({ address: '93.184.216.34', family: 4, hostname: 'chat.example.com', port: 443, allowListed: false });
  });
});

describe('after DNS resolution', () => {
  it.each([['127.0.0.1'], ['10.1.2.3'], ['169.254.169.254'], ['::1'], ['fd00:ec2::254'], ['::ffff:192.168.0.1'], ['0.0.0.0']])(
    'a public-looking name that resolves to %s is refused',
    async (address) => {
      const err = await blocked(`https://innocent.example.com/hooks/${HOOK_KEY}`, { resolve: resolvesTo(address) });
      expect(err.code).toBe('URL_HOST_NOT_ALLOWED');
      expect(err.message).toContain('innocent.example.com');
    },
  );

  it('a name with one public and one private address is refused (the private one could be picked)', async () => {
    expect((await blocked('https://split.example.com/hooks/x', { resolve: resolvesTo('93.184.216.34', '10.0.0.5') })).code).toBe('URL_HOST_NOT_ALLOWED');
    expect((await blocked('https://split.example.com/hooks/x', { resolve: resolvesTo('2606:2800:220:1::1', '::1') })).code).toBe('URL_HOST_NOT_ALLOWED');
  });

  it('a name that does not resolve, or resolves to nothing, is refused with DNS_FAILED', async () => {
    const nx: HostResolver = async () => {
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND nowhere.invalid /hooks/${HOOK_KEY}`), { code: 'ENOTFOUND' });
    };
    expect((await blocked('https://nowhere.invalid/hooks/x', { resolve: nx })).code).toBe('DNS_FAILED');
    expect((await blocked('https://empty.example.com/hooks/x', { resolve: resolvesTo() })).code).toBe('DNS_FAILED');
  });

  it('metadata.google.internal style names are judged by their address, not their name', async () => {
    expect((await blocked('http://metadata.google.internal/computeMetadata/v1/', { resolve: resolvesTo('169.254.169.254') })).code).toBe(
      'URL_HOST_NOT_ALLOWED',
    );
  });
});

describe('the connection goes to the address that was checked (DNS rebinding)', () => {
  it('resolves once; a second, different answer is never used', async () => {
    const server = await localServer((req, res) => res.end(`host=${req.headers.host}`));
    try {
      let calls = 0;
      // The first answer is the one checked; a rebinding resolver would answer differently next time.
      const rebinding: HostResolver = async () => (calls++ === 0 ? [{ address: '127.0.0.1', family: 4 }] : [{ address: '10.9.9.9', family: 4 }]);
      const res = await httpRequest({
        method: 'GET',
        url: `http://rebind.test:${server.port}/x`,
        timeoutMs: 3_000,
        allowedHosts: ['rebind.test'],
        resolve: rebinding,
      });
      expect(res.status).toBe(200);
      expect(res.body).toBe(`host=rebind.test:${server.port}`); // the name is kept for Host/SNI
      expect(calls).toBe(1);
      expect(server.hits()).toBe(1);
    } finally {
      await server.close();
    }
  });

  it('a name that resolves to a private address is refused before any connection is made', async () => {
    const server = await localServer((_req, res) => res.end('reached'));
    try {
      await expect(
        httpRequest({
          method: 'POST',
          url: `http://evil.example.com:${server.port}/hooks/${HOOK_KEY}`,
          body: '{}',
          timeoutMs: 3_000,
          allowedHosts: [],
          resolve: resolvesTo('127.0.0.1'),
        }),
      ).rejects.toMatchObject({ code: 'URL_HOST_NOT_ALLOWED', requestSent: false });
      expect(server.hits()).toBe(0);
    } finally {
      await server.close();
    }
  });
});

describe('redirects are never followed', () => {
  it.each([301, 302, 303, 307, 308])('%i is returned as is; the target is not contacted', async (status) => {
    const target = await localServer((_req, res) => res.end('ok'));
    const redirector = await localServer((_req, res) => {
      res.writeHead(status, { location: `http://127.0.0.1:${target.port}/hooks/${HOOK_KEY}` });
      res.end();
    });
    try {
      const res = await httpRequest({
        method: 'POST',
        url: `http://127.0.0.1:${redirector.port}/hooks/abc`,
        body: '{}',
        timeoutMs: 3_000,
        allowedHosts: ['127.0.0.1'],
      });
      expect(res.status).toBe(status);
      expect(target.hits()).toBe(0);
      // Posting a digest through it fails as a configuration problem, and nothing follows the Location.
      const err = await postViaWebhook(
        { kind: 'webhook', webhookUrl: `http://127.0.0.1:${redirector.port}/hooks/abc` },
        { text: 'hello' },
        { allowedHosts: ['127.0.0.1'], timeoutMs: 3_000 },
      ).catch((e: unknown) => e);
      expect(isMattermostError(err) && err.code).toBe('REDIRECT_NOT_FOLLOWED');
      expect(isMattermostError(err) && err.kind).toBe('validation');
      expect(target.hits()).toBe(0);
    } finally {
      await target.close();
      await redirector.close();
    }
  });

  it('a redirect to the metadata address from a token call is not followed either', async () => {
    const redirector = await localServer((_req, res) => {
      res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' });
      res.end();
    });
    try {
      const err = await verifyToken(`http://127.0.0.1:${redirector.port}`, 'abcdefghijklmnopqrstuvwxyz', {
        allowedHosts: ['127.0.0.1'],
        timeoutMs: 3_000,
      }).catch((e: unknown) => e);
      expect(isMattermostError(err) && err.code).toBe('REDIRECT_NOT_FOLLOWED');
      expect(redirector.hits()).toBe(1);
    } finally {
      await redirector.close();
    }
  });
});

describe('the allow-list for local development and tests', () => {
  it('is empty by default: loopback is refused even for our own fake', async () => {
    expect((await blocked('http://127.0.0.1:8065/hooks/x')).code).toBe('URL_HOST_NOT_ALLOWED');
    expect((await blocked('http://localhost:8065/hooks/x')).code).toBe('URL_HOST_NOT_ALLOWED');
  });

  it('lets exactly the listed host through, on any port when no port is listed', async () => {
    for (const url of ['http://127.0.0.1:8065/hooks/x', 'http://127.0.0.1:1/hooks/x', 'https://127.0.0.1/hooks/x']) {
      await expect(assertSafeOutboundUrl(url, { allowedHosts: ['127.0.0.1'] })).resolves.toMatchObject({ address: '127.0.0.1', allowListed: true });
    }
  });

  it('a host:port entry allows that port only', async () => {
    await expect(assertSafeOutboundUrl('http://127.0.0.1:8065/hooks/x', { allowedHosts: ['127.0.0.1:8065'] })).resolves.toMatchObject({ allowListed: true });
    expect((await blocked('http://127.0.0.1:8066/hooks/x', { allowedHosts: ['127.0.0.1:8065'] })).code).toBe('URL_HOST_NOT_ALLOWED');
    expect((await blocked('http://127.0.0.1/hooks/x', { allowedHosts: ['127.0.0.1:8065'] })).code).toBe('URL_HOST_NOT_ALLOWED');
  });

  it('IPv6 entries: "::1" and "[::1]:8065"', async () => {
    await expect(assertSafeOutboundUrl('http://[::1]:9/x', { allowedHosts: ['::1'] })).resolves.toMatchObject({ allowListed: true });
    await expect(assertSafeOutboundUrl('http://[::1]:8065/x', { allowedHosts: ['[::1]:8065'] })).resolves.toMatchObject({ allowListed: true });
    expect((await blocked('http://[::1]:8066/x', { allowedHosts: ['[::1]:8065'] })).code).toBe('URL_HOST_NOT_ALLOWED');
  });

  it('matches the host name exactly (case and a trailing dot aside), not by prefix, suffix or address', async () => {
    const toLoopback = resolvesTo('127.0.0.1');
    await expect(assertSafeOutboundUrl('http://LocalHost.:8065/x', { allowedHosts: ['localhost'], resolve: toLoopback })).resolves.toMatchObject({
      allowListed: true,
    });
    for (const url of [
      'http://localhost.evil.example/x',
      'http://evil-localhost/x',
      'http://localhostx/x',
      'http://sub.localhost/x',
      'http://127.0.0.1/x',
      'http://[::1]/x',
    ]) {
      expect((await blocked(url, { allowedHosts: ['localhost'], resolve: toLoopback })).code).toBe('URL_HOST_NOT_ALLOWED');
    }
    // Allowing an address does not allow a name that resolves to it.
    expect((await blocked('http://sneaky.example/x', { allowedHosts: ['127.0.0.1'], resolve: toLoopback })).code).toBe('URL_HOST_NOT_ALLOWED');
  });

  it('does not widen the scheme check or accept credentials', async () => {
    expect((await blocked('ftp://127.0.0.1/x', { allowedHosts: ['127.0.0.1'] })).code).toBe('URL_SCHEME_NOT_ALLOWED');
    expect((await blocked('http://u:p@127.0.0.1/x', { allowedHosts: ['127.0.0.1'] })).code).toBe('URL_INVALID');
  });
});
