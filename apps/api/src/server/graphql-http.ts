import type { Request, Response } from 'express';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import type { GraphqlCall } from './graphql-fast-path.js';

/**
 * A /graphql request handed to Apollo: what `@as-integrations/express5` does, minus two costs
 * paid on every request (about 2–3% of the API's CPU under bench/labeling): the deprecated
 * `url.parse` of the whole URL to find its query string, and Express' `res.send`, which hashes
 * every body for an ETag (meaningless on a per-user POST answer) and re-derives headers Apollo
 * already set. Status, headers (content-type and length) and body are Apollo's, as before.
 */
export function graphqlResponder<C extends BaseContext>(apollo: ApolloServer<C>, context: (call: GraphqlCall) => Promise<C>) {
  apollo.assertStarted('graphqlResponder()');
  return async (call: GraphqlCall): Promise<void> => {
    const { req, res } = call;
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const url = req.url ?? '';
    const q = url.indexOf('?');
    const method = (req.method ?? 'GET').toUpperCase();
    const answer = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method, headers, search: q < 0 ? '' : url.slice(q), body: call.body },
      context: () => context(call),
    });
    for (const [key, value] of answer.headers) res.setHeader(key, value);
    res.statusCode = answer.status || 200;
    if (answer.body.kind === 'complete') {
      res.setHeader('content-length', Buffer.byteLength(answer.body.string));
      res.end(method === 'HEAD' ? undefined : answer.body.string);
      return;
    }
    for await (const chunk of answer.body.asyncIterator) res.write(chunk);
    res.end();
  };
}

/** The Express way to the responder (GET, and every POST the fast path leaves to express.json). */
export function graphqlHandler(respond: (call: GraphqlCall) => Promise<void>) {
  return (req: Request, res: Response): Promise<void> => {
    // Not a client's fault: it reaches the client as INTERNAL through the JSON error handler.
    if (!('body' in req)) throw new Error('req.body is not set: mount express.json() before the /graphql handler');
    return respond({ req, res, body: req.body, ip: req.ip ?? 'unknown', secure: req.secure });
  };
}
