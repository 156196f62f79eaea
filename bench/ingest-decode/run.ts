/**
 * bench/ingest-decode: pixel decoding speed per transfer syntax, beside the uncompressed parse of
 * the same image in the same run.
 *   1. One real 512×512 CT image (corpus cornerstone3D-testImages/CTImage.dcm) in every syntax
 *      the corpus holds it in: parse + decode.
 *   2. A 256×256 12-bit axial T2 series made by gdcm/dcmtk/openjph (if installed) through the whole
 *      per-file ingest step (parse, classify, decode, de-identify, write the stored slice).
 *
 *   npx tsx bench/ingest-decode/run.ts [--repeat 30]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadCodecs } from '@concord/api/ingest/codecs';
import { prepareFile } from '@concord/api/ingest/prepare-file';
import { parseInstance } from '@concord/api/ingest/parse-instance';
import { decodePixels } from '@concord/api/ingest/pixel-decode';
import { resolveSeriesRules } from '@concord/api/ingest/series-rules';
import { transferSyntaxName } from '@concord/dicom';
import { REPO_ROOT } from '@concord/config';
import { classicSeries, convertAll, htj2kSeries, missingTools } from '../../test/helpers/codec-fixtures.js';

const i = process.argv.indexOf('--repeat');
const REPEAT = i > 0 ? Number(process.argv[i + 1]) : 30;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * Median milliseconds of each function over REPEAT rounds after two warm-up rounds. Rounds
 * interleave the functions, so load from other processes on the shared machine falls on all of
 * them alike instead of on whichever ran during a busy second.
 */
function timeAll(fns: (() => void)[]): number[] {
  for (let w = 0; w < 2; w++) for (const fn of fns) fn();
  const ms = fns.map(() => [] as number[]);
  for (let r = 0; r < REPEAT; r++) {
    fns.forEach((fn, k) => {
      const t0 = performance.now();
      fn();
      ms[k].push(performance.now() - t0);
    });
  }
  return ms.map(median);
}

function row(label: string, ms: number, baseline: number) {
  console.log(
    `${label.padEnd(58)} ${ms.toFixed(2).padStart(8)} ms  ${(1000 / ms).toFixed(0).padStart(6)} images/s  ×${(ms / baseline).toFixed(1)} of uncompressed`,
  );
}

await loadCodecs();
console.log(`# node ${process.version}, ${os.cpus().length} cores (shared), median of ${REPEAT} runs`);

const corpus = [process.env.CONCORD_CORPUS_DIR, path.join(REPO_ROOT, '../shared/corpus/public'), '/work/shared/corpus/public'].find(
  (d) => d && fs.existsSync(d),
);
if (corpus) {
  const dir = path.join(corpus, 'cornerstone3D-testImages');
  const files = fs.readdirSync(dir).filter((f) => f.startsWith('CTImage.dcm'));
  const decodable = files
    .flatMap((f) => {
      const bytes = fs.readFileSync(path.join(dir, f));
      try {
        const p = parseInstance(bytes);
        decodePixels(p.dataset, p.transferSyntax);
        return [{ ts: p.transferSyntax, bytes }];
      } catch {
        return []; // a syntax ingest refuses (retired JPEG processes 6-8, 10-12)
      }
    })
    .filter((v, k, all) => all.findIndex((w) => w.ts === v.ts) === k);
  const ms = timeAll(
    decodable.map(({ bytes }) => () => {
      const p = parseInstance(bytes);
      decodePixels(p.dataset, p.transferSyntax);
    }),
  );
  const baseline = ms[decodable.findIndex((m) => m.ts === '1.2.840.10008.1.2.1')];
  console.log('\n## 512×512 CT image (corpus), parse + decode');
  decodable
    .map((d, k) => ({ ts: d.ts, ms: ms[k] }))
    .sort((a, b) => a.ms - b.ms)
    .forEach((m) => {
      row(transferSyntaxName(m.ts), m.ms, baseline);
    });
} else {
  console.log('# corpus not found: section 1 skipped (set CONCORD_CORPUS_DIR)');
}

const missing = missingTools();
if (missing.length) {
  console.log(`# ${missing.join(', ')} not installed: section 2 skipped`);
} else {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-bench-decode-'));
  const series = classicSeries(path.join(tmp, 'raw'), 4, { rows: 256, cols: 256 });
  const variants: [string, string][] = [
    ['Explicit VR Little Endian (uncompressed)', path.join(tmp, 'raw')],
    ['RLE (gdcmconv --rle)', convertAll(series, path.join(tmp, 'rle'), 'gdcmconv', ['--rle'])],
    ['JPEG lossless SV1 (dcmcjpeg +e1)', convertAll(series, path.join(tmp, 'sv1'), 'dcmcjpeg', ['+e1'])],
    ['JPEG extended 12-bit (dcmcjpeg +ee)', convertAll(series, path.join(tmp, 'ee'), 'dcmcjpeg', ['+ee'])],
    ['JPEG-LS lossless (dcmcjpls)', convertAll(series, path.join(tmp, 'jls'), 'dcmcjpls', [])],
    ['JPEG-LS near-lossless (dcmcjpls +en)', convertAll(series, path.join(tmp, 'jlsn'), 'dcmcjpls', ['+en'])],
    ['JPEG 2000 lossless (gdcmconv --j2k)', convertAll(series, path.join(tmp, 'j2k'), 'gdcmconv', ['--j2k'])],
    ['HTJ2K lossless (ojph_compress)', htj2kSeries(series, path.join(tmp, 'htj2k'), true)],
  ];
  const rules = resolveSeriesRules({});
  const inputs = variants.map(([, dir]) => series.map((f) => fs.readFileSync(path.join(dir, f.name))));
  const ms = timeAll(
    inputs.map((bytes) => () => {
      for (const b of bytes) prepareFile(b, 'bench', rules);
    }),
  );
  const results = variants.map(([label], k) => ({ label, ms: ms[k] / series.length }));
  console.log('\n## 256×256 12-bit axial T2 slice, whole per-file ingest step (parse, classify, decode, de-identify, store form)');
  for (const r of results) row(r.label, r.ms, results[0].ms);
  fs.rmSync(tmp, { recursive: true, force: true });
}
