/**
 * `npm run build:api`: the API and its CLI as plain JavaScript in apps/api/dist, which the API
 * image runs (`node apps/api/dist/concord.mjs serve`). Under tsx the API process held about
 * 50 MB more RSS (its transform cache and source maps) and paid tsx's loader and esbuild's
 * `__name` helper on every request (bench/labeling measures both ways: `--api-tsx`).
 *
 * Workspace packages (@concord/*) are bundled: their exports point at TypeScript sources. Every
 * npm package stays an import, resolved from node_modules at run time, so native addons and
 * packages that read files beside themselves work as installed. The output sits three folders
 * below the repository root, as the sources do, so paths the bundled modules derive from
 * import.meta.url (REPO_ROOT, the migrations folder) resolve as they do from the sources.
 *
 *   npx tsx apps/api/build.ts            # apps/api/dist/concord.mjs, apps/api/dist/prepare-worker.mjs
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const API_DIST = path.join(HERE, 'dist');
/** The built CLI, `serve` included: what the API image runs. */
export const BUILT_CLI = path.join(API_DIST, 'concord.mjs');

/**
 * The trainer's CLI pulls TensorFlow, which the API image does not install: it stays a lazy import
 * of the sources, and `concord train` says where to run it (see trainCommands in concord.ts).
 */
const NOT_BUNDLED = ['@concord/trainer/cli/'];

const npmPackagesExternal: Plugin = {
  name: 'npm-packages-external',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:')) return { path: args.path, external: true };
      if (args.path.startsWith('@concord/') && !NOT_BUNDLED.some((p) => args.path.startsWith(p))) return undefined;
      return { path: args.path, external: true };
    });
  },
};

/**
 * Bundles `entries` (output name → TypeScript entry) as ES modules for Node 20 into `outdir`,
 * which must be three folders below the repository root (see above).
 */
export async function bundleForNode(entries: Record<string, string>, outdir: string): Promise<void> {
  const depth = path.relative(path.resolve(HERE, '../..'), outdir).split(path.sep).length;
  if (depth !== 3) throw new Error(`bundleForNode: ${outdir} is ${depth} folders below the repository root; the bundle's import.meta.url paths need 3`);
  await build({
    entryPoints: entries,
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    plugins: [npmPackagesExternal],
    logLevel: 'warning',
    legalComments: 'none',
  });
}

/** apps/api/dist/concord.mjs (the CLI, `serve` included) and the ingest pool's worker beside it. */
export async function buildApi(): Promise<void> {
  await bundleForNode(
    {
      concord: path.join(HERE, 'src/cli/concord.ts'),
      // prepare-pool.ts starts it from beside the bundle.
      'prepare-worker': path.join(HERE, 'src/ingest/prepare-worker.ts'),
    },
    API_DIST,
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const t0 = performance.now();
  await buildApi();
  console.log(`built ${path.relative(process.cwd(), BUILT_CLI)} and prepare-worker.mjs in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
