/**
 * One active-learning round at study scale on CPU: 12,000 slices with 2048-d embeddings, 5,600
 * final labels, 50 of them new since the previous version. Prints, in one run:
 *  - the baseline: one plain forward pass of the head over all slices;
 *  - today's full procedure (head from scratch, MC dropout over every unlabelled slice);
 *  - the fast round (RS1 warm start from the previous version), stage by stage, and round/forward;
 *  - selection quality: overlap of the two procedures' batches and each head's AUC on the
 *    unlabelled slices (the features carry a weak signal, so AUC is measurable); and the top-B
 *    overlap a pre-filtered MC pass would have against the full one on the same head (RS2: it
 *    is used only if ≥ 0.9).
 * Usage: npx tsx bench/al-round/run.ts [--samples 20] [--backend wasm]
 */
import seedrandom from 'seedrandom';
import { selectBackend } from '@concord/trainer/backend';
import { buildHead, deserializeHead, HEAD_MIN_EPOCHS, mcPredict, serializeHead, trainHead } from '@concord/trainer/model/head';
import { WARM_EPOCHS, warmBatchSize } from '@concord/trainer/model/warm-start';
import { scoreSlices } from '@concord/trainer/al/uncertainty';
import { scoreCandidates } from '@concord/trainer/al/candidate-pool';
import { selectDiverse } from '@concord/trainer/al/select';
import { splitPatients } from '@concord/trainer/eval/splits';
import { rocAuc } from '@concord/stats';

const args = process.argv.slice(2);
const arg = (name: string, d: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : d;
};
const SLICES = 12_000,
  LABELS = 5_600,
  NEW_LABELS = 50,
  DIM = 2048,
  PER_PATIENT = 20,
  BATCH = 50;
const samples = Number(arg('samples', '20'));
const s = (ms: number) => (ms / 1000).toFixed(2);

function timed<T>(fn: () => T): [T, number] {
  const t = performance.now();
  const out = fn();
  return [out, performance.now() - t];
}
async function timedAsync<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const out = await fn();
  return [out, performance.now() - t];
}

