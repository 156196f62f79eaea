/**
 * Reads rule ids out of test names and SPEC.md files (docs/SPEC.md, DOC1–DOC4). Pure functions
 * over text, plus one walker over the repository, so the checks can be tried on made-up input.
 */
import fs from 'node:fs';
import path from 'node:path';

/** A rule id: 1–4 capitals, a number, an optional lower-case letter (AG19, WEB10, TR5b). */
const ID = '[A-Z]{1,4}\\d+[a-z]?';
/**
 * The first argument of `test(…)`, `it(…)`, `describe(…)` (also `.skip`/`.only`/`.todo` and
 * `t.test`) when it is a string literal. Template literals count; their `${…}` parts are kept
 * as text, which holds no bracketed id.
 */
const TEST_NAME = /\b(?:test|it|describe)(?:\.(?:skip|only|todo))?\(\s*(['"`])((?:\\[\s\S]|(?!\1)[^\\])*)\1/g;
const CITED = new RegExp(`\\[(${ID})\\]`, 'g');
const DEFINED = new RegExp(`\\*\\*(${ID})\\*\\*`, 'g');
/** Ends a rule's text: the next definition, heading or list item. */
const RULE_END = new RegExp(`\\*\\*${ID}\\*\\*|\\n#|\\n\\s*[-*] `);
/** A rule that says why it has no test. */
const NO_TEST = /\(no test\b|\buntested\b/i;

export interface Citation {
  id: string;
  file: string;
  name: string;
}
export interface Definition {
  id: string;
  file: string;
  text: string;
  untested: boolean;
}

/** Every rule id in every test name of one source file. */
export function citedIn(source: string, file: string): Citation[] {
  const out: Citation[] = [];
  for (const m of source.matchAll(TEST_NAME)) {
    const name = m[2];
    for (const c of name.matchAll(CITED)) out.push({ id: c[1], file, name });
  }
  return out;
}

/** Every rule defined in one SPEC.md, with its text up to the next rule. */
export function definedIn(markdown: string, file: string): Definition[] {
  const out: Definition[] = [];
  for (const m of markdown.matchAll(DEFINED)) {
    const rest = markdown.slice(m.index + m[0].length);
    const end = rest.search(RULE_END);
    const text = (end < 0 ? rest : rest.slice(0, end)).trim();
    out.push({ id: m[1], file, text, untested: NO_TEST.test(text) });
  }
  return out;
}

export interface SpecReport {
  /** Cited in a test name, defined in no SPEC: each with the test files that cite it. */
  undefinedIds: { id: string; files: string[] }[];
  /** Defined, cited by no test, and not saying why it has none. */
  uncitedIds: { id: string; file: string }[];
  /** Defined more than once: one id must mean one rule. */
  duplicateIds: { id: string; files: string[] }[];
}

export function checkSpecIds(citations: Citation[], definitions: Definition[]): SpecReport {
  const cited = new Map<string, Set<string>>();
  for (const c of citations) cited.set(c.id, (cited.get(c.id) ?? new Set()).add(c.file));
  const defined = new Map<string, Definition[]>();
  for (const d of definitions) defined.set(d.id, [...(defined.get(d.id) ?? []), d]);
  const undefinedIds = [...cited].filter(([id]) => !defined.has(id)).map(([id, files]) => ({ id, files: [...files].sort() }));
  const uncitedIds = [...defined].filter(([id, ds]) => !cited.has(id) && !ds.some((d) => d.untested)).map(([id, ds]) => ({ id, file: ds[0].file }));
  const duplicateIds = [...defined].filter(([, ds]) => ds.length > 1).map(([id, ds]) => ({ id, files: ds.map((d) => d.file) }));
  const byId = (a: { id: string }, b: { id: string }) => compareIds(a.id, b.id);
  return { undefinedIds: undefinedIds.sort(byId), uncitedIds: uncitedIds.sort(byId), duplicateIds: duplicateIds.sort(byId) };
}

/** AU2 before AU10, WEB9 before WEB10. */
export function compareIds(a: string, b: string): number {
  const [, pa, na, sa] = /^([A-Z]+)(\d+)([a-z]?)$/.exec(a)!;
  const [, pb, nb, sb] = /^([A-Z]+)(\d+)([a-z]?)$/.exec(b)!;
  return pa.localeCompare(pb) || Number(na) - Number(nb) || sa.localeCompare(sb);
}

/** One line per problem, naming the files to edit. Empty when the docs and the tests agree. */
export function describeReport(r: SpecReport): string[] {
  return [
    ...r.undefinedIds.map((u) => `${u.id} is cited by ${u.files.join(', ')} but defined in no SPEC.md`),
    ...r.uncitedIds.map((u) => `${u.id} (${u.file}) is cited by no test: cite it in a test name, or say "(no test: why)" in the rule`),
    ...r.duplicateIds.map((d) => `${d.id} is defined ${d.files.length} times: ${d.files.join(', ')}`),
  ];
}

const SKIP_DIRS = new Set(['node_modules', '.git', '.next', 'dist', 'out', 'coverage']);

function walk(dir: string, keep: (name: string) => boolean, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name) && !e.name.startsWith('.')) walk(path.join(dir, e.name), keep, out);
    } else if (e.isFile() && keep(e.name)) out.push(path.join(dir, e.name));
  }
  return out;
}

/** Citations from every TypeScript file under test/, definitions from every SPEC.md in the repository. */
export function scanRepository(root: string): { citations: Citation[]; definitions: Definition[] } {
  const rel = (f: string) => path.relative(root, f).split(path.sep).join('/');
  const citations = walk(path.join(root, 'test'), (n) => /\.(?:ts|mts|tsx)$/.test(n)).flatMap((f) => citedIn(fs.readFileSync(f, 'utf8'), rel(f)));
  const definitions = walk(root, (n) => n === 'SPEC.md').flatMap((f) => definedIn(fs.readFileSync(f, 'utf8'), rel(f)));
  return { citations, definitions };
}
