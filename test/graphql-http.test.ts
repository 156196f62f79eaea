/**
 * The /graphql request path (apps/api/src/server/SPEC.md HP1): Apollo's executeHTTPGraphQLRequest
 * behind express.json, answering with Apollo's status, headers and body and no ETag. A small
 * schema of its own: what is checked is the HTTP edge, not Concord's resolvers.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import { ApolloServer } from '@apollo/server';
import { graphqlHandler } from '../apps/api/src/server/graphql-http.js';

const apollo = new ApolloServer<{ who: string }>({
  typeDefs: 'type Query { hello(name: String!): String! who: String! }',
  resolvers: { Query: { hello: (_: unknown, a: { name: string }) => `hello ${a.name}`, who: (_: unknown, __: unknown, c: { who: string }) => c.who } },
});
await apollo.start();
const app = express();
app.use(
  '/graphql',
  express.json({ limit: '1mb' }),
  graphqlHandler(apollo, async ({ req }) => ({ who: req.get('x-who') ?? 'nobody' })),
);
app.use((err: { status?: number }, _req: Request, res: Response, _next: NextFunction) => {
  res.status(err.status ?? 500).json({ error: err.status ?? 500 });
});
const server = http.createServer(app);
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
after(async () => {
  server.close();
  await apollo.stop();
});

test("[HP1] /graphql answers with Apollo's status, headers and body, its length and no ETag; GET passes its query string; a non-JSON body is a 400", async () => {
  const post = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-who': 'ada' },
    body: JSON.stringify({ query: 'query ($n: String!) { hello(name: $n) who }', variables: { n: 'ünï ✓' } }),
  });
  const text = await post.text();
  assert.equal(post.status, 200);
  assert.deepEqual(JSON.parse(text), { data: { hello: 'hello ünï ✓', who: 'ada' } }, 'variables and the context reach the resolvers');
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
  assert.equal(broken.status, 400, 'express.json refuses a broken body before Apollo');
});
