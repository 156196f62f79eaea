import { NextResponse, type NextRequest } from 'next/server';
import { apiOrigin } from './lib/server-config';

/**
 * The browser sees one origin: GraphQL, images, uploads and exports go through here to the API, so the
 * httpOnly session cookie set by `login` travels with every request. Read at request time, so
 * the same build serves any CONCORD_API_URL. The client's address travels in X-Forwarded-For,
 * which server.mjs has already replaced with the real peer (Next forwards what the client sent).
 */
export function proxy(req: NextRequest) {
  const target = new URL(req.nextUrl.pathname + req.nextUrl.search, apiOrigin());
  return NextResponse.rewrite(target);
}

export const config = {
  matcher: ['/graphql', '/images/:path*', '/upload', '/export/:path*'],
};
