/**
 * The closed vocabulary of errors a client can see (`extensions.code`, REST `code`). Each feature
 * throws ConcordError with one of these; the edges map them, and nothing else reaches users.
 */
export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  RATE_LIMITED: 'RATE_LIMITED',
  BAD_INPUT: 'BAD_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  PROJECT_NOT_FOUND: 'PROJECT_NOT_FOUND',
  SLICE_NOT_FOUND: 'SLICE_NOT_FOUND',
  NO_ASSIGNMENT: 'NO_ASSIGNMENT',
  ASSIGNMENT_EXPIRED: 'ASSIGNMENT_EXPIRED',
  ALREADY_LABELLED: 'ALREADY_LABELLED',
  ALREADY_ADJUDICATED: 'ALREADY_ADJUDICATED',
  CONFLICT_OF_INTEREST: 'CONFLICT_OF_INTEREST',
  USERNAME_TAKEN: 'USERNAME_TAKEN',
  NAME_TAKEN: 'NAME_TAKEN',
  TRAINING_BUSY: 'TRAINING_BUSY',
  INGEST_FAILED: 'INGEST_FAILED',
  PUSH_FAILED: 'PUSH_FAILED',
  INTERNAL: 'INTERNAL',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export class ConcordError extends Error {
  constructor(
    readonly code: ErrorCode,
    /** Shown to the user: says what to do, never contains patient data or other readers' data. */
    message: string,
  ) {
    super(message);
    this.name = 'ConcordError';
  }
}

export function isConcordError(e: unknown): e is ConcordError {
  return e instanceof ConcordError;
}

export function isErrorCode(s: unknown): s is ErrorCode {
  return typeof s === 'string' && Object.hasOwn(ErrorCode, s);
}

/** For exhaustive switches: adding a member to a closed union without handling it fails to compile. */
export function assertUnreachable(x: never): never {
  throw new Error(`unhandled case: ${String(x)}`);
}

/** The one HTTP status for each code, for every REST route [ER2]. A code added to ErrorCode without a case here fails to compile. */
export function httpStatusFor(code: ErrorCode): number {
  switch (code) {
    case 'UNAUTHENTICATED':
      return 401;
    case 'FORBIDDEN':
    // A reader may not decide their own read: a permission, not a state conflict.
    case 'CONFLICT_OF_INTEREST':
      return 403;
    case 'RATE_LIMITED':
      return 429;
    case 'BAD_INPUT':
      return 400;
    case 'NOT_FOUND':
    case 'PROJECT_NOT_FOUND':
    case 'SLICE_NOT_FOUND':
      return 404;
    case 'NO_ASSIGNMENT':
    case 'ASSIGNMENT_EXPIRED':
    case 'ALREADY_LABELLED':
    case 'ALREADY_ADJUDICATED':
    case 'USERNAME_TAKEN':
    case 'NAME_TAKEN':
    case 'TRAINING_BUSY':
      return 409;
    // The PACS refused or could not be reached: the fault is upstream of Concord.
    case 'PUSH_FAILED':
      return 502;
    case 'INGEST_FAILED':
    case 'INTERNAL':
      return 500;
    default:
      return assertUnreachable(code);
  }
}
