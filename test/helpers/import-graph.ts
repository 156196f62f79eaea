/**
 * Finds relative paths that leave their workspace (docs/SPEC.md, WS1): pure functions over text
 * and a list of workspace folders, plus one walker over the repository, so the check can be tried
 * on made-up input.
 */
import fs from 'node:fs';
import path from 'node:path';

/** The folders the check walks; `test/` may reach into any workspace, it tests them all. */
export const CHECKED_ROOTS = ['apps', 'services', 'packages', 'tools', 'bench'];

/** A module specifier: `from '…'`, `import '…'`, `import('…')`, `require('…')`. */
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)(['"])(\.{1,2}\/[^'"\n]*)\1/g;
/** Any other string naming a module file by relative path (loaded later with `new URL(p, import.meta.url)`). */
const MODULE_PATH = /(['"])(\.{1,2}\/[^'"\n]*\.(?:[cm]?js|tsx?|json))\1/g;

export interface Offence {
  file: string;
  specifier: string;
  from: string;
  to: string;
}

/** The workspace holding `file` (repository-relative, `/`-separated): the longest folder that contains it, else the root ('.'). */
export function workspaceOf(file: string, workspaces: readonly string[]): string {
  let best = '.';
  for (const w of workspaces) if (file.startsWith(`${w}/`) && w.length > best.length) best = w;
  return best === '.' ? '.' : best;
}

/** Every relative path in one source file whose target lies in another workspace. */
export function offencesIn(source: string, file: string, workspaces: readonly string[]): Offence[] {
  const from = workspaceOf(file, workspaces);
  const specifiers = new Set<string>();
  for (const m of source.matchAll(SPECIFIER)) specifiers.add(m[2]);
  for (const m of source.matchAll(MODULE_PATH)) specifiers.add(m[2]);
  const out: Offence[] = [];
  for (const specifier of specifiers) {
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
    const to = target.startsWith('../') ? '(outside the repository)' : workspaceOf(target, workspaces);
    if (to !== from) out.push({ file, specifier, from, to });
  }
  return out;
}

const SKIP_DIRS = new Set(['node_modules', '.git', '.next', 'dist', 'out', 'coverage']);

function walk(dir: string, out: string[] = []): string[] {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name) && !e.name.startsWith('.')) walk(path.join(dir, e.name), out);
    } else if (e.isFile() && /\.(?:ts|tsx|mts)$/.test(e.name) && !/\.d\.ts$|generated/.test(e.name)) out.push(path.join(dir, e.name));
  }
  return out;
}

/** The workspaces the root package.json lists, and every offence in the checked folders. */
export function scanImportGraph(root: string): { workspaces: string[]; files: number; offences: Offence[] } {
  const workspaces: string[] = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).workspaces;
  const files = CHECKED_ROOTS.flatMap((d) => walk(path.join(root, d)));
  const rel = (f: string) => path.relative(root, f).split(path.sep).join('/');
  const offences = files.flatMap((f) => offencesIn(fs.readFileSync(f, 'utf8'), rel(f), workspaces));
  return { workspaces, files: files.length, offences };
}

export function describeOffence(o: Offence): string {
  return `${o.file}: '${o.specifier}' leaves ${o.from === '.' ? 'the root workspace' : o.from} for ${o.to === '.' ? 'the root workspace' : o.to}`;
}
