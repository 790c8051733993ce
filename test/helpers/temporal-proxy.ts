// A TCP proxy in front of the Temporal dev server, so a test can take Temporal away from one
// client (the API, a reconciler) and give it back, without stopping the server every other test
// file shares. While cut, open connections are destroyed and new ones are accepted but never
// answered: what a client sees when the server host is gone (the SDK waits, then times out).
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface TemporalProxy {
  address: string;
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startTemporalProxy(target: string): Promise<TemporalProxy> {
  const [host, port] = [target.slice(0, target.lastIndexOf(':')), Number(target.slice(target.lastIndexOf(':') + 1))];
  let cut = false;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    if (cut) return; // accepted, never answered
    const upstream = net.connect({ host, port });
    sockets.add(upstream);
    upstream.on('close', () => {
      sockets.delete(upstream);
      client.destroy();
    });
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    address,
    cut() {
      cut = true;
      for (const s of sockets) s.destroy();
    },
    restore() {
      cut = false;
      for (const s of sockets) s.destroy(); // hung connections: let the client reconnect
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
