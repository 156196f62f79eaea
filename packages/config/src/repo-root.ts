import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root, so defaults do not depend on the working directory. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
