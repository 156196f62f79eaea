'use client';
/** The project's settings as one draft form; the API checks ranges and its message is shown. */
import { useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { describeError, gql } from '../../lib/graphql';
import { PROJECT, UPDATE_PROJECT } from '../../lib/queries';
import { isStrategy, LEAD_STRATEGIES } from '@concord/contracts';
import { queryKeys } from '../../lib/query-keys';
import type { Project } from '../../lib/shapes';
import { ErrorNotice } from '../../components/Notice';
import type { Err } from './errors';

type NumberSetting =
  | 'readsPerSlice'
  | 'leaseSeconds'
  | 'repeatWashout'
  | 'retrainEvery'
  | 'screeningK'
  | 'repeatRate'
  | 'alBatchSize'
  | 'alMaxPerPatient'
  | 'alMinGap'
  | 'promotionTolerance';

export function Settings({ projectId }: { projectId: string }) {
  const { data, error } = useQuery({ queryKey: queryKeys.settings(projectId), queryFn: async () => (await gql(PROJECT, { id: projectId })).project });
  if (!data)
    return (
      <section className="panel">
        <h3>Project settings</h3>
        <ErrorNotice error={error ? describeError(error) : null} />
      </section>
    );
  // Keyed by project: the form is a draft of the settings as loaded, kept while the admin edits.
  return <SettingsForm key={projectId} projectId={projectId} loaded={data} />;
}

function SettingsForm({ projectId, loaded }: { projectId: string; loaded: Project }) {
  const queryClient = useQueryClient();
  const [project, setProject] = useState<Project>(loaded);
  const [reasons, setReasons] = useState(loaded.reasonCodes.join('\n'));
  const [error, setError] = useState<Err>(null);
  const [saved, setSaved] = useState(false);

  const set = <K extends keyof Project>(k: K, v: Project[K]) => setProject({ ...project, [k]: v });

  async function save(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setSaved(false);
    try {
      const { readsPerSlice, leaseSeconds, repeatRate, repeatWashout, adjudicatorMayHaveRead, retrainEvery, alStrategy, screeningK, seriesRules } = project;
      const { alBatchSize, alMaxPerPatient, alMinGap, promotionTolerance } = project;
      const d = await gql(UPDATE_PROJECT, {
        id: projectId,
        settings: {
          readsPerSlice,
          leaseSeconds,
          repeatRate,
          repeatWashout,
          adjudicatorMayHaveRead,
          retrainEvery,
          alStrategy,
          screeningK,
          seriesRules,
          alBatchSize,
          alMaxPerPatient,
          alMinGap,
          promotionTolerance,
          reasonCodes: reasons
            .split('\n')
            .map((s) => s.trim())
            .filter(Boolean),
        },
      });
      setProject(d.updateProject);
      queryClient.setQueryData(queryKeys.settings(projectId), d.updateProject);
      setSaved(true);
    } catch (err) {
      setError(describeError(err));
    }
  }

  // No min/max on the inputs: the API checks ranges and its message (with the range) is shown,
  // and a value stored outside them (e.g. by the simulator) must not block saving other fields.
  const numberField = (k: NumberSetting, title: string, step = 1, hint?: string) => (
    <label>
      {title}
      <input type="number" name={k} step={step} value={project[k]} onChange={(e) => set(k, Number(e.target.value))} />
      {hint && <small className="muted">{hint}</small>}
    </label>
  );

  return (
    <section className="panel" aria-label="Project settings">
      <h3>Project settings — {project.name}</h3>
      <form onSubmit={save} className="form-grid">
        {numberField('readsPerSlice', 'Reads per slice')}
        {numberField('leaseSeconds', 'Lease (seconds)')}
        {numberField('repeatRate', 'Repeat rate (0–1)', 0.01)}
        {numberField('repeatWashout', 'Repeat washout (reads)')}
        {numberField('retrainEvery', 'Retrain every (final labels)')}
        {numberField('screeningK', 'Screening k (abnormal if > k slices)')}
        <label>
          Active-learning strategy
          <select
            value={project.alStrategy}
            onChange={(e) => {
              if (isStrategy(e.target.value)) set('alStrategy', e.target.value);
            }}
          >
            {LEAD_STRATEGIES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
            {/* Older projects may hold margin; it ranks exactly as entropy for one sigmoid. */}
            {!(LEAD_STRATEGIES as readonly string[]).includes(project.alStrategy) && (
              <option value={project.alStrategy}>{project.alStrategy} (ranks as entropy)</option>
            )}
          </select>
        </label>
        {numberField('alBatchSize', 'AL batch size (slices)', 1, 'Slices each training round selects for labelling, 1–1000.')}
        {numberField('alMaxPerPatient', 'AL max slices per patient', 1, 'At most this many slices per patient per batch (1 or more).')}
        {numberField('alMinGap', 'AL min gap (slices)', 1, 'No two selected slices of a series within this many slices of each other (0 or more).')}
        {numberField(
          'promotionTolerance',
          'Promotion tolerance (AUC)',
          0.005,
          'A new model becomes current only if its test AUC is within this of the current one, or better (0–0.5).',
        )}
        <label style={{ display: 'flex', gap: 6, alignItems: 'center' }}>
          <input type="checkbox" checked={project.adjudicatorMayHaveRead} onChange={(e) => set('adjudicatorMayHaveRead', e.target.checked)} />
          Adjudicator may have read the slice
        </label>
        <label>
          Reason codes (one a line)
          <textarea rows={5} value={reasons} onChange={(e) => setReasons(e.target.value)} />
        </label>
        <label>
          Series description pattern
          <input
            value={project.seriesRules.descriptionPattern}
            onChange={(e) => set('seriesRules', { ...project.seriesRules, descriptionPattern: e.target.value })}
          />
        </label>
        <label>
          Max axial angle (°)
          <input
            type="number"
            step={0.5}
            value={project.seriesRules.maxAxialAngleDeg}
            onChange={(e) => set('seriesRules', { ...project.seriesRules, maxAxialAngleDeg: Number(e.target.value) })}
          />
        </label>
        <div>
          <button type="submit" className="primary">
            Save settings
          </button>
          {saved && <span className="muted"> Saved.</span>}
        </div>
      </form>
      <ErrorNotice error={error} onDismiss={() => setError(null)} />
    </section>
  );
}
