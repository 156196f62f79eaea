export interface Candidate {
  sliceId: string;
  patientId: string;
  seriesId: string;
  position: number;
  score: number;
}

export interface SelectOptions {
  batchSize: number;
  /** projects.al_max_per_patient */
  maxPerPatient: number;
  /** projects.al_min_gap: two picks in one series must be more than this many positions apart. */
  minGap: number;
}

export interface Selected extends Candidate { rank: number }

/**
 * Greedy diverse batch (TR8): walk candidates from the highest score down and keep one unless
 * its patient already has `maxPerPatient` picks or a pick in the same series lies within
 * `minGap` positions. Adjacent slices look alike; labelling both teaches the model little.
 */
export function selectDiverse(candidates: Candidate[], opts: SelectOptions): Selected[] {
  const sorted = [...candidates].sort((a, b) => b.score - a.score || a.sliceId.localeCompare(b.sliceId));
  const perPatient = new Map<string, number>();
  const perSeries = new Map<string, number[]>();
  const out: Selected[] = [];
  for (const c of sorted) {
    if (out.length >= opts.batchSize) break;
    if ((perPatient.get(c.patientId) ?? 0) >= opts.maxPerPatient) continue;
    const taken = perSeries.get(c.seriesId) ?? [];
    if (taken.some((p) => Math.abs(p - c.position) <= opts.minGap)) continue;
    perPatient.set(c.patientId, (perPatient.get(c.patientId) ?? 0) + 1);
    taken.push(c.position);
    perSeries.set(c.seriesId, taken);
    out.push({ ...c, rank: out.length + 1 });
  }
  return out;
}
