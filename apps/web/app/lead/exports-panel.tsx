'use client';

const EXPORTS: { kind: string; what: string }[] = [
  { kind: 'final-labels', what: 'Final label per slice (consensus or adjudicated)' },
  { kind: 'reads', what: 'Every independent read, readers as per-project pseudonyms' },
  { kind: 'adjudications', what: 'Adjudications with both reads, reason and note' },
  { kind: 'selection-log', what: 'How each active-learning slice was chosen (round, strategy, mode ACTIVE or AUDIT, score, rank) and its final label' },
  { kind: 'predictions', what: "Every model version's probability per slice, with the patient's split and the final label" },
  {
    kind: 'reader-performance',
    what: 'Per reader: gold accuracy, sensitivity, specificity and rolling accuracy with Wilson intervals, κ, seconds per read, calibration, flag and pause',
  },
  { kind: 'gold-reads', what: 'Reads of gold slices (kept apart from reads): value, expected, correct, seconds; readers as pseudonyms' },
];

/** Downloads for analysis outside Concord; the API allows them to leads and admins only and audits each. */
export function Exports({ projectId }: { projectId: string }) {
  return (
    <section className="panel" aria-label="Exports" data-testid="exports">
      <h2>Exports</h2>
      <table>
        <tbody>
          {EXPORTS.map((e) => (
            <tr key={e.kind}>
              <td>{e.what}</td>
              <td>
                <a href={`/export/${projectId}/${e.kind}.csv`} download>
                  CSV
                </a>
                {' · '}
                <a href={`/export/${projectId}/${e.kind}.json`} download>
                  JSON
                </a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">Studies and slices appear by their de-identified UIDs; each download is recorded in the audit log.</p>
    </section>
  );
}
