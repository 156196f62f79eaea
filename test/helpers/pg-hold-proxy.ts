import net from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP proxy in front of PostgreSQL that holds back the connections whose startup message
 * names `holdApp` as application_name until `release()`: the test decides when a client's
 * connection completes (e.g. only once its owner has begun to close). Everything else passes
 * straight through. Plain TCP only (the clients here send no SSLRequest).
 */
export interface HoldProxy {
  /** `databaseUrl` with its host and port pointing at the proxy. */
  url: string;
  /** How many held connections are waiting. */
  held(): number;
  release(): void;
  close(): Promise<void>;
}

export async function pgHoldProxy(databaseUrl: string, holdApp: string): Promise<HoldProxy> {
  const target = new URL(databaseUrl);
  const waiting: (() => void)[] = [];
  let released = false;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => {});
    client.once('data', (first: Buffer) => {
      client.pause();
      const connect = () => {
        const upstream = net.connect(Number(target.port || 5432), target.hostname, () => {
          upstream.write(first);
          client.pipe(upstream).pipe(client);
          client.resume();
        });
        sockets.add(upstream);
        upstream.on('close', () => sockets.delete(upstream));
        upstream.on('error', () => client.destroy());
        client.on('close', () => upstream.destroy());
      };
      if (!released && first.includes(Buffer.from(holdApp))) waiting.push(connect);
      else connect();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(databaseUrl);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as AddressInfo).port);
  return {
    url: url.toString(),
    held: () => waiting.length,
    release() {
      released = true;
      for (const go of waiting.splice(0)) go();
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
