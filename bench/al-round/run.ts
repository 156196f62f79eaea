/**
 * One active-learning round at study scale on CPU: 12,000 slices with random 2048-d
 * embeddings, 5,600 final labels. Times head retraining and MC-dropout rescoring + diverse
 * selection beside a baseline plain forward pass of the head over all slices.
 * Usage: npx tsx bench/al-round/run.ts [--epochs 20] [--samples 20]
 */
import seedrandom from 'seedrandom';
import { selectBackend } from '../../services/trainer/src/backend.js';
import { buildHead, HEAD_MIN_EPOCHS, mcPredict, trainHead } from '../../services/trainer/src/model/head.js';
import { scoreSlices } from '../../services/trainer/src/al/uncertainty.js';
import { selectDiverse } from '../../services/trainer/src/al/select.js';

const args = process.argv.slice(2);
const arg = (name: string, d: string) => { const i = args.indexOf(`--${name}`); return i >= 0 ? args[i + 1] : d; };
const SLICES = 12_000, LABELS = 5_600, DIM = 2048, PER_PATIENT = 20;
const epochs = Number(arg('epochs', '40')); // the round's default
const samples = Number(arg('samples', '20'));

async function main() {
  const backend = await selectBackend(arg('backend', 'auto') as 'auto');
  const rng = seedrandom('al-round');
  const truth: number[] = [];
  const x: Float32Array[] = [];
  for (let i = 0; i < SLICES; i++) {
    const y = rng() < 0.25 ? 1 : 0;
    const v = new Float32Array(DIM);
    for (let d = 0; d < DIM; d++) v[d] = Math.max(0, rng() + (d < 32 && y ? 0.3 : 0)); // ReLU-like features with weak signal
    truth.push(y);
    x.push(v);
  }
  const patientOf = (i: number) => `p${Math.floor(i / PER_PATIENT)}`;
  const labelled = Array.from({ length: LABELS }, (_, i) => i);
  const valCut = Math.floor(LABELS * 0.8);
  const head = buildHead(DIM);

  let t = performance.now();
  const [plain] = mcPredict(head, x, 0);
  const forwardMs = performance.now() - t;

  t = performance.now();
  const r = await trainHead(
    head,
    { x: labelled.slice(0, valCut).map((i) => x[i]), y: labelled.slice(0, valCut).map((i) => truth[i]) },
    { x: labelled.slice(valCut).map((i) => x[i]), y: labelled.slice(valCut).map((i) => truth[i]) },
    { epochs, minEpochs: HEAD_MIN_EPOCHS },
  );
  const trainMs = performance.now() - t;

  t = performance.now();
  const pool = Array.from({ length: SLICES - LABELS }, (_, j) => LABELS + j);
  const mc = mcPredict(head, pool.map((i) => x[i]), samples, 1);
  const scores = scoreSlices(mc, 'bald');
  const picked = selectDiverse(pool.map((i, j) => ({ sliceId: String(i), patientId: patientOf(i), seriesId: patientOf(i), position: i % PER_PATIENT, score: scores[j] })), { batchSize: 50, maxPerPatient: 3, minGap: 2 });
  const rescoreMs = performance.now() - t;

  console.log(`backend ${backend.name}; ${SLICES} slices × ${DIM} features; ${LABELS} labels (${valCut} train / ${LABELS - valCut} val)`);
  console.log(`baseline: one plain forward pass of the head over all slices: ${(forwardMs / 1000).toFixed(2)} s (${plain.length} predictions)`);
  console.log(`head retrain: ${(trainMs / 1000).toFixed(1)} s for ${r.epochs} epochs (${(trainMs / r.epochs / 1000).toFixed(2)} s/epoch), best val loss ${r.bestValLoss?.toFixed(3)}`);
  console.log(`rescore: MC dropout T=${samples} over ${pool.length} unlabelled slices + BALD + diverse selection of ${picked.length}: ${(rescoreMs / 1000).toFixed(2)} s`);
  console.log(`round total (without DB writes): ${((trainMs + rescoreMs + forwardMs) / 1000).toFixed(1)} s`);
  process.exit(0);
}

main().catch((e) => { console.error(e); process.exit(1); });
