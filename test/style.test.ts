/**
 * [ST1] Biome's format and lint over the whole repository, as `npm test` runs it: a file it would
 * reformat or a lint finding fails the suite, naming the files. [ST2] No web component is longer
 * than 150 lines (measured on the TypeScript syntax tree, so formatting cannot hide one).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { REPO_ROOT } from '../apps/api/src/config/config.js';

// The root's TypeScript 7 is the native compiler with no JavaScript API; the web app's own
// TypeScript 5 (its devDependency, what Next.js checks with) parses its components.
const ts: TsParser = createRequire(path.join(REPO_ROOT, 'apps', 'web', 'package.json'))('typescript');

test('[ST1] biome check finds nothing to format or fix', () => {
  const biome = path.join(REPO_ROOT, 'node_modules', '.bin', 'biome');
  const r = spawnSync(biome, ['check', '--max-diagnostics=50', '--colors=off', '.'], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, `biome check failed; run \`npx biome check --write .\` for formatting:\n${(r.stdout + r.stderr).slice(-6000)}`);
});

test('[ST2] no web component is longer than 150 lines', () => {
  const limit = 150;
  const web = path.join(REPO_ROOT, 'apps', 'web');
  const files = ['app', 'components'].flatMap((dir) =>
    (fs.readdirSync(path.join(web, dir), { recursive: true }) as string[]).filter((f) => f.endsWith('.tsx')).map((f) => path.join(web, dir, f)),
  );
  assert.ok(files.length > 10, `expected the web app's components under ${web}`);
  const found: { name: string; lines: number }[] = [];
  for (const file of files) {
    const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
    const measure = (name: string, node: TsNode) => {
      if (!/^[A-Z]/.test(name)) return;
      const lines = source.getLineAndCharacterOfPosition(node.getEnd()).line - source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
      found.push({ name: `${path.relative(REPO_ROOT, file)}: ${name}`, lines });
    };
    const visit = (node: TsNode) => {
      if (ts.isFunctionDeclaration(node) && node.name) measure(node.name.text, node);
      if (
        ts.isVariableDeclaration(node) &&
        ts.isIdentifier(node.name) &&
        node.initializer &&
        (ts.isArrowFunction(node.initializer) || ts.isFunctionExpression(node.initializer))
      )
        measure(node.name.text, node);
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  assert.ok(
    found.some((c) => c.name.endsWith(': LabelPage')),
    'the walk must see the label page',
  );
  const long = found.filter((c) => c.lines > limit).map((c) => `${c.name} (${c.lines} lines)`);
  assert.deepEqual(long, [], `split these into panels and hooks (test/SPEC.md ST2):\n${long.join('\n')}`);
});

/** The part of TypeScript 5's compiler API this file uses (the root's TypeScript 7 types have no API). */
type TsNode = { getStart(): number; getEnd(): number; kind: number };
type TsNamed = TsNode & { name?: TsNode & { text: string }; initializer?: TsNode };
type TsParser = {
  createSourceFile(
    name: string,
    text: string,
    target: number,
    setParents: boolean,
    kind: number,
  ): TsNode & { getLineAndCharacterOfPosition(pos: number): { line: number } };
  ScriptTarget: { Latest: number };
  ScriptKind: { TSX: number };
  isFunctionDeclaration(n: TsNode): n is TsNamed;
  isVariableDeclaration(n: TsNode): n is TsNamed;
  isIdentifier(n: TsNode | undefined): n is TsNode & { text: string };
  isArrowFunction(n: TsNode): boolean;
  isFunctionExpression(n: TsNode): boolean;
  forEachChild(n: TsNode, visit: (child: TsNode) => void): void;
};
