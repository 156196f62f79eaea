import fs from 'node:fs';
import path from 'node:path';
import { SLICES_CSV_NAME } from '@concord/phantom';
import { pseudonymousUid } from '@concord/api/ingest/pseudonym';

/** What the simulation knows about a slice and the readers never see. */
export interface SliceTruth {
  label: 0 | 1;
  /** Phantom severity: 0 none, 1 CSF effacement only (label 0 but suspicious), 2 cord deformity. */
  severity: 0 | 1 | 2;
  /**
   * A compressed slice at the edge of a run of compressed slices in its series: the dent there
   * is the shallowest of the level (the bulge fades towards the disc's edge), so it is the
   * subtle kind of compression readers disagree on. The ground truth has no dent depth.
   */
  subtle: boolean;
}

/** Ground truth keyed by the original (phantom) SOP Instance UID. */
export function readSliceTruth(phantomDir: string): Map<string, SliceTruth> {
  const lines = fs
    .readFileSync(path.join(phantomDir, SLICES_CSV_NAME), 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim());
  const header = lines.shift()!.split(',');
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`${SLICES_CSV_NAME} has no ${name} column; regenerate the phantom`);
    return i;
  };
  const [iSeries, iSop, iInstance, iSeverity, iLabel] = ['series_uid', 'sop_uid', 'instance_number', 'severity', 'label'].map(col);
  const rows = lines
    .map((l) => l.split(','))
    .map((c) => ({
      series: c[iSeries],
      sop: c[iSop],
      instance: Number(c[iInstance]),
      severity: Number(c[iSeverity]) as 0 | 1 | 2,
      label: Number(c[iLabel]) as 0 | 1,
    }));
  const labelAt = new Map(rows.map((r) => [`${r.series}#${r.instance}`, r.label]));
  const out = new Map<string, SliceTruth>();
  for (const r of rows) {
    const neighbours = [labelAt.get(`${r.series}#${r.instance - 1}`), labelAt.get(`${r.series}#${r.instance + 1}`)];
    out.set(r.sop, { label: r.label, severity: r.severity, subtle: r.label === 1 && neighbours.some((n) => n !== 1) });
  }
  return out;
}

/** Re-keys the truth by the stored, de-identified SOP UID (what `slices.sop_uid` holds). */
export function truthByStoredUid(truth: Map<string, SliceTruth>, secret: string): Map<string, SliceTruth> {
  return new Map([...truth].map(([sop, t]) => [pseudonymousUid(secret, sop), t]));
}
