import { CommanderError } from 'commander';
import { ConfigError } from '@concord/config';
import { isConcordError } from '@concord/contracts';

/** Bad command-line input: the CLIs print the message and exit 2 (README: "Bad input exits non-zero"). */
export class CliError extends Error {}

/** A whole-number flag value in [min, max], or a CliError saying the range and what was given. */
export function wholeNumber(flag: string, v: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
    throw new CliError(`${flag} must be a whole number ${max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`} (got "${v}")`);
  }
  return n;
}

/**
 * Ends a CLI after an error with the exit code its kind means: 0 for --help and --version (which
 * commander reports as errors), 2 for bad input (commander's own usage errors, CliError, a bad
 * configuration, a ConcordError: each message says what to fix), 1 for anything unexpected.
 */
export function exitForError(e: unknown): never {
  if (e instanceof CommanderError) {
    // Commander has printed its message already.
    process.exit(['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(e.code) ? 0 : 2);
  }
  if (e instanceof CliError || e instanceof ConfigError || isConcordError(e)) {
    console.error(`error: ${(e as Error).message}`);
    process.exit(2);
  }
  console.error(e);
  process.exit(1);
}
