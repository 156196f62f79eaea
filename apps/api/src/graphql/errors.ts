import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { ConcordError, ErrorCode } from '../errors/codes.js';

const INPUT_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'OPERATION_RESOLUTION_FAILURE',
]);

/**
 * The one mapping from thrown errors to what clients see. Only ErrorCode values reach
 * `extensions.code`; anything unexpected becomes INTERNAL with no detail (it may hold SQL or data).
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown, log: (e: unknown) => void): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (original instanceof ConcordError) {
    return { message: original.message, path: formatted.path, extensions: { code: original.code } };
  }
  const apolloCode = String(formatted.extensions?.code ?? '');
  if (INPUT_CODES.has(apolloCode)) {
    return { message: formatted.message, locations: formatted.locations, extensions: { code: ErrorCode.BAD_INPUT } };
  }
  log(original);
  return {
    message: 'Something went wrong on the server. Try again; if it persists, tell your admin.',
    path: formatted.path,
    extensions: { code: ErrorCode.INTERNAL },
  };
}
