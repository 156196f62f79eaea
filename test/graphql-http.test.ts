/**
 * The /graphql request path (apps/api/src/server/SPEC.md HP1, HP4): Apollo's
 * executeHTTPGraphQLRequest behind express.json, answering with Apollo's status, headers and body
 * and no ETag; and the fast path that reads plain JSON POSTs without Express, answering every
 * request as the Express way does. A small schema of its own: what is checked is the HTTP edge,
 * not Concord's resolvers.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import zlib from 'node:zlib';
import type { AddressInfo } from 'node:net';
import express from 'express';
import pino from 'pino';
import { ApolloServer } from '@apollo/server';
import { graphqlHandler, graphqlResponder } from '../apps/api/src/server/graphql-http.js';
import { graphqlFastPath } from '../apps/api/src/server/graphql-fast-path.js';
import { endWithError, errorAnswer, jsonErrorHandler } from '../apps/api/src/server/http-errors.js';

const apollo = new ApolloServer<{ who: string }>({
  typeDefs: 'type Query { hello(name: String!): String! who: String! }',
  resolvers: { Query: { hello: (_: unknown, a: { name: string }) => `hello ${a.name}`, who: (_: unknown, __: unknown, c: { who: string }) => c.who } },
  // As the API runs in production: a stack would name the caller's frames, which differ by path.
  includeStacktraceInErrorResponses: false,
});
await apollo.start();
const logger = pino({ level: 'silent' });
// The context names what the server knows of its caller: a header, its address and HTTPS verdict.
const respond = graphqlResponder(apollo, async ({ req, ip, secure }) => ({ who: `${req.headers['x-who'] ?? 'nobody'} ${ip} ${secure ? 'https' : 'http'}` }));

/** An API-shaped server: Express with express.json and the JSON error handler, and optionally the fast path in front. */
async function serve(withFastPath: boolean) {
  const app = express();
  // Loopback is a trusted proxy here, so X-Forwarded-For and -Proto decide the address and HTTPS (LL1).
  app.set('trust proxy', 'loopback');
  app.use('/graphql', express.json({ limit: '1mb' }), graphqlHandler(respond));
  app.use(jsonErrorHandler(logger));
  let fast = 0;
  const fastPath = graphqlFastPath({
    trust: app.get('trust proxy fn'),
    limitBytes: 1024 * 1024,
    begin: () => {
      fast++;
    },
    answer: respond,
    onError: (e, res) => {
      const { code, message } = errorAnswer(e, logger);
      endWithError(res, code, message);
    },
  });
  const server = http.createServer((req, res) => {
    if (!withFastPath || !fastPath(req, res)) app(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, fastCount: () => fast };
}

const expressOnly = await serve(false);
const withFast = await serve(true);
after(async () => {
  expressOnly.server.close();
  withFast.server.close();
  await apollo.stop();
});

test("[HP1] /graphql answers with Apollo's status, headers and body, its length and no ETag; GET passes its query string; a non-JSON body is a 400", async () => {
  for (const port of [expressOnly.port, withFast.port]) {
    const url = `http://127.0.0.1:${port}/graphql`;
    const post = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-who': 'ada' },
      body: JSON.stringify({ query: 'query ($n: String!) { hello(name: $n) who }', variables: { n: 'ünï ✓' } }),
    });
    const text = await post.text();
    assert.equal(post.status, 200);
    assert.deepEqual(JSON.parse(text), { data: { hello: 'hello ünï ✓', who: 'ada 127.0.0.1 http' } }, 'variables and the context reach the resolvers');
    assert.match(post.headers.get('content-type') ?? '', /^application\/(graphql-response\+)?json/);
    assert.equal(Number(post.headers.get('content-length')), Buffer.byteLength(text), 'the length is the bytes sent');
    assert.equal(post.headers.get('etag'), null, 'no ETag is computed for a per-user answer');

    // Apollo's CSRF prevention wants a preflight-forcing header on GET; the search string is Apollo's to read.
    const get = await fetch(`${url}?query=${encodeURIComponent('{ hello(name: "get") }')}`, { headers: { 'apollo-require-preflight': '1' } });
    assert.equal(get.status, 200);
    assert.deepEqual(await get.json(), { data: { hello: 'hello get' } });

    const invalid = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ nope }' }) });
    assert.equal(invalid.status, 400, "Apollo's own status for a query that does not validate");
    assert.match(await invalid.text(), /GRAPHQL_VALIDATION_FAILED/);

    const broken = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
    assert.equal(broken.status, 400, 'a broken body is refused before Apollo');
  }
});

