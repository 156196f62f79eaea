/**
 * A node:test reporter beside `spec`: writes one JSON line of counts and the names of skipped
 * or todo tests, so test/run.ts can fail a run that skipped anything (FM3 in test/SPEC.md).
 * Plain JavaScript: node loads reporters before tsx's loader applies to them.
 */
export default async function* tally(source) {
  const t = { tests: 0, pass: 0, fail: 0, skipped: [], todo: [] };
  for await (const e of source) {
    if (e.type !== 'test:pass' && e.type !== 'test:fail') continue;
    const d = e.data;
    if (d.details?.type === 'suite') continue;
    t.tests++;
    const where = `${d.name}${d.file ? ` (${d.file.split('/').pop()})` : ''}`;
    if (d.skip !== undefined && d.skip !== false) t.skipped.push(where);
    else if (d.todo !== undefined && d.todo !== false) t.todo.push(where);
    else if (e.type === 'test:pass') t.pass++;
    else t.fail++;
  }
  yield `${JSON.stringify(t)}\n`;
}
