/**
 * The /graphql request path without framework costs (apps/api/src/server/SPEC.md HP1–HP2):
 * graphqlJsonBody gives every request the answer express.json gives it, and Apollo's per-request
 * query hash resolves no module. No database: both are checked on their own.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import Module from 'node:module';
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import { graphqlJsonBody } from '../apps/api/src/server/graphql-http.js';
import { handCryptoToApolloHash } from '../apps/api/src/graphql/apollo-hash.js';

/** One app, two mounts: the same echo after express.json and after graphqlJsonBody. */
const app = express();
const echo = (req: Request, res: Response) => res.json({ body: req.body === undefined ? '(undefined)' : req.body });
app.post('/general', express.json({ limit: '1mb' }), echo);
app.post('/lean', graphqlJsonBody(2 ** 20), echo);
app.use((err: { status?: number; type?: string }, _req: Request, res: Response, _next: NextFunction) => {
  res.status(err.status ?? 500).json({ error: err.status });
});
const server = http.createServer(app);
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
after(() => server.close());

const json = { 'content-type': 'application/json' };
/** Each case makes its request anew: a stream body is read once, and each mount gets the case. */
const chunked = (): RequestInit =>
  ({
    headers: json,
    body: new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode('{"query":'));
        c.enqueue(new TextEncoder().encode('"x"}'));
        c.close();
      },
    }),
    duplex: 'half',
  }) as RequestInit;
const cases: [string, () => RequestInit][] = [
  ['a query', () => ({ headers: json, body: '{"query":"{ me { id } }","variables":{"a":[1,2]}}' })],
  ['utf-8 text', () => ({ headers: json, body: '{"query":"ünïcödé ✓"}' })],
  ['a BOM', () => ({ headers: json, body: '\ufeff{"query":"x"}' })],
  ['an array', () => ({ headers: json, body: '[{"query":"x"}]' })],
  ['leading whitespace', () => ({ headers: json, body: ' \n\t{"query":"x"}' })],
  ['whitespace only', () => ({ headers: json, body: '   ' })],
  ['a bare string', () => ({ headers: json, body: '"query"' })],
  ['a number', () => ({ headers: json, body: '12' })],
  ['broken JSON', () => ({ headers: json, body: '{"query": "{ me { id } }"' })],
  ['an empty body', () => ({ headers: json, body: '' })],
  ['charset utf-8', () => ({ headers: { 'content-type': 'application/json; charset=UTF-8' }, body: '{"a":1}' })],
  ['a quoted charset', () => ({ headers: { 'content-type': 'application/json; charset="utf-8"' }, body: '{"a":1}' })],
  ['a type in capitals', () => ({ headers: { 'content-type': 'Application/JSON' }, body: '{"a":1}' })],
  ['charset latin1', () => ({ headers: { 'content-type': 'application/json; charset=latin1' }, body: '{"a":1}' })],
  ['charset utf-16', () => ({ headers: { 'content-type': 'application/json; charset=utf-16' }, body: Buffer.from('{"a":1}', 'utf16le') })],
  ['text/plain', () => ({ headers: { 'content-type': 'text/plain' }, body: '{"a":1}' })],
  ['no content type', () => ({ body: Buffer.from('{"a":1}') })],
  ['gzip', () => ({ headers: { ...json, 'content-encoding': 'gzip' }, body: Buffer.from('not gzip') })],
  ['over the limit', () => ({ headers: json, body: `{"q":"${'x'.repeat(2 ** 20)}"}` })],
  ['just under the limit', () => ({ headers: json, body: `{"q":"${'x'.repeat(2 ** 20 - 9)}"}` })],
  ['chunked', chunked],
];

test('[HP1] graphqlJsonBody answers every request as express.json does: bodies, errors, charsets, types, encodings, limits', async () => {
  for (const [what, init] of cases) {
    const answers = [];
    for (const path of ['/general', '/lean']) {
      const res = await fetch(`${base}${path}`, { ...init(), method: 'POST' });
      answers.push({ status: res.status, body: await res.text() });
    }
    assert.deepEqual(answers[1], answers[0], `${what}: graphqlJsonBody answers as express.json`);
  }
});

test("[HP2] Apollo's query hash is sha256 as before and resolves no module per request", () => {
  assert.equal(handCryptoToApolloHash(), true, "@apollo/utils.createhash is where Apollo's requests load it from");
  const fromApollo = createRequire(createRequire(import.meta.url).resolve('@apollo/server'));
  const { createHash } = fromApollo('@apollo/utils.createhash') as { createHash: (kind: string) => crypto.Hash };
  const resolver = Module as unknown as { _resolveFilename: (...args: unknown[]) => string };
  const plain = resolver._resolveFilename;
  let resolved = 0;
  resolver._resolveFilename = (...args: unknown[]) => {
    resolved++;
    return plain(...args);
  };
  try {
    const digest = createHash('sha256').update('{ me { id } }').digest('hex');
    assert.equal(digest, crypto.createHash('sha256').update('{ me { id } }').digest('hex'));
  } finally {
    resolver._resolveFilename = plain;
  }
  assert.equal(resolved, 0, 'no module resolution per hash');
});
