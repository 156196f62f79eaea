// The web app's HTTP server: `next start` plus one job, naming the client for the API.
// proxy.ts forwards /graphql, /upload, /images and /export to the API, and the API's login
// limits key on the client address. Next forwards whatever X-Forwarded-For the client sent and
// offers proxy.ts no way to see the real peer, so this server replaces the header before Next
// sees the request: with the TCP peer, or, behind proxies named in CONCORD_TRUST_PROXY (same
// syntax as the API's), with the address those proxies vouch for.
//
//   WEB_PORT=3000 [WEB_HOST=0.0.0.0] [CONCORD_TRUST_PROXY=1] node server.mjs
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import next from 'next';
import proxyaddr from 'proxy-addr';

const dir = path.dirname(fileURLToPath(import.meta.url));
const port = Number(process.env.WEB_PORT || 3000);
const hostname = process.env.WEB_HOST || '0.0.0.0';

function trustFrom(raw) {
  const v = (raw || '').trim();
  if (!v || v === '0' || v.toLowerCase() === 'false') return proxyaddr.compile([]);
  if (/^\d+$/.test(v)) {
    const hops = Number(v);
    return (_addr, i) => i < hops;
  }
  return proxyaddr.compile(
    v
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  );
}

const trust = trustFrom(process.env.CONCORD_TRUST_PROXY);
const app = next({ dev: false, dir, hostname, port });
await app.prepare();
const handle = app.getRequestHandler();

const server = http.createServer((req, res) => {
  // proxyaddr reads X-Forwarded-For only as far as `trust` allows; the rest is dropped.
  const client = proxyaddr(req, trust);
  req.headers['x-forwarded-for'] = client;
  // The scheme too (the API sets the cookie's Secure flag by it): only a trusted proxy may say.
  if (!trust(req.socket.remoteAddress ?? '', 0)) req.headers['x-forwarded-proto'] = req.socket.encrypted ? 'https' : 'http';
  delete req.headers.forwarded;
  delete req.headers['x-real-ip'];
  handle(req, res);
});
server.listen(port, hostname, () => console.log(`Concord web app on http://${hostname}:${port}`));

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => {
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 5000).unref();
  });
}
