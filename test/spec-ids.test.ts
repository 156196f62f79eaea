/**
 * Docs that are checked (issue #15 item 5): every rule id a test names is defined in a SPEC.md,
 * every defined rule is cited by a test or says why not, and no id means two rules.
 * Rules: docs/SPEC.md.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { REPO_ROOT } from '../apps/api/src/config/config.js';
import { checkSpecIds, citedIn, definedIn, describeReport, scanRepository } from './helpers/spec-ids.js';

// Sample sources are assembled at run time so that this file's own text cites no sample id.
const call = (fn: string, args: string) => `${fn}(${args}`;

test('[DOC3] ids are read anywhere in a test name, several per name, from test, it, describe and their variants', () => {
  const source = [
    call('test', `'[ZZ1][ZZ2] two ids, no space', () => {});`),
    call('it', `"[ZZ3] [ZZ4] spaced ids", () => {});`),
    call('describe', '`a name that cites [ZZ5] late`, () => {});'),
    call('test.skip', `'[ZZ6a] a letter suffix', () => {});`),
    call('t.test', `'[ZZ7] a subtest', () => {});`),
    call('test', `'it\\'s [ZZ8] escaped', () => {});`),
    call('test', `('[ZZ9] in parentheses is no name', () => {});`),
    `// [ZZ10] a comment is not a test name`,
    `assert.ok(x, '[ZZ11] an assertion message is not a test name');`,
    call('test', `'[AG] a bare prefix and [0] are not ids', () => {});`),
  ].join('\n');
  const ids = citedIn(source, 'sample.test.ts').map((c) => c.id);
  assert.deepEqual(ids, ['ZZ1', 'ZZ2', 'ZZ3', 'ZZ4', 'ZZ5', 'ZZ6a', 'ZZ7', 'ZZ8']);
});

test('[DOC1] [DOC2] [DOC4] the check names each cited-but-undefined id with its test files, each silent rule, each id defined twice', () => {
  const spec = [
    '# Sample rules',
    '- **ZZ1** Defined and cited.',
    '- **ZZ2** Defined, never cited, and not excused.',
    '- **ZZ3** Defined, never cited: needs a GPU',
    '  (no test: this machine has none).',
    '- **ZZ4** An untested rule, said so.',
    '- **ZZ5** Cited; its neighbour below is silent.',
    '## Next section (no test here is about ZZ6, the heading ends ZZ5)',
    '- **ZZ6** Silent again.',
  ].join('\n');
  const other = '- **ZZ1** The same id for another rule.\n';
  const defs = [...definedIn(spec, 'a/SPEC.md'), ...definedIn(other, 'b/SPEC.md')];
  assert.deepEqual(
    defs.map((d) => [d.id, d.untested]),
    [
      ['ZZ1', false],
      ['ZZ2', false],
      ['ZZ3', true],
      ['ZZ4', true],
      ['ZZ5', false],
      ['ZZ6', false],
      ['ZZ1', false],
    ],
  );
  const cites = [
    ...citedIn(call('test', `'[ZZ1] [ZZ5] [ZZ9] one', () => {});`), 'test/x.test.ts'),
    ...citedIn(call('test', `'[ZZ9] [ZZ10] two', () => {});`), 'test/y.test.ts'),
  ];
  const report = checkSpecIds(cites, defs);
  assert.deepEqual(report.undefinedIds, [
    { id: 'ZZ9', files: ['test/x.test.ts', 'test/y.test.ts'] },
    { id: 'ZZ10', files: ['test/y.test.ts'] },
  ]);
  assert.deepEqual(report.uncitedIds, [
    { id: 'ZZ2', file: 'a/SPEC.md' },
    { id: 'ZZ6', file: 'a/SPEC.md' },
  ]);
  assert.deepEqual(report.duplicateIds, [{ id: 'ZZ1', files: ['a/SPEC.md', 'b/SPEC.md'] }]);
  const lines = describeReport(report);
  assert.equal(lines.length, 5);
  assert.match(lines[0], /^ZZ9 is cited by test\/x\.test\.ts, test\/y\.test\.ts but defined in no SPEC\.md$/);
  assert.match(lines[2], /^ZZ2 \(a\/SPEC\.md\) is cited by no test/);
  assert.match(lines[4], /^ZZ1 is defined 2 times: a\/SPEC\.md, b\/SPEC\.md$/);
});

test('[DOC1] [DOC2] [DOC4] every rule id cited in test/ is defined once in a SPEC.md, and every rule is cited or says why not', () => {
  const { citations, definitions } = scanRepository(REPO_ROOT);
  assert.ok(citations.length > 100, `test names were read (${citations.length} citations)`);
  assert.ok(definitions.length > 100, `SPEC.md files were read (${definitions.length} rules)`);
  const problems = describeReport(checkSpecIds(citations, definitions));
  if (problems.length) assert.fail(`${problems.length} disagreements between docs and tests:\n  ${problems.join('\n  ')}`);
});
