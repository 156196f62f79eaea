import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../apps/api/src/config/config.js';

/** The candidates, in order: CONCORD_CORPUS_DIR, then shared/corpus/public beside the checkout (in CI too). */
export function corpusCandidates(): string[] {
  return [process.env.CONCORD_CORPUS_DIR, path.join(REPO_ROOT, '../shared/corpus/public'), '/work/shared/corpus/public'].filter((d): d is string => !!d);
}

/** The public DICOM corpus (see shared/corpus/README.md), or undefined when none is on this machine. */
export function findCorpus(): string | undefined {
  return corpusCandidates().find((d) => fs.existsSync(d));
}
