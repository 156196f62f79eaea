import seedrandom from 'seedrandom';

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

export interface Selected extends Candidate {
  rank: number;
}

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

export type SelectionMode = 'ACTIVE' | 'AUDIT';
export interface BatchPick extends Selected {
  mode: SelectionMode;
}

export interface BatchOptions extends SelectOptions {
  /** projects.al_audit_share: this share of the batch (rounded) is drawn uniformly instead. */
  auditShare: number;
  seed: string;
  /** Slices uncertainty may pick (validation patients are kept free of biased picks, TR18). */
  activeAllowed: (c: Candidate) => boolean;
}

/**
 * One active-learning batch (TR8, TR21): round(auditShare·batchSize) AUDIT picks drawn uniformly
 * (seeded) from all candidates, then ACTIVE picks by TR8 from the rest. AUDIT slices are the
 * unbiased sample validation is built from. Audit picks are placed at seeded positions among the
 * active ones, so the serving order says nothing about why a slice was chosen.
 */
export function selectBatch(candidates: Candidate[], opts: BatchOptions): BatchPick[] {
  const nAudit = Math.min(candidates.length, Math.round(opts.batchSize * Math.min(1, Math.max(0, opts.auditShare))));
  const random = seedrandom(`audit:${opts.seed}`);
  const pool = [...candidates].sort((a, b) => a.sliceId.localeCompare(b.sliceId));
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  const audit = pool.slice(0, nAudit);
  const audited = new Set(audit.map((c) => c.sliceId));
  const active = selectDiverse(
    candidates.filter((c) => !audited.has(c.sliceId) && opts.activeAllowed(c)),
    { ...opts, batchSize: opts.batchSize - nAudit },
  );
  const order: { c: Candidate; mode: SelectionMode }[] = active.map((c) => ({ c, mode: 'ACTIVE' as const }));
  for (const c of audit) order.splice(Math.floor(random() * (order.length + 1)), 0, { c, mode: 'AUDIT' });
  return order.map(({ c, mode }, i) => ({
    sliceId: c.sliceId,
    patientId: c.patientId,
    seriesId: c.seriesId,
    position: c.position,
    score: c.score,
    rank: i + 1,
    mode,
  }));
}