async function main() {
  const backend = await selectBackend(arg('backend', 'auto') as 'auto');
  const rng = seedrandom('al-round');
  const truth: number[] = [];
  const x: Float32Array[] = [];
  for (let i = 0; i < SLICES; i++) {
    const y = rng() < 0.25 ? 1 : 0;
    const v = new Float32Array(DIM);
    for (let d = 0; d < DIM; d++) v[d] = Math.max(0, rng() + (d < 32 && y ? 0.15 : 0)); // ReLU-like features with a weak signal (AUC well below 1)
    truth.push(y);
    x.push(v);
  }
  const patientOf = (i: number) => `p${Math.floor(i / PER_PATIENT)}`;
  const split = (n: number) => {
    const idx = Array.from({ length: n }, (_, i) => i);
    // As a round splits (TR18): the epoch patients stop training, the calibration ones are held out.
    const { train, epoch } = splitPatients([...new Set(idx.map(patientOf))].map((p) => ({ id: p, pseudonym: p })));
    const t = new Set(train),
      v = new Set(epoch);
    const pick = (rows: number[]) => ({ x: rows.map((i) => x[i]), y: rows.map((i) => truth[i]) });
    return { train: pick(idx.filter((i) => t.has(patientOf(i)))), val: pick(idx.filter((i) => v.has(patientOf(i)))) };
  };
  const pool = Array.from({ length: SLICES - LABELS }, (_, j) => LABELS + j);
  const poolX = pool.map((i) => x[i]);
  const candidates = (scores: ArrayLike<number>) =>
    pool.map((i, j) => ({ sliceId: String(i), patientId: patientOf(i), seriesId: patientOf(i), position: i % PER_PATIENT, score: scores[j] }));
  const select = (scores: ArrayLike<number>) => selectDiverse(candidates(scores), { batchSize: BATCH, maxPerPatient: 3, minGap: 2 }).map((p) => p.sliceId);
  const overlap = (a: string[], b: string[]) => a.filter((id) => b.includes(id)).length / Math.max(1, a.length);
  const poolAuc = (p: Float32Array) =>
    rocAuc(
      Array.from(p),
      pool.map((i) => truth[i] as 0 | 1),
    ) ?? NaN;

  // Baseline: a plain forward pass over every slice.
  const fresh = buildHead(DIM);
  const [, forwardMs] = timed(() => mcPredict(fresh, x, 0));
  fresh.dispose();

  // The previous version: trained from scratch on the labels before the last NEW_LABELS.
  const before = split(LABELS - NEW_LABELS);
  const previous = buildHead(DIM);
  await trainHead(previous, before.train, before.val, { minEpochs: HEAD_MIN_EPOCHS, seed: 1 });
  const previousHead = serializeHead(previous);
  previous.dispose();

  const now = split(LABELS);
  // Today's full procedure: from scratch, MC dropout over every unlabelled slice.
  const full = buildHead(DIM);
  const [fullTrain, fullTrainMs] = await timedAsync(() => trainHead(full, now.train, now.val, { minEpochs: HEAD_MIN_EPOCHS, seed: 2 }));
  const [fullScores, fullScoreMs] = timed(() => scoreSlices(mcPredict(full, poolX, samples, 2), 'bald'));
  const [fullPicked, fullSelectMs] = timed(() => select(fullScores));
  const fullAuc = poolAuc(mcPredict(full, poolX, 0)[0]);
  full.dispose();

  // The fast round: warm start, deterministic pass over all slices (the stored predictions), MC over every candidate.
  const head = deserializeHead(previousHead);
  const [warm, warmMs] = await timedAsync(() => trainHead(head, now.train, now.val, { ...WARM_EPOCHS, batchSize: warmBatchSize(now.train.y.length), seed: 2 }));
  const [[all], predictMs] = timed(() => mcPredict(head, x, 0));
  const det = all.subarray(LABELS);
  const [fast, fastScoreMs] = timed(() => scoreCandidates(head, poolX, det, { strategy: 'bald', samples, mcSeed: 2, rngSeed: 'bench' }));
  const [fastPicked, fastSelectMs] = timed(() => select(fast.scores));
  const roundMs = warmMs + predictMs + fastScoreMs + fastSelectMs;
  // Measured, not used (RS2): MC only over the 1,000 highest deterministic entropies.
  const POOL = 1000;
  const [pooled, pooledMs] = timed(() => scoreCandidates(head, poolX, det, { strategy: 'bald', samples, mcSeed: 2, rngSeed: 'bench', poolSize: POOL }));
  const pooledOverlap = overlap(select(pooled.scores), fastPicked);
  const warmAuc = poolAuc(det);
  head.dispose();

  const fullRoundMs = fullTrainMs + forwardMs + fullScoreMs + fullSelectMs;
  console.log(
    `backend ${backend.name}; ${SLICES} slices × ${DIM} features; ${LABELS} labels (${now.train.y.length} train / ${now.val.y.length} val by patient), ${NEW_LABELS} new since the previous version; BALD, T=${samples}, batch ${BATCH}`,
  );
  console.log(`baseline: one plain forward pass of the head over all slices: ${s(forwardMs)} s`);
  console.log(
    `full procedure (before): head from scratch ${s(fullTrainMs)} s (${fullTrain.epochs} epochs, ${s(fullTrainMs / fullTrain.epochs)} s/epoch) + MC over ${pool.length} ${s(fullScoreMs)} s + selection ${s(fullSelectMs)} s + forward ${s(forwardMs)} s = ${s(fullRoundMs)} s; round/forward = ${(fullRoundMs / forwardMs).toFixed(1)}`,
  );
  console.log(
    `fast round: warm-start head ${s(warmMs)} s (${warm.epochs} epochs) + forward over all ${s(predictMs)} s + MC over ${fast.mcScored} ${s(fastScoreMs)} s + selection ${s(fastSelectMs)} s = ${s(roundMs)} s`,
  );
  console.log(
    `round/forward = ${(roundMs / forwardMs).toFixed(1)} (target ≤ 11; full procedure ${(fullRoundMs / forwardMs).toFixed(1)}); speed-up ${(fullRoundMs / roundMs).toFixed(1)}×`,
  );
  console.log(
    `pre-filter (not used): MC over the ${POOL} most uncertain by the deterministic pass ${s(pooledMs)} s; top-${BATCH} overlap with the full pass on the same head ${pooledOverlap.toFixed(2)} (needs ≥ 0.90 to be used)`,
  );
  console.log(`top-${BATCH} overlap, fast round vs full procedure (different heads): ${overlap(fastPicked, fullPicked).toFixed(2)}`);
  console.log(`AUC on the ${pool.length} unlabelled slices: fast round ${warmAuc.toFixed(3)}, full procedure ${fullAuc.toFixed(3)}`);
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
