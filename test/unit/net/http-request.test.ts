// httpRequest against throw-away local servers: pinning, redirects, limits and the
// sent/not-sent distinction that decides whether a post may be retried.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { httpRequest } from '../../../lib/net/http-request';
import { OutboundBlockedError, OutboundRequestError } from '../../../lib/net/outbound-errors';

const SECRET = 'k8hrsecrethookid9abcdefghi';

async function withServer(handler: http.RequestListener, run: (port: number, server: http.Server) => Promise<void>): Promise<void> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await run((server.address() as AddressInfo).port, server);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

function expectNoSecret(err: Error): void {
  expect(err.message).not.toContain(SECRET);
  expect(JSON.stringify(err)).not.toContain(SECRET);
  expect(String(err.stack)).not.toContain(SECRET);
}

describe('httpRequest', () => {
  it('connects to the address the guard checked, resolving only once', async () => {
    let seenHost = '';
    await withServer(
      (req, res) => {
        seenHost = req.headers.host ?? '';
        res.end('hello');
      },
      async (port) => {
        const resolve = jest.fn(async () => [{ address: '127.0.0.1', family: 4 as const }]);
        // ".test" never resolves in real DNS: success proves the pinned lookup was used.
        const res = await httpRequest({ method: 'GET', url: `http://mattermost.test:${port}/x`, timeoutMs: 2000, allowedHosts: ['mattermost.test'], resolve });
        expect(res).toMatchObject({ status: 200, body: 'hello', truncated: false });
        expect(seenHost).toBe(`mattermost.test:${port}`);
        expect(resolve).toHaveBeenCalledTimes(1);
      },
    );
  });

  it('returns a redirect as-is and does not follow it', async () => {
    let hits = 0;
    await withServer(
      (_req, res) => {
        hits++;
        res.writeHead(302, { location: '/elsewhere' }).end();
      },
      async (port) => {
        const res = await httpRequest({
          method: 'POST',
          url: `http://127.0.0.1:${port}/hooks/${SECRET}`,
          body: '{}',
          timeoutMs: 2000,
          allowedHosts: ['127.0.0.1'],
        });
        expect(res.status).toBe(302);
        expect(res.headers.location).toBe('/elsewhere');
        expect(hits).toBe(1);
      },
    );
  });

  it('cuts the response body at maxResponseBytes', async () => {
    await withServer(
      (_req, res) => res.end('x'.repeat(100_000)),
      async (port) => {
        const res = await httpRequest({
          method: 'GET',
          url: `http://127.0.0.1:${port}/`,
          timeoutMs: 2000,
          allowedHosts: ['127.0.0.1'],
          maxResponseBytes: 1000,
        });
        expect(res.truncated).toBe(true);
        expect(res.body).toHaveLength(1000);
      },
    );
  });

  it('sends Content-Length and the body', async () => {
    let received = '';
    let length = '';
    await withServer(
      (req, res) => {
        length = req.headers['content-length'] ?? '';
        req.on('data', (c: Buffer) => (received += c.toString()));
        req.on('end', () => res.end('ok'));
      },
      async (port) => {
        await httpRequest({ method: 'POST', url: `http://127.0.0.1:${port}/`, body: 'héllo', timeoutMs: 2000, allowedHosts: ['127.0.0.1'] });
        expect(received).toBe('héllo');
        expect(length).toBe('6');
      },
    );
  });

  it('refuses a private target that is not allow-listed, before connecting', async () => {
    const err = await rejection(httpRequest({ method: 'POST', url: `http://127.0.0.1:1/hooks/${SECRET}`, timeoutMs: 2000, allowedHosts: [] }));
    expect(err).toBeInstanceOf(OutboundBlockedError);
    expect((err as OutboundBlockedError).code).toBe('URL_HOST_NOT_ALLOWED');
    expectNoSecret(err);
  });

  it('connection refused: not sent, outcome known', async () => {
    let port = 0;
    await withServer(
      () => undefined,
      async (p) => {
        port = p;
      },
    );
    const err = (await rejection(
      httpRequest({ method: 'POST', url: `http://127.0.0.1:${port}/hooks/${SECRET}`, body: '{}', timeoutMs: 2000, allowedHosts: ['127.0.0.1'] }),
    )) as OutboundRequestError;
    expect(err).toBeInstanceOf(OutboundRequestError);
    expect(err).toMatchObject({ code: 'CONNECT_FAILED', requestSent: false, outcomeUnknown: false, errno: 'ECONNREFUSED' });
    expectNoSecret(err);
  });

  it('timeout after the request was sent: outcome unknown', async () => {
    await withServer(
      () => undefined, // read nothing back, never answer
      async (port) => {
        const err = (await rejection(
          httpRequest({ method: 'POST', url: `http://127.0.0.1:${port}/hooks/${SECRET}`, body: '{"text":"x"}', timeoutMs: 300, allowedHosts: ['127.0.0.1'] }),
        )) as OutboundRequestError;
        expect(err).toMatchObject({ code: 'TIMEOUT', requestSent: true, outcomeUnknown: true });
        expectNoSecret(err);
      },
    );
  });

  it('timeout while resolving: not sent', async () => {
    const never = () => new Promise<never>(() => undefined);
    const err = (await rejection(
      httpRequest({ method: 'GET', url: 'https://slow-dns.example/', timeoutMs: 100, allowedHosts: [], resolve: never }),
    )) as OutboundRequestError;
    expect(err).toMatchObject({ code: 'TIMEOUT', requestSent: false, outcomeUnknown: false });
  });

  it('connection dropped after the request was read: outcome unknown', async () => {
    await withServer(
      (req) => {
        req.resume();
        req.on('end', () => req.socket.destroy());
      },
      async (port) => {
        const err = (await rejection(
          httpRequest({ method: 'POST', url: `http://127.0.0.1:${port}/hooks/${SECRET}`, body: '{"text":"x"}', timeoutMs: 2000, allowedHosts: ['127.0.0.1'] }),
        )) as OutboundRequestError;
        expect(err).toMatchObject({ code: 'CONNECTION_LOST', requestSent: true, outcomeUnknown: true });
        expectNoSecret(err);
      },
    );
  });

  it('connection dropped in the middle of the response body: outcome unknown', async () => {
    await withServer(
      (_req, res) => {
        res.writeHead(200, { 'content-length': '100' });
        res.write('partial');
        setTimeout(() => res.socket?.destroy(), 20);
      },
      async (port) => {
        const err = (await rejection(
          httpRequest({ method: 'POST', url: `http://127.0.0.1:${port}/`, body: '{}', timeoutMs: 2000, allowedHosts: ['127.0.0.1'] }),
        )) as OutboundRequestError;
        expect(err).toMatchObject({ code: 'CONNECTION_LOST', requestSent: true, outcomeUnknown: true });
      },
    );
  });

  it('a header value with a newline is refused locally without quoting it', async () => {
    const err = (await rejection(
      httpRequest({
        method: 'GET',
        url: 'http://127.0.0.1:1/',
        headers: { authorization: `Bearer ${SECRET}\r\nX-Evil: 1` },
        timeoutMs: 2000,
        allowedHosts: ['127.0.0.1'],
        resolve: async () => [{ address: '127.0.0.1', family: 4 }],
      }),
    )) as OutboundRequestError;
    expect(err).toMatchObject({ code: 'REQUEST_INVALID', requestSent: false });
    expectNoSecret(err);
  });
});
