'use client';
import { useState } from 'react';
import { describeError, gql } from '../../lib/graphql';
import { COMPARE_VERSIONS } from '../../lib/queries';
import type { Estimate, EvaluationSet, ModelVersion, SelectionAgreement } from '../../lib/shapes';
import { num } from './format';

type Figure = 'auc' | 'balancedAccuracy' | 'sensitivity' | 'specificity' | 'patientSensitivity' | 'patientSpecificity';

export const FIGURES: { key: Figure; label: string }[] = [
  { key: 'auc', label: 'AUC' },
  { key: 'balancedAccuracy', label: 'Balanced acc.' },
  { key: 'sensitivity', label: 'Sens. (slice)' },
  { key: 'specificity', label: 'Spec. (slice)' },
  { key: 'patientSensitivity', label: 'Sens. (patient)' },
  { key: 'patientSpecificity', label: 'Spec. (patient)' },
];

/**
 * One figure as a methods section would print it: value, 95% interval, n, and the method on hover
 * and below. A withheld figure shows why ("insufficient: 2 controls"), never a bare number.
 */
export function EstimateCell({ estimate, figure, insufficient }: { estimate: Estimate | null; figure: Figure; insufficient: string[] }) {
  if (!estimate) {
    const why = insufficient.find((s) => s.startsWith(`${figure}:`))?.slice(figure.length + 2) ?? insufficient[0] ?? 'insufficient';
    return (
      <td className="muted" data-testid={`est-${figure}`} data-insufficient="true">
        {why}
      </td>
    );
  }
  return (
    <td data-testid={`est-${figure}`} title={estimate.method}>
      {num(estimate.value)}{' '}
      <span className="muted">
        ({num(estimate.low)}–{num(estimate.high)})
      </span>
      <div className="muted small">
        n = {estimate.patients} patients, {estimate.slices} slices
      </div>
    </td>
  );
}

/** Progress of the protected evaluation set, and the lead's freeze. [EV1] */
export function EvaluationSetCard({ set, onFreeze }: { set: EvaluationSet; onFreeze: () => void }) {
  const cohort = set.cases === null ? 'cohort unknown' : `${set.cases} cases, ${set.controls} controls`;
  return (
    <div className="card" data-testid="evaluation-set">
      <div className="muted">Evaluation set {set.frozenAt ? `frozen ${new Date(set.frozenAt).toLocaleString()}` : '(not frozen yet: proposed)'}</div>
      <div className="big" data-testid="evaluation-progress">
        {set.labelledSlices} of {set.slices} slices labelled
      </div>
      <progress max={Math.max(1, set.slices)} value={set.labelledSlices} />
      <div className="muted">
        {set.patients} patients ({cohort}){set.complete ? ' · complete' : ' · figures are provisional until complete'}
      </div>
      {!set.frozenAt && (
        <button type="button" onClick={onFreeze} data-testid="freeze-evaluation-set">
          Freeze evaluation set
        </button>
      )}
    </div>
  );
}

