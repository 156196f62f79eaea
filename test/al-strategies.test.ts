/**
 * Batch-aware active-learning strategies (services/trainer/SPEC.md TR7, TR24, TR25): the pure
 * selection functions, then a real round of each on a seeded project.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import seedrandom from 'seedrandom';
import { LEAD_STRATEGIES } from '@concord/contracts';
import { freshDatabase } from './helpers/db.js';
import { LocalFileStore } from '@concord/db';
import { updateProjectSettings } from '../apps/api/src/projects/project-settings.js';
import { createUser } from '../apps/api/src/users/users.queries.js';
import { runTrainingRound } from '../services/trainer/src/round.js';
import { ensureTestSet } from '../services/trainer/src/eval/splits.js';
import { finaliseLabels, seedProject } from '../services/trainer/src/testing/project-fixture.js';
import { badgeOrder, balancedScores, randomProjection, BALANCED_SHARE } from '../services/trainer/src/al/batch-strategies.js';
import { binaryEntropy, scoreSlices } from '../services/trainer/src/al/uncertainty.js';
import { selectDiverse, type Candidate } from '../services/trainer/src/al/select.js';

/** Three tight clusters of 2048-d points, 40 each; cluster c sits around a random direction. */
function clusters(seed: string): { vectors: Float32Array[]; cluster: number[] } {
  const rng = seedrandom(seed);
  const centres = [0, 1, 2].map(() => Float32Array.from({ length: 2048 }, () => rng() * 2 - 1));
  const vectors: Float32Array[] = [];
  const cluster: number[] = [];
  for (let c = 0; c < 3; c++) {
    for (let i = 0; i < 40; i++) {
      vectors.push(Float32Array.from(centres[c], (x) => x + (rng() - 0.5) * 0.05));
      cluster.push(c);
    }
  }
  return { vectors, cluster };
}

test('[TR24] BADGE picks uncertain slices that differ: three picks from three clusters, the largest gradient first, same seed same picks', () => {
  const { vectors, cluster } = clusters('badge');
  // Cluster 0 is the most uncertain everywhere; entropy alone would spend a whole batch there.
  const p = cluster.map((c, i) => (c === 0 ? 0.5 : c === 1 ? 0.3 : 0.2) + (i % 7) * 0.001);
  const byEntropy = p.map((_, i) => i).sort((a, b) => binaryEntropy(p[b]) - binaryEntropy(p[a]));
  assert.deepEqual(new Set(byEntropy.slice(0, 3).map((i) => cluster[i])), new Set([0]), 'entropy: all three from one cluster');
  const projected = randomProjection(vectors, 64, 's');
  const order = badgeOrder(projected, p, 3, 's');
  assert.equal(order.length, 3);
  assert.deepEqual(new Set(order.map((i) => cluster[i])), new Set([0, 1, 2]), 'BADGE: one from each cluster');
  assert.equal(cluster[order[0]], 0, 'the first pick has the largest gradient: the most uncertain cluster');
  assert.deepEqual(badgeOrder(projected, p, 3, 's'), order, 'seeded');
});

test('[TR24] confident candidates have almost no gradient: they collapse to one point, and BADGE takes at most one of them early', () => {
  const { vectors } = clusters('confident');
  const p = vectors.map((_, i) => (i < 60 ? 0.999 : 0.45));
  const order = badgeOrder(randomProjection(vectors, 64, 'c'), p, 30, 'c');
  const confident = order.filter((i) => i < 60).length;
  assert.ok(confident <= 1, `${confident} of the first 30 picks are confident`);
  assert.ok(order[0] >= 60, 'the first pick is uncertain');
});

test('[TR24] the random projection keeps pairwise distances within a small factor', () => {
  const { vectors } = clusters('jl');
  const projected = randomProjection(vectors, 64, 'jl');
  const d = (a: Float32Array, b: Float32Array) => Math.sqrt(a.reduce((s, x, j) => s + (x - b[j]) ** 2, 0));
  const ratios = [
    [0, 50],
    [0, 100],
    [50, 100],
    [1, 2],
  ].map(([i, j]) => d(projected[i], projected[j]) / d(vectors[i], vectors[j]));
  for (const r of ratios) assert.ok(r > 0.6 && r < 1.4, `distance ratio ${r.toFixed(2)}`);
});

