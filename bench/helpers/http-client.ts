import http from 'node:http';

/** The request never got an answer (refused, reset, timed out): not an HTTP or GraphQL error. */
export class TransportError extends Error {
  constructor(
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

/**
 * JSON POSTs over keep-alive connections with node:http. The simulated labelers share the
 * machine's two cores with the API and PostgreSQL, so the client's own CPU per request lowers
 * what the server can show: fetch (undici with web streams) cost the bench about 1.3–1.7 ms of
 * CPU per label, more than the API itself.
 */
export function jsonClient(baseUrl: string) {
  // A connection idle for the server's keep-alive timeout (Node's 5 s, closed a moment later) is
  // closed by the server just as a labeler who waited that long reuses it: the request fails with
  // "socket hang up", and so may its one retry on the next connection idle as long. Node 20's
  // agent ignores the server's `Keep-Alive: timeout=5` hint, so idle connections are dropped here
  // after 4 s, as browsers drop theirs before a server's timeout. At 1,000 labelers the gap
  // between a labeler's first request and its first label can pass 5 s.
  const agent = new http.Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY, timeout: 4000 });
  const { hostname, port } = new URL(baseUrl);
  return {
    /** `newConnection`: the request opened a connection rather than reusing an idle one (TCP set-up in its latency). */
    post(path: string, headers: Record<string, string>, body: unknown): Promise<{ status: number; body: unknown; newConnection: boolean }> {
      const data = Buffer.from(JSON.stringify(body));
      return new Promise((resolve, reject) => {
        const fail = (e: NodeJS.ErrnoException) => reject(new TransportError(e.code, e.message));
        const req = http.request(
          { agent, hostname, port, path, method: 'POST', headers: { ...headers, 'content-type': 'application/json', 'content-length': data.length } },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('error', fail);
            res.on('end', () => {
              try {
                resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')), newConnection: !req.reusedSocket });
              } catch (e) {
                reject(e);
              }
            });
          },
        );
        req.on('error', fail);
        req.end(data);
      });
    },
    close(): void {
      agent.destroy();
    },
  };
}