/** Each version on the same evaluation set, with the basis of its promotion. [EV3][EV5][EV6] */
export function ModelEvaluationTable({ versions, onMakeCurrent }: { versions: ModelVersion[]; onMakeCurrent: (m: ModelVersion) => void }) {
  return (
    <table data-testid="model-evaluation">
      <thead>
        <tr>
          <th>Round</th>
          <th>Status</th>
          <th>Labels</th>
          <th>Evaluation set</th>
          {FIGURES.map((f) => (
            <th key={f.key}>{f.label} (95% CI)</th>
          ))}
          <th>Operating point</th>
          <th>Calibration (ECE)</th>
          <th>Promotion</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {versions.map((m) => {
          const e = m.evaluation;
          const op = m.operatingPoint;
          return (
            <tr key={m.id} data-testid={`version-${m.round}`}>
              <td>{m.round}</td>
              <td>{m.status}</td>
              <td>{m.labelCount}</td>
              <td data-testid="eval-status">
                {e.slices === 0 ? 'no evaluation set yet' : e.complete ? 'complete' : `provisional: ${e.labelledSlices} of ${e.slices} slices labelled`}
              </td>
              {FIGURES.map((f) => (
                <EstimateCell key={f.key} estimate={e[f.key] ?? null} figure={f.key} insufficient={e.insufficient} />
              ))}
              <td title={op ? `chosen on ${op.n} validation ${op.rule === 'patient-sensitivity' ? 'cases' : 'positive slices'}` : ''}>
                {num(m.metrics.threshold)}
                {op ? ` · ${op.rule}${op.rule !== 'default' ? `, target ${num(op.target)}, reached ${num(op.achieved)}` : ''}` : ''}
              </td>
              <td>
                {m.calibration && m.calibration.method !== 'none'
                  ? `${num(m.calibration.eceBefore, 3)} → ${num(m.calibration.eceAfter, 3)} (T ${num(m.calibration.temperature)})`
                  : 'none'}
              </td>
              <td data-testid="promotion">
                {m.promotion
                  ? `${m.promotion.basis}${m.promotion.decidedBy ? ` by ${m.promotion.decidedBy}` : ''}${m.promotion.note ? `: ${m.promotion.note}` : ''}`
                  : '–'}
              </td>
              <td>
                {m.status !== 'CURRENT' && (
                  <button type="button" onClick={() => onMakeCurrent(m)} data-testid={`make-current-${m.round}`}>
                    {m.status === 'RETIRED' ? 'Roll back' : 'Promote'}
                  </button>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** The paired test comparison a lead promotes or rolls back on. [EV7] */
export function CompareVersions({ versions }: { versions: ModelVersion[] }) {
  const [a, setA] = useState(versions.at(-2)?.id ?? '');
  const [b, setB] = useState(versions.at(-1)?.id ?? '');
  const [result, setResult] = useState<Estimate | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (versions.length < 2) return null;
  async function compare() {
    setError(null);
    setResult(null);
    try {
      setResult((await gql(COMPARE_VERSIONS, { a, b })).compareVersions);
    } catch (e) {
      setError(describeError(e).message);
    }
  }
  const pick = (value: string, set: (v: string) => void) => (
    <select value={value} onChange={(e) => set(e.target.value)}>
      {versions.map((m) => (
        <option key={m.id} value={m.id}>
          round {m.round}
        </option>
      ))}
    </select>
  );
  return (
    <div className="row" style={{ justifyContent: 'flex-start' }} data-testid="compare-versions">
      <span>ΔAUC of</span>
      {pick(b, setB)}
      <span>minus</span>
      {pick(a, setA)}
      <button type="button" onClick={() => void compare()} data-testid="compare">
        Compare on the evaluation set
      </button>
      {result && (
        <span data-testid="compare-result" title={result.method}>
          {num(result.value, 3)} ({num(result.low, 3)}–{num(result.high, 3)}), n = {result.patients} patients, {result.slices} slices · {result.method}
        </span>
      )}
      {error && (
        <span className="muted" data-testid="compare-error">
          {error}
        </span>
      )}
    </div>
  );
}

/** κ per selection mode: uncertainty-picked slices are harder, so lower κ there is not reader drift. [AG20] */
export function SelectionAgreementTable({ rows }: { rows: SelectionAgreement[] }) {
  return (
    <table data-testid="agreement-by-selection">
      <thead>
        <tr>
          <th>Selection</th>
          <th>Pairs</th>
          <th>Agree</th>
          <th>κ (95% CI)</th>
          <th>Pos. / neg. agreement</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.mode} data-testid={`selection-${r.mode}`}>
            <td>{r.mode}</td>
            <td>{r.pairs}</td>
            <td>{r.percentAgreement === null ? '–' : `${(r.percentAgreement * 100).toFixed(1)}%`}</td>
            <td>
              {num(r.kappa)} ({num(r.kappaLow)} – {num(r.kappaHigh)})
            </td>
            <td>
              {num(r.positiveAgreement)} / {num(r.negativeAgreement)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
