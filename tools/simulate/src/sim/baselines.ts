import type { Sql, FileStore } from '@concord/db';
import { rocAucWithCi } from '@concord/stats';
import { computeEmbeddings, loadEmbeddings } from '@concord/trainer/data/embeddings';
import { PIXELS_KIND } from '@concord/trainer/model/backbone';
import { fitLogistic, logisticScore } from './logistic.js';

export interface AucWithCi {
  auc: number | null;
  low: number | null;
  high: number | null;
}

/**
 * Two figures beside each simulated model (SIM5), so a learning curve can be read against what
 * needs no learning of compression at all:
 * - `withinDcm`: the model's own test AUC on slices of DCM patients only, where patient-level
 *   cohort cues cannot separate the classes;
 * - `pixelLr`: an L2 logistic regression on raw pooled pixels (the `pixels` stand-in's 512 values:
 *   the central half of the field, 16 × 16 mean and max), trained on every final label outside the
 *   test set (validation patients too, so it is if anything favoured), scored on the test set.
 */
export interface RoundBaselines {
  withinDcm: AucWithCi;
  pixelLr: AucWithCi;
}

const NONE: AucWithCi = { auc: null, low: null, high: null };

function aucWithCi(scores: number[], labels: (0 | 1)[]): AucWithCi {
  const r = rocAucWithCi(scores, labels);
  return r ? { auc: r.estimate, low: r.low, high: r.high } : NONE;
}

/** Raw pooled pixels of every slice of the project (cached like any embedding; shared with a `pixels` model). */
export async function pixelVectors(sql: Sql, store: FileStore, projectId: string): Promise<Map<string, Float32Array>> {
  const emb = await computeEmbeddings(sql, { projectId, store, backbone: { kind: PIXELS_KIND } });
  return loadEmbeddings(sql, projectId, emb.backboneId, emb.engine);
}

export async function roundBaselines(sql: Sql, projectId: string, modelVersionId: string, pixels: Map<string, Float32Array>): Promise<RoundBaselines> {
  const rows = await sql<{ id: string; isTest: boolean; cohort: string | null; label: 0 | 1; probability: number | null }[]>`
    select s.id, p.is_test, p.cohort, fl.value as label, pr.probability
      from slices s join series se on se.id = s.series_id join studies st on st.id = se.study_id
      join patients p on p.id = st.patient_id
      join final_labels fl on fl.slice_id = s.id
      left join predictions pr on pr.slice_id = s.id and pr.model_version_id = ${modelVersionId}
     where s.project_id = ${projectId}
     order by p.pseudonym, se.series_uid, s.position`;
  const dcm = rows.filter((r) => r.isTest && r.cohort === 'DCM' && r.probability !== null);
  const withinDcm = aucWithCi(
    dcm.map((r) => r.probability!),
    dcm.map((r) => r.label),
  );
  const train = rows.filter((r) => !r.isTest && pixels.has(r.id));
  const test = rows.filter((r) => r.isTest && pixels.has(r.id));
  let pixelLr = NONE;
  if (train.some((r) => r.label === 1) && train.some((r) => r.label === 0) && test.length) {
    const model = fitLogistic(
      train.map((r) => pixels.get(r.id)!),
      train.map((r) => r.label),
    );
    pixelLr = aucWithCi(
      test.map((r) => logisticScore(model, pixels.get(r.id)!)),
      test.map((r) => r.label),
    );
  }
  return { withinDcm, pixelLr };
}
