/**
 * The closed vocabulary of errors a client can see (`extensions.code`). Each feature throws
 * ConcordError with one of these; the GraphQL edge maps them, and nothing else reaches users.
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
