'use client';
import { useCallback, useEffect, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useRequireSession } from '../../lib/session';
import { mayOpen } from '../../lib/roles';
import { describeError, gql } from '../../lib/graphql';
import { DASHBOARD, FREEZE_EVALUATION_SET, PROMOTE_MODEL, SCREENING, TRIGGER_TRAINING } from '../../lib/queries';
import type { Dashboard, ModelVersion, Progress, Screening } from '../../lib/shapes';
import { CompareVersions, EvaluationSetCard, ModelEvaluationTable, SelectionAgreementTable } from './evaluation-panel';
import { ReaderQcPanel } from './reader-qc-panel';
import { StoppingPanel } from './stopping-panel';
import { useProjectEvents, type ServerEvent } from '../../lib/realtime';
import { Empty, ErrorNotice, Forbidden } from '../../components/Notice';


const pct = (x: number | null | undefined) => (x === null || x === undefined || Number.isNaN(x) ? '–' : `${(x * 100).toFixed(1)}%`);
const num = (x: number | null | undefined, d = 2) => (x === null || x === undefined || Number.isNaN(x) ? '–' : x.toFixed(d));

export default function LeadPage() {
  const { me, projectId } = useRequireSession();
  const allowed = !!me && mayOpen(me.roles, '/lead');
  const [data, setData] = useState<Dashboard | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [backlog, setBacklog] = useState<number | null>(null);
  const [training, setTraining] = useState<string | null>(null);
  const [modelId, setModelId] = useState<string | null>(null);
  const [k, setK] = useState<number | null>(null);
  const [screening, setScreening] = useState<Screening | null>(null);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);
  const [readerQcKey, setReaderQcKey] = useState(0);
  const [flagNotice, setFlagNotice] = useState<string | null>(null);

  const load = useCallback(async () => {
    if (!projectId) return;
    try {
      const d = await gql(DASHBOARD, { projectId });
      setData(d);
      setProgress(d.project.progress);
      setBacklog(d.project.progress?.openAdjudications ?? null);
      setModelId((cur) => cur ?? d.modelVersions.find((m) => m.status === 'CURRENT')?.id ?? d.modelVersions[0]?.id ?? null);
      setK((cur) => cur ?? d.project.screeningK);
    } catch (e) {
      setError(describeError(e));
    }
  }, [projectId]);

  useEffect(() => {
    if (allowed) void load();
  }, [allowed, load]);

  useEffect(() => {
    if (!modelId || k === null) return;
    gql(SCREENING, { modelVersionId: modelId, k })
      .then((d) => setScreening(d.screening))
      .catch((e) => setError(describeError(e)));
  }, [modelId, k]);

  const [online, setOnline] = useState<Extract<ServerEvent, { type: 'presence' }>['online'] | null>(null);
  const live = useProjectEvents(allowed ? projectId : null, (e: ServerEvent) => {
    switch (e.type) {
      case 'presence':
        setOnline(e.online);
        break;
      case 'progress':
        setProgress({ slices: e.slices, readsDone: e.readsDone, readsRequired: e.readsRequired, finalLabels: e.finalLabels, openAdjudications: e.openAdjudications, positiveFinal: e.positiveFinal });
        // Agreement figures move with every pair of reads; refetch them with the counts.
        void load();
        break;
      case 'adjudication:queue':
        setBacklog(e.size);
        void load();
        break;
      case 'training:progress':
        setTraining(`${e.stage} ${e.done}/${e.total}${e.epoch !== undefined ? ` · epoch ${e.epoch}` : ''}${e.loss !== undefined ? ` · loss ${e.loss.toFixed(3)}` : ''}`);
        break;
      case 'training:round':
        // No AUC here: the event's figure is on the test slices labelled so far, without an interval;
        // the evaluation table (refetched now) shows the reportable one.
        setTraining(`Round ${e.round} finished (${e.status})`);
        void load();
        break;
      case 'reader:flagged':
        setFlagNotice(`${e.reader} flagged: rolling gold accuracy ${e.accuracy.toFixed(2)} (95% CI ${e.low.toFixed(2)}–${e.high.toFixed(2)}, n ${e.n})${e.paused ? '; paused until resumed' : ''}`);
        setReaderQcKey((k) => k + 1);
        break;
      default:
        break;
    }
  });

  async function trainNow() {
    if (!projectId) return;
    setError(null);
    try {
      const d = await gql(TRIGGER_TRAINING, { projectId });
      setTraining(`Training job ${d.triggerTraining.state}`);
    } catch (e) {
      setError(describeError(e));
    }
  }

  // A lead's override of the promotion gate, or a rollback: audited on the server, and undone the
  // same way. The table refetches, so every lead's dashboard shows the new current version.
  async function makeCurrent(m: { id: string; round: number; status: string }) {
    const verb = m.status === 'RETIRED' ? 'Roll back to' : 'Promote';
    // Recorded with the decision (basis MANUAL): what the lead based it on, e.g. the paired comparison.
    const note = window.prompt(`${verb} round ${m.round}? Labelers' queues will follow its uncertainty ranking from now on.\nBasis of this decision (recorded):`, '');
    if (note === null) return;
    setError(null);
    try {
      await gql(PROMOTE_MODEL, { modelVersionId: m.id, note: note || null });
      await load();
    } catch (e) {
      setError(describeError(e));
    }
  }

  async function freezeSet() {
    if (!projectId) return;
    if (!window.confirm('Freeze the evaluation set now? Its patients never change afterwards and never train a model.')) return;
    setError(null);
    try {
      await gql(FREEZE_EVALUATION_SET, { projectId });
      await load();
    } catch (e) {
      setError(describeError(e));
    }
  }

  if (!me) return <Empty>Loading…</Empty>;
  if (!allowed) return <Forbidden page="the lead dashboard" />;
  if (!projectId) return <Empty>No project yet. An admin can create one.</Empty>;
  if (!data) return <div className="page"><ErrorNotice error={error} />{!error && <Empty>Loading dashboard…</Empty>}</div>;

  const a = data.agreement;
  const p = progress;
  const readsPerReader = a.readers.map((r) => ({ reader: r.reader, reads: r.reads }));
  const accuracy = a.readers.map((r) => ({ reader: r.reader, sensitivity: r.sensitivity, specificity: r.specificity }));
  // The curve compares versions on the same evaluation set (EV3), with its interval; no accuracy headline.
  const curve = data.modelVersions.map((m) => ({
    labels: m.labelCount, round: m.round, auc: m.evaluation.auc?.value ?? null, low: m.evaluation.auc?.low ?? null, high: m.evaluation.auc?.high ?? null,
  }));

  return (
    <div className="page">
      <div className="row">
        <h1>{data.project.name}</h1>
        <span className="muted" data-testid="presence" title={online?.map((o) => `${o.role.toLowerCase()}: ${o.usernames.join(', ') || '—'}`).join('\n')}>
          {online ? `Online: ${online.filter((o) => o.count > 0).map((o) => `${o.count} ${o.role.toLowerCase()}${o.count === 1 ? '' : 's'}`).join(' · ') || 'only you'}` : ''}
        </span>
        <span className={`live ${live}`}>{live}</span>
      </div>
      <ErrorNotice error={error} onDismiss={() => setError(null)} />
      <section className="cards" aria-label="Progress" data-testid="progress-cards">
        <div className="card"><div className="muted">Slices</div><div className="big" data-testid="p-slices">{p?.slices ?? '–'}</div></div>
        <div className="card"><div className="muted">Reads done / required</div><div className="big" data-testid="p-reads">{p ? `${p.readsDone} / ${p.readsRequired}` : '–'}</div></div>
        <div className="card"><div className="muted">Final labels</div><div className="big" data-testid="p-final">{p?.finalLabels ?? '–'}</div></div>
        <div className="card"><div className="muted">Positive final</div><div className="big">{p?.positiveFinal ?? '–'}</div></div>
        <div className="card"><div className="muted">Adjudication backlog</div><div className="big" data-testid="p-backlog">{backlog ?? p?.openAdjudications ?? '–'}</div></div>
        <div className="card"><div className="muted">Agreement (κ)</div><div className="big" data-testid="p-kappa">{a.pairs ? num(a.kappa) : '–'}</div><div className="muted">{a.pairs} pairs</div></div>
      </section>

      <div className="grid-2">
        <section className="panel" aria-label="Progress chart">
          <h3>Progress</h3>
          {p ? (
            <div className="chart">
              <ResponsiveContainer width="100%" height="100%">
                <BarChart layout="vertical" data={[{ name: 'Reads', done: p.readsDone, left: Math.max(0, p.readsRequired - p.readsDone) }, { name: 'Final', done: p.finalLabels, left: Math.max(0, p.slices - p.finalLabels) }]}>
                  <CartesianGrid strokeDasharray="3 3" stroke="#2c313c" />
                  <XAxis type="number" stroke="#9aa3b2" />
                  <YAxis type="category" dataKey="name" stroke="#9aa3b2" width={60} />
                  <Tooltip contentStyle={{ background: '#181b22', border: '1px solid #2c313c' }} />
                  <Legend />
                  <Bar dataKey="done" stackId="a" fill="#4cc38a" name="done" isAnimationActive={false} />
                  <Bar dataKey="left" stackId="a" fill="#2c313c" name="remaining" isAnimationActive={false} />
                </BarChart>
              </ResponsiveContainer>
            </div>
          ) : (
            <Empty>No progress figures for your role.</Empty>
          )}
        </section>
        <section className="panel" aria-label="Reads per labeler">
          <h3>Reads per labeler</h3>
          {readsPerReader.length ? (
            <div className="chart">
              <ResponsiveContainer width="100%" height="100%">
                <BarChart data={readsPerReader}>
                  <CartesianGrid strokeDasharray="3 3" stroke="#2c313c" />
                  <XAxis dataKey="reader" stroke="#9aa3b2" />
                  <YAxis stroke="#9aa3b2" allowDecimals={false} />
                  <Tooltip contentStyle={{ background: '#181b22', border: '1px solid #2c313c' }} />
                  <Bar dataKey="reads" fill="#4ea1ff" isAnimationActive={false} />
                </BarChart>
              </ResponsiveContainer>
            </div>
          ) : (
            <Empty>No reads yet.</Empty>
          )}
        </section>
      </div>

      {flagNotice && <div className="notice warn" role="status" data-testid="reader-flag-notice">{flagNotice}</div>}
      <ReaderQcPanel projectId={projectId} reloadKey={readerQcKey + (p?.readsDone ?? 0)} />

      <section className="panel" aria-label="Agreement" data-testid="agreement">
        <h3>Inter-reader agreement</h3>
        {a.pairs === 0 ? (
          <Empty>No slice has two reads yet.</Empty>
        ) : (
          <div className="grid-2">
            <table>
              <tbody>
                <tr><th>Pairs</th><td data-testid="a-pairs">{a.pairs}</td></tr>
                <tr><th>Percent agreement</th><td data-testid="a-percent">{pct(a.percentAgreement)}</td></tr>
                <tr><th>Positive / negative agreement</th><td>{pct(a.positiveAgreement)} / {pct(a.negativeAgreement)}</td></tr>
                <tr><th>Cohen&apos;s κ (95% CI)</th><td>{num(a.kappa)} ({num(a.kappaLow)} – {num(a.kappaHigh)})</td></tr>
                <tr><th>PABAK</th><td>{num(a.pabak)}</td></tr>
                <tr><th>Gwet&apos;s AC1</th><td>{num(a.gwetAc1)}</td></tr>
                <tr><th>2×2 (A rows, B columns)</th><td>[[{a.table[0]?.join(', ')}], [{a.table[1]?.join(', ')}]]</td></tr>
              </tbody>
            </table>
            <div>
              <h4>Per reader pair</h4>
              <table>
                <thead><tr><th>Readers</th><th>Pairs</th><th>Agree</th><th>κ (95% CI)</th></tr></thead>
                <tbody>
                  {a.readerPairs.map((r) => (
                    <tr key={`${r.readerA}-${r.readerB}`}><td>{r.readerA} × {r.readerB}</td><td>{r.pairs}</td><td>{pct(r.percentAgreement)}</td><td>{num(r.kappa)} ({num(r.kappaLow)} – {num(r.kappaHigh)})</td></tr>
                  ))}
                </tbody>
              </table>
              <h4>Per reader against final labels</h4>
              <table>
                <thead><tr><th>Reader</th><th>Reads</th><th>Sens.</th><th>Spec.</th><th>Pos. rate</th><th>McNemar p</th></tr></thead>
                <tbody>
                  {a.readers.map((r) => (
                    <tr key={r.reader}><td>{r.reader}</td><td>{r.reads}</td><td>{pct(r.sensitivity)}</td><td>{pct(r.specificity)}</td><td>{pct(r.positiveRate)}</td><td>{num(r.mcnemarP, 3)}</td></tr>
                  ))}
                </tbody>
              </table>
              <h4>Per selection mode</h4>
              <SelectionAgreementTable rows={a.bySelection} />
              {a.intraReader.length > 0 && (
                <>
                  <h4>Intra-reader (repeats)</h4>
                  <table>
                    <thead><tr><th>Reader</th><th>Pairs</th><th>Agree</th><th>κ</th></tr></thead>
                    <tbody>{a.intraReader.map((r) => <tr key={r.reader}><td>{r.reader}</td><td>{r.pairs}</td><td>{pct(r.percentAgreement)}</td><td>{num(r.kappa)}</td></tr>)}</tbody>
                  </table>
                </>
              )}
            </div>
          </div>
        )}
        {accuracy.some((r) => r.sensitivity !== null) && (
          <div className="chart">
            <ResponsiveContainer width="100%" height="100%">
              <BarChart data={accuracy}>
                <CartesianGrid strokeDasharray="3 3" stroke="#2c313c" />
                <XAxis dataKey="reader" stroke="#9aa3b2" />
                <YAxis domain={[0, 1]} stroke="#9aa3b2" />
                <Tooltip contentStyle={{ background: '#181b22', border: '1px solid #2c313c' }} />
                <Legend />
                <Bar dataKey="sensitivity" fill="#ff7a59" isAnimationActive={false} />
                <Bar dataKey="specificity" fill="#4cc38a" isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </div>
        )}
      </section>

      <section className="panel" aria-label="Model">
        <div className="row">
          <h3>Model rounds</h3>
          <div className="row">
            {training && <span className="muted" data-testid="training-status">{training}</span>}
            <button type="button" className="primary" onClick={() => void trainNow()} data-testid="train-now">
              Train now
            </button>
          </div>
        </div>
        <ModelProvenance versions={data.modelVersions} />
        <EvaluationSetCard set={data.evaluationSet} onFreeze={() => void freezeSet()} />
        {data.modelVersions.length === 0 ? (
          <Empty>No model yet. Training starts after every {data.project.retrainEvery} final labels, or press “Train now”.</Empty>
        ) : (
          <>
            <div className="chart">
              <ResponsiveContainer width="100%" height="100%">
                <LineChart data={curve}>
                  <CartesianGrid strokeDasharray="3 3" stroke="#2c313c" />
                  <XAxis dataKey="labels" stroke="#9aa3b2" label={{ value: 'labels', position: 'insideBottomRight', fill: '#9aa3b2' }} />
                  <YAxis domain={[0, 1]} stroke="#9aa3b2" />
                  <Tooltip contentStyle={{ background: '#181b22', border: '1px solid #2c313c' }} />
                  <Legend />
                  <Line dataKey="auc" name="AUC (evaluation set)" stroke="#4ea1ff" isAnimationActive={false} connectNulls />
                  <Line dataKey="low" name="95% CI low" stroke="#4ea1ff" strokeDasharray="4 4" dot={false} isAnimationActive={false} connectNulls />
                  <Line dataKey="high" name="95% CI high" stroke="#4ea1ff" strokeDasharray="4 4" dot={false} isAnimationActive={false} connectNulls />
                </LineChart>
              </ResponsiveContainer>
            </div>
            <ModelEvaluationTable versions={data.modelVersions} onMakeCurrent={(m) => void makeCurrent(m)} />
            <CompareVersions versions={data.modelVersions} />
            <StoppingPanel projectId={projectId} reloadKey={data.modelVersions.map((v) => v.id).join()} />
            <p className="muted">
              Figures are on the whole evaluation set, intervals from a patient-clustered bootstrap; a figure resting on fewer than 10 patients of a class is withheld.
              The automatic gate decides on validation patients only; the evaluation set never selects a model.
            </p>
          </>
        )}
      </section>

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
                  {data.modelVersions.map((m) => <option key={m.id} value={m.id}>round {m.round} ({m.status})</option>)}
                </select>
              </label>
              <label>
                Abnormal when more than k slices positive, k ={' '}
                <input type="number" min={0} max={10} value={k ?? 1} onChange={(e) => setK(Number(e.target.value))} style={{ width: 64 }} />
              </label>
            </div>
            <OperatingPointNote version={data.modelVersions.find((m) => m.id === modelId)} />
            {screening && (
              <table data-testid="screening">
                <thead><tr><th>k</th><th>Sensitivity (95% CI)</th><th>Specificity (95% CI)</th><th>TP</th><th>FN</th><th>TN</th><th>FP</th></tr></thead>
                <tbody>
                  {screening.roc.map((r) => (
                    <tr key={r.minPositiveSlices} style={r.minPositiveSlices === screening.minPositiveSlices ? { background: '#20242d', fontWeight: 600 } : undefined}>
                      <td>{r.minPositiveSlices}</td>
                      <td>{pct(r.sensitivity)} ({pct(r.sensitivityLow)} – {pct(r.sensitivityHigh)})</td>
                      <td>{pct(r.specificity)} ({pct(r.specificityLow)} – {pct(r.specificityHigh)})</td>
                      <td>{r.truePositives}</td><td>{r.falseNegatives}</td><td>{r.trueNegatives}</td><td>{r.falsePositives}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </>
        )}
      </section>
      {projectId && <Exports projectId={projectId} />}
    </div>
  );
}

const EXPORTS: { kind: string; what: string }[] = [
  { kind: 'final-labels', what: 'Final label per slice (consensus or adjudicated)' },
  { kind: 'reads', what: 'Every independent read, readers as per-project pseudonyms' },
  { kind: 'adjudications', what: 'Adjudications with both reads, reason and note' },
  { kind: 'selection-log', what: 'How each active-learning slice was chosen (round, strategy, mode ACTIVE or AUDIT, score, rank) and its final label' },
  { kind: 'predictions', what: "Every model version's probability per slice, with the patient's split and the final label" },
  { kind: 'reader-performance', what: 'Per reader: gold accuracy, sensitivity, specificity and rolling accuracy with Wilson intervals, κ, seconds per read, calibration, flag and pause' },
  { kind: 'gold-reads', what: 'Reads of gold slices (kept apart from reads): value, expected, correct, seconds; readers as pseudonyms' },
];

/** Downloads for analysis outside Concord; the API allows them to leads and admins only and audits each. */
function Exports({ projectId }: { projectId: string }) {
  return (
    <section className="panel" aria-label="Exports" data-testid="exports">
      <h2>Exports</h2>
      <table>
        <tbody>
          {EXPORTS.map((e) => (
            <tr key={e.kind}>
              <td>{e.what}</td>
              <td>
                <a href={`/export/${projectId}/${e.kind}.csv`} download>CSV</a>{' · '}
                <a href={`/export/${projectId}/${e.kind}.json`} download>JSON</a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">Studies and slices appear by their de-identified UIDs; each download is recorded in the audit log.</p>
    </section>
  );
}

/**
 * What the models stand on. A backbone without pretrained weights gives features without signal,
 * so the lead must not read its AUC as the study's model: said loudly, as the trainer's log does.
 */
function ModelProvenance({ versions }: { versions: { round: number; status: string; backbone: string; backend: string }[] }) {
  const current = versions.find((v) => v.status === 'CURRENT') ?? versions.at(-1);
  if (!current) return null;
  // A fine-tuned version is named base+ft-rN: the base decides whether the weights were random.
  const base = current.backbone.split('+')[0];
  const random = base.endsWith('-random');
  const standIn = base.startsWith('pixels');
  return (
    <>
      <p className="muted" data-testid="model-provenance">
        Round {current.round} ({current.status.toLowerCase()}): backbone <code>{current.backbone}</code> on the <code>{current.backend}</code> backend
      </p>
      {random && (
        <div className="notice error" role="alert" data-testid="random-weights-warning">
          No pretrained weights are configured: this model&apos;s backbone has RANDOM weights, so its figures are not those of the study&apos;s ResNet50.
          Set CONCORD_BACKBONE_WEIGHTS to a converted ImageNet ResNet50 (see services/trainer/CONTEXT.md) and retrain.
        </div>
      )}
      {standIn && (
        <div className="notice" role="status" data-testid="standin-backbone-note">
          This model uses the <code>pixels</code> stand-in features (simulation only), not a ResNet50.
        </div>
      )}
    </>
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
      {op.rule === 'slice-sensitivity' && `too few validation cases for the patient rule; chosen on ${op.n} positive validation slices for sensitivity ≥ ${num(op.target)} (reached ${num(op.achieved)}).`}
      {op.rule === 'default' && 'default 0.5: too little validation data to choose.'}
      {' '}Intervals below are Wilson (patients as independent); the evaluation table above gives the bootstrap figures.
    </p>
  );
}
