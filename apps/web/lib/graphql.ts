/**
 * One way to call the API from the browser. Errors keep the API's `extensions.code` so every
 * screen can say what went wrong and what to do.
 */
import type { ErrorCode } from '@concord/contracts';
import type { TypedDocumentString } from './gql/graphql';

/** The API's codes, plus the one the browser adds when the server cannot be reached. */
export type ClientErrorCode = ErrorCode | 'NETWORK';

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type GraphQLResponse<T> = { data?: T | null; errors?: { message: string; extensions?: { code?: string } }[] };

/** Operations without variables take none; the others must be given theirs, typed by codegen. */
type VariablesArg<V> = [V] extends [{ [key: string]: never }] ? [variables?: V] : [variables: V];

export function gql<T, V>(document: TypedDocumentString<T, V>, ...[variables]: VariablesArg<V>): Promise<T> {
  return gqlWithHeaders({}, document, variables as V);
}

/** As gql, with extra request headers (e.g. the caller's socket id, for the API's rule RT5). */
export async function gqlWithHeaders<T, V>(extra: Record<string, string>, document: TypedDocumentString<T, V>, variables: V): Promise<T> {
  const query = document.toString();
  let res: Response;
  try {
    res = await fetch('/graphql', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { ...extra, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query, variables: variables ?? {} }),
    });
  } catch {
    throw new ApiError('NETWORK', 'Cannot reach the Concord server. Check your connection and try again.');
  }
  let body: GraphQLResponse<T>;
  try {
    body = (await res.json()) as GraphQLResponse<T>;
  } catch {
    throw new ApiError('INTERNAL', `The server answered ${res.status} without a GraphQL response. Try again in a moment.`);
  }
  const first = body.errors?.[0];
  if (first) throw new ApiError(first.extensions?.code ?? 'INTERNAL', first.message);
  if (!body.data) throw new ApiError('INTERNAL', 'The server returned no data.');
  return body.data;
}

/** Words for a user, by error code; the server's message follows them. */
const HINTS: Record<ClientErrorCode, string> = {
  UNAUTHENTICATED: 'Please sign in again.',
  FORBIDDEN: 'Your role does not allow this.',
  RATE_LIMITED: 'Too many attempts; wait a little.',
  BAD_INPUT: 'Check the values entered.',
  NOT_FOUND: 'Not found.',
  PROJECT_NOT_FOUND: 'Project not found.',
  SLICE_NOT_FOUND: 'Slice not found.',
  NO_ASSIGNMENT: 'This slice is no longer assigned to you.',
  ASSIGNMENT_EXPIRED: 'Your hold on this slice expired; a fresh one will load.',
  ALREADY_LABELLED: 'You have already labelled this slice.',
  ALREADY_ADJUDICATED: 'Someone already decided this item.',
  CONFLICT_OF_INTEREST: 'You read this slice yourself, so you cannot adjudicate it.',
  USERNAME_TAKEN: 'That user name is taken.',
  NAME_TAKEN: 'That name is taken.',
  TRAINING_BUSY: 'Training is already running.',
  INGEST_FAILED: 'The upload could not be ingested.',
  PUSH_FAILED: 'The result could not be sent to PACS.',
  NETWORK: 'Network problem.',
  INTERNAL: 'Server error.',
};

// A code outside the closed list (a proxy's, an older server's) still shows the server's message.
const hintFor = (code: string): string => (Object.hasOwn(HINTS, code) ? HINTS[code as ClientErrorCode] : '');

export function describeError(e: unknown): { code: string; message: string } {
  if (e instanceof ApiError) return { code: e.code, message: `${hintFor(e.code)} ${e.message}`.trim() };
  return { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) };
}