/** One request with exactly these headers and body bytes (node:http, so nothing is added or normalised but Host). */
function send(port: number, path: string, headers: Record<string, string | number>, body?: Buffer | string, chunked = false) {
  return new Promise<{ status: number; type: string | undefined; body: string }>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    if (chunked && body !== undefined) {
      // Two writes with no declared length: Node sends it chunked.
      const b = Buffer.from(body);
      req.write(b.subarray(0, 5));
      req.end(b.subarray(5));
    } else req.end(body);
  });
}

test('[HP4] the fast path takes plain JSON POSTs and answers every request, well-formed or not, as the Express way does', async () => {
  const q = (query: string) => JSON.stringify({ query });
  const json = { 'content-type': 'application/json' };
  const cases: { name: string; path?: string; headers: Record<string, string | number>; body?: Buffer | string; chunked?: boolean; fast: boolean }[] = [
    { name: 'a plain query', headers: json, body: q('{ who }'), fast: true },
    { name: 'with charset=utf-8', headers: { 'content-type': 'application/json; charset=UTF-8' }, body: q('{ hello(name: "é") }'), fast: true },
    { name: 'with a query string', path: '/graphql?x=1', headers: json, body: q('{ who }'), fast: true },
    { name: 'broken JSON', headers: json, body: '{"query": ', fast: true },
    { name: 'a JSON string, not an object (strict)', headers: json, body: '"{ who }"', fast: true },
    { name: 'a JSON number with leading space', headers: json, body: '  42', fast: true },
    { name: 'an empty body', headers: json, body: '', fast: true },
    { name: 'a batch (array)', headers: json, body: `[${q('{ who }')}]`, fast: true },
    {
      name: 'a forwarded client (trusted proxy)',
      headers: { ...json, 'x-forwarded-for': '203.0.113.9, 198.51.100.7', 'x-forwarded-proto': 'https, http', 'x-who': 'bo' },
      body: q('{ who }'),
      fast: true,
    },
    { name: 'latin-1', headers: { 'content-type': 'application/json; charset=latin1' }, body: q('{ who }'), fast: false },
    { name: 'text/plain', headers: { 'content-type': 'text/plain' }, body: q('{ who }'), fast: false },
    { name: 'no content type', headers: {}, body: q('{ who }'), fast: false },
    { name: 'a gzipped body', headers: { ...json, 'content-encoding': 'gzip' }, body: zlib.gzipSync(q('{ who }')), fast: false },
    { name: 'a chunked body', headers: json, body: q('{ who }'), chunked: true, fast: false },
    { name: 'over the limit', headers: json, body: JSON.stringify({ query: '{ who }', pad: 'x'.repeat(1024 * 1024) }), fast: false },
    { name: 'a deeper path', path: '/graphql/x', headers: json, body: q('{ who }'), fast: false },
  ];
  for (const c of cases) {
    const before = withFast.fastCount();
    const viaExpress = await send(expressOnly.port, c.path ?? '/graphql', c.headers, c.body, c.chunked);
    const viaFast = await send(withFast.port, c.path ?? '/graphql', c.headers, c.body, c.chunked);
    assert.deepEqual(viaFast, viaExpress, `${c.name}: the same answer both ways`);
    assert.equal(withFast.fastCount() - before, c.fast ? 1 : 0, `${c.name}: ${c.fast ? 'taken by the fast path' : 'left to Express'}`);
  }
  // The cases above would pass if both ways failed alike: some must succeed, and the forwarded client must be named.
  const forwarded = await send(withFast.port, '/graphql', cases[8].headers, cases[8].body);
  assert.deepEqual(JSON.parse(forwarded.body), { data: { who: 'bo 198.51.100.7 https' } }, 'the nearest untrusted hop, and the first X-Forwarded-Proto');
  const broken = await send(withFast.port, '/graphql', json, '{"query": ');
  assert.equal(broken.status, 400);
  assert.equal(JSON.parse(broken.body).code, 'BAD_INPUT');
});