test('[TR25] balanced: the quota goes to the likeliest positives first, the rest by uncertainty, under TR8 caps', () => {
  const rng = seedrandom('balanced');
  const n = 200;
  const p = Array.from({ length: n }, () => rng() * 0.6);
  const uncertainty = Float64Array.from(p, binaryEntropy);
  const batch = 10;
  const quota = Math.ceil(BALANCED_SHARE * batch);
  const scores = balancedScores(p, uncertainty, quota);
  const candidates: Candidate[] = p.map((_, i) => ({
    sliceId: `s${String(i).padStart(3, '0')}`,
    patientId: `p${i % 50}`,
    seriesId: `se${i % 50}`,
    position: Math.floor(i / 50) * 5,
    score: scores[i],
  }));
  const picks = selectDiverse(candidates, { batchSize: batch, maxPerPatient: 2, minGap: 1 });
  const idx = picks.map((c) => Number(c.sliceId.slice(1)));
  const likeliest = p
    .map((_, i) => i)
    .sort((a, b) => p[b] - p[a])
    .slice(0, quota);
  assert.deepEqual(idx.slice(0, quota).sort(), [...likeliest].sort(), 'the first picks are the quota');
  const rest = idx.slice(quota);
  const restMin = Math.min(...rest.map((i) => uncertainty[i]));
  const skipped = p.map((_, i) => i).filter((i) => !idx.includes(i) && !likeliest.includes(i));
  assert.ok(
    skipped.every((i) => uncertainty[i] <= restMin + 1e-12),
    'the rest are the most uncertain of the others',
  );
});

test('[TR7] margin ranks slices exactly as entropy does for one sigmoid, so the lead is not offered it', () => {
  const rng = seedrandom('margin');
  const samples = [Float32Array.from({ length: 500 }, () => rng())];
  const order = (s: Float64Array) => Array.from(s.keys()).sort((a, b) => s[b] - s[a] || a - b);
  assert.deepEqual(order(scoreSlices(samples, 'margin')), order(scoreSlices(samples, 'entropy')));
  assert.ok(!(LEAD_STRATEGIES as readonly string[]).includes('margin'));
  assert.ok(LEAD_STRATEGIES.includes('badge') && LEAD_STRATEGIES.includes('balanced'));
});

test('[TR24][TR25] a real round under badge and under balanced selects a full batch within TR8 caps, and the API accepts both', async () => {
  const { sql } = await freshDatabase('al_strategies');
  const store = new LocalFileStore(fs.mkdtempSync(path.join(os.tmpdir(), 'concord-al-strategies-')));
  const lead = await createUser(sql, { username: 'lead', password: 'password123', roles: ['ADMIN'], projectIds: [] });
  for (const strategy of ['badge', 'balanced'] as const) {
    const { projectId, slices } = await seedProject(sql, store, { patients: 10, slicesPerPatient: 9 });
    await updateProjectSettings(sql, projectId, { alStrategy: strategy }, lead.id);
    await sql`update projects set al_batch_size = 6, al_max_per_patient = 2, al_min_gap = 1, al_audit_share = 0 where id = ${projectId}`;
    const testIds = new Set(await ensureTestSet(sql, projectId));
    await finaliseLabels(
      sql,
      projectId,
      slices.filter((s) => testIds.has(s.patientId) || s.position % 3 !== 2).map((s) => ({ sliceId: s.id, value: s.truth })),
    );
    const r = await runTrainingRound(sql, { projectId, store, backbone: { kind: 'tiny' }, backend: 'wasm', epochs: 15, patience: 3, mcSamples: 8 });
    const [mv] = await sql<{ strategy: string }[]>`select strategy from model_versions where id = ${r.id}`;
    assert.equal(mv.strategy, strategy);
    const picks = await sql<{ sliceId: string; score: number; patientId: string; probability: number }[]>`
      select l.slice_id, l.score, st.patient_id, pr.probability
        from selection_log l join slices s on s.id = l.slice_id join series se on se.id = s.series_id join studies st on st.id = se.study_id
        join predictions pr on pr.slice_id = l.slice_id and pr.model_version_id = l.model_version_id
       where l.model_version_id = ${r.id} and l.mode = 'ACTIVE'`;
    assert.ok(picks.length > 0 && picks.length <= 6, `${strategy}: ${picks.length} picks`);
    const perPatient = new Map<string, number>();
    for (const p of picks) perPatient.set(p.patientId, (perPatient.get(p.patientId) ?? 0) + 1);
    assert.ok(Math.max(...perPatient.values()) <= 2, `${strategy}: at most 2 per patient`);
    // Batch-aware picks carry scores above any entropy (ln 2 < 1).
    const ordered = picks.filter((p) => p.score >= 2);
    if (strategy === 'badge') assert.ok(ordered.length >= picks.length - 1, 'badge: the picks come from its k-means++ order');
    else {
      assert.ok(ordered.length >= 1 && ordered.length <= Math.ceil(BALANCED_SHARE * 6), `balanced: ${ordered.length} quota picks`);
      // The likeliest candidate an ACTIVE pick may take (not a validation patient's, TR21) is in the quota.
      const [{ best }] = await sql<{ best: number }[]>`
        select max(pr.probability)::float8 as best
          from predictions pr join uncertainty_scores u on u.slice_id = pr.slice_id and u.model_version_id = pr.model_version_id
          join slices s on s.id = pr.slice_id join series se on se.id = s.series_id join studies st on st.id = se.study_id
         where pr.model_version_id = ${r.id} and not (st.patient_id::text = any(${(await sql<{ val: string[] }[]>`select split->'val' as val from model_versions where id = ${r.id}`)[0].val}))`;
      assert.ok(Math.max(...ordered.map((p) => p.probability)) >= best - 1e-6, 'balanced: the likeliest eligible candidate is in the quota');
    }
  }
});
