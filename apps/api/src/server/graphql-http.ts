import type { Request, Response } from 'express';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';

/**
 * POST/GET /graphql handed to Apollo: what `@as-integrations/express5` does, minus two costs
 * paid on every request (about 2–3% of the API's CPU under bench/labeling): the deprecated
 * `url.parse` of the whole URL to find its query string, and Express' `res.send`, which hashes
 * every body for an ETag (meaningless on a per-user POST answer) and re-derives headers Apollo
 * already set. Status, headers (content-type and length) and body are Apollo's, as before.
 */
export function graphqlHandler<C extends BaseContext>(apollo: ApolloServer<C>, context: (args: { req: Request; res: Response }) => Promise<C>) {
  apollo.assertStarted('graphqlHandler()');
  return async (req: Request, res: Response): Promise<void> => {
    // Not a client's fault: it reaches the client as INTERNAL through the JSON error handler.
    if (!('body' in req)) throw new Error('req.body is not set: mount express.json() before the /graphql handler');
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const q = req.url.indexOf('?');
    const answer = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method.toUpperCase(), headers, search: q < 0 ? '' : req.url.slice(q), body: req.body },
      context: () => context({ req, res }),
    });
    for (const [key, value] of answer.headers) res.setHeader(key, value);
    res.statusCode = answer.status || 200;
    if (answer.body.kind === 'complete') {
      res.setHeader('content-length', Buffer.byteLength(answer.body.string));
      res.end(req.method === 'HEAD' ? undefined : answer.body.string);
      return;
    }
    for await (const chunk of answer.body.asyncIterator) res.write(chunk);
    res.end();
  };
}
