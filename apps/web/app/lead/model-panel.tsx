'use client';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Dashboard, ModelVersion } from '../../lib/shapes';
import { Empty } from '../../components/Notice';
import { CompareVersions, EvaluationSetCard, ModelEvaluationTable } from './evaluation-panel';

/**
 * Model rounds: provenance, the evaluation set, the learning curve on it with its interval, the
 * evaluation table with promotion and rollback, and the paired comparison.
 */
export function ModelPanel({
  data,
  training,
  trainNow,
  makeCurrent,
  freezeSet,
}: {
  data: Dashboard;
  training: string | null;
  trainNow: () => Promise<void>;
  makeCurrent: (m: ModelVersion) => Promise<void>;
  freezeSet: () => Promise<void>;
}) {
  // The curve compares versions on the same evaluation set (EV3), with its interval; no accuracy headline.
  const curve = data.modelVersions.map((m) => ({
    labels: m.labelCount,
    round: m.round,
    auc: m.evaluation.auc?.value ?? null,
    low: m.evaluation.auc?.low ?? null,
    high: m.evaluation.auc?.high ?? null,
  }));
  return (
    <section className="panel" aria-label="Model">
      <div className="row">
        <h3>Model rounds</h3>
        <div className="row">
          {training && (
            <span className="muted" data-testid="training-status">
              {training}
            </span>
          )}
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
          <p className="muted">
            Figures are on the whole evaluation set, intervals from a patient-clustered bootstrap; a figure resting on fewer than 10 patients of a class is
            withheld. The automatic gate decides on validation patients only; the evaluation set never selects a model.
          </p>
        </>
      )}
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
          No pretrained weights are configured: this model&apos;s backbone has RANDOM weights, so its figures are not those of the study&apos;s ResNet50. Set
          CONCORD_BACKBONE_WEIGHTS to a converted ImageNet ResNet50 (see services/trainer/CONTEXT.md) and retrain.
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
