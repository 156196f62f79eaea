'use client';
import { useEffect, useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { describeError, gql } from '../../lib/graphql';
import { SCREENING } from '../../lib/queries';
import { queryKeys } from '../../lib/query-keys';
import type { ModelVersion } from '../../lib/shapes';
import { Empty } from '../../components/Notice';
import { num, pct } from './format';

/**
 * Patient-level screening for a chosen round and k (abnormal when more than k slices are positive),
 * with Wilson intervals and the full k table. Starts on the current round and the project's k.
 */
export function ScreeningPanel({
  projectId,
  versions,
  defaultK,
  onError,
}: {
  projectId: string;
  versions: ModelVersion[];
  defaultK: number;
  onError: (e: { code: string; message: string }) => void;
}) {
  const [modelId, setModelId] = useState<string | null>(null);
  const [k, setK] = useState<number>(defaultK);
  const fallback = versions.find((m) => m.status === 'CURRENT')?.id ?? versions[0]?.id ?? null;
  useEffect(() => {
    setModelId((cur) => cur ?? fallback);
  }, [fallback]);
  // The table stays on the last answer while the next round or k loads, as it always has.
  const { data: screening = null, error } = useQuery({
    queryKey: queryKeys.screening(projectId, modelId ?? '', k),
    queryFn: async () => (await gql(SCREENING, { modelVersionId: modelId ?? '', k })).screening,
    enabled: !!modelId,
    placeholderData: keepPreviousData,
  });
  useEffect(() => {
    if (error) onError(describeError(error));
  }, [error, onError]);
  return (
    <section className="panel" aria-label="Screening">
      <h3>Patient-level screening</h3>
      {!modelId ? (
        <Empty>Screening figures appear once a model round has been evaluated.</Empty>
      ) : (
        <>
          <div className="row" style={{ justifyContent: 'flex-start' }}>
            <label>
              Model round{' '}
              <select value={modelId} onChange={(e) => setModelId(e.target.value)}>
                {versions.map((m) => (
                  <option key={m.id} value={m.id}>
                    round {m.round} ({m.status})
                  </option>
                ))}
              </select>
            </label>
            <label>
              Abnormal when more than k slices positive, k ={' '}
              <input type="number" min={0} max={10} value={k ?? 1} onChange={(e) => setK(Number(e.target.value))} style={{ width: 64 }} />
            </label>
          </div>
          <OperatingPointNote version={versions.find((m) => m.id === modelId)} />
          {screening && (
            <table data-testid="screening">
              <thead>
                <tr>
                  <th>k</th>
                  <th>Sensitivity (95% CI)</th>
                  <th>Specificity (95% CI)</th>
                  <th>TP</th>
                  <th>FN</th>
                  <th>TN</th>
                  <th>FP</th>
                </tr>
              </thead>
              <tbody>
                {screening.roc.map((r) => (
                  <tr
                    key={r.minPositiveSlices}
                    style={r.minPositiveSlices === screening.minPositiveSlices ? { background: '#20242d', fontWeight: 600 } : undefined}
                  >
                    <td>{r.minPositiveSlices}</td>
                    <td>
                      {pct(r.sensitivity)} ({pct(r.sensitivityLow)} – {pct(r.sensitivityHigh)})
                    </td>
                    <td>
                      {pct(r.specificity)} ({pct(r.specificityLow)} – {pct(r.specificityHigh)})
                    </td>
                    <td>{r.truePositives}</td>
                    <td>{r.falseNegatives}</td>
                    <td>{r.trueNegatives}</td>
                    <td>{r.falsePositives}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}

/** The screening table's operating point: the slice threshold and the rule it was chosen by (TR20). */
function OperatingPointNote({ version }: { version: ModelVersion | undefined }) {
  const op = version?.operatingPoint;
  if (!version || !op) return null;
  return (
    <p className="muted" data-testid="operating-point">
      Slices count as positive at probability ≥ {num(op.threshold, 3)}:{' '}
      {op.rule === 'patient-sensitivity' && `chosen on ${op.n} validation cases for patient sensitivity ≥ ${num(op.target)} (reached ${num(op.achieved)}).`}
      {op.rule === 'slice-sensitivity' &&
        `too few validation cases for the patient rule; chosen on ${op.n} positive validation slices for sensitivity ≥ ${num(op.target)} (reached ${num(op.achieved)}).`}
      {op.rule === 'default' && 'default 0.5: too little validation data to choose.'} Intervals below are Wilson (patients as independent); the evaluation table
      above gives the bootstrap figures.
    </p>
  );
}
