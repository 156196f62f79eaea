import express, { type Request, type RequestHandler, type Response } from 'express';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';

/**
 * `express.json({ limit })` for /graphql, with the request every client sends read here: a POST
 * of `application/json` (no charset or utf-8), a Content-Length within the limit, no
 * Content-Encoding. body-parser's general machinery (type-is, content-type, iconv, raw-body)
 * was about 3% of the API's CPU per label under bench/labeling. The result is body-parser's:
 * a leading BOM dropped, an empty body `{}`, strict JSON (an object or array) else a 400 error
 * for the JSON error handler (BAD_INPUT, as before). Every other request (chunked, compressed,
 * other charsets or types, too large) goes to express.json itself, unchanged.
 */
export function graphqlJsonBody(limitBytes: number): RequestHandler {
  const general = express.json({ limit: limitBytes });
  return (req, res, next) => {
    const h = req.headers;
    const length = Number(h['content-length']);
    const plain =
      req.method === 'POST' &&
      isUtf8Json(h['content-type']) &&
      (h['content-encoding'] === undefined || h['content-encoding'].toLowerCase() === 'identity') &&
      h['transfer-encoding'] === undefined &&
      length > 0 &&
      length <= limitBytes &&
      !('_body' in req);
    if (!plain) return general(req, res, next);
    const chunks: Buffer[] = [];
    let done = false;
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('error', (e) => {
      if (done) return;
      done = true;
      next(Object.assign(e, { status: 400 }));
    });
    req.on('end', () => {
      if (done) return;
      done = true;
      let text = (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)).toString('utf8');
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      const first = /^[ \t\n\r]*(.|$)/s.exec(text)?.[1];
      if (first !== '{' && first !== '[') return next(Object.assign(new SyntaxError('The body is not a JSON object or array.'), { status: 400 }));
      try {
        req.body = JSON.parse(text);
      } catch (e) {
        return next(Object.assign(e as Error, { status: 400 }));
      }
      (req as { _body?: boolean })._body = true;
      next();
    });
  };
}

/** `application/json`, with no charset or utf-8 (the charsets body-parser would decode otherwise go to it). */
function isUtf8Json(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const [type, ...params] = contentType.split(';');
  if (type.trim().toLowerCase() !== 'application/json') return false;
  return params.every((p) => {
    const [k, v = ''] = p.split('=');
    return k.trim().toLowerCase() !== 'charset' || v.trim().replace(/^"|"$/g, '').toLowerCase() === 'utf-8';
  });
}

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
    if (!('body' in req)) throw new Error('req.body is not set: mount graphqlJsonBody before the /graphql handler');
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
