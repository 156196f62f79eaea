import fs from 'node:fs';

/** The runner's exit code, made non-zero when anything was skipped or left todo, or the counts are missing. */
export function verdict(code: number, tallyFile: string, log: (s: string) => void = console.error): number {
  let tally: { tests: number; pass: number; fail: number; skipped: string[]; todo: string[] };
  try {
    tally = JSON.parse(fs.readFileSync(tallyFile, 'utf8'));
  } catch {
    log('# the test counts were not written (the runner died?): this run proves nothing');
    return code || 1;
  }
  const unchecked = [...tally.skipped.map((n) => `skipped: ${n}`), ...tally.todo.map((n) => `todo: ${n}`)];
  if (unchecked.length) {
    log(`# FAIL: ${unchecked.length} test(s) did not run, so what they check was not checked:\n${unchecked.map((u) => `#   ${u}`).join('\n')}`);
    return code || 1;
  }
  return code;
}
