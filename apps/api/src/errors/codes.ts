// The vocabulary lives in @concord/contracts so the trainer and the web app share it.
export { ErrorCode, ConcordError, isConcordError, isErrorCode, httpStatusFor, assertUnreachable } from '@concord/contracts';
