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
