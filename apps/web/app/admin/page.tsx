'use client';
import { useEffect, useState, type FormEvent } from 'react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRequireSession } from '../../lib/session';
import { mayOpen } from '../../lib/roles';
import { describeError, gql } from '../../lib/graphql';
import { CREATE_USER, INGEST_BATCHES, INGEST_DICOMWEB, INGEST_FILES, PROJECT, SET_USER_ROLES, UNLOCK_USER, UPDATE_PROJECT, USERS } from '../../lib/queries';
import { isStrategy, LEAD_STRATEGIES } from '@concord/contracts';
import { queryKeys } from '../../lib/query-keys';
import type { IngestBatch, Project, Role, UserRow } from '../../lib/shapes';
import { useProjectEvents, type ServerEvent } from '../../lib/realtime';
import { Empty, ErrorNotice, Forbidden } from '../../components/Notice';

const ALL_ROLES: Role[] = ['ADMIN', 'LEAD', 'ADJUDICATOR', 'LABELER'];
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
type Err = { code: string; message: string } | null;

export default function AdminPage() {
  const { me, projectId } = useRequireSession();
  const allowed = !!me && mayOpen(me.roles, '/admin');
  if (!me) return <Empty>Loading…</Empty>;
  if (!allowed) return <Forbidden page="administration" />;
  return (
    <div className="page">
      <h1>Administration</h1>
      <Users projectId={projectId} />
      {projectId ? (
        <>
          <Settings projectId={projectId} />
          <Ingest projectId={projectId} />
        </>
      ) : (
        <Empty>No project yet: create one with the CLI (`npm run concord`), then reload.</Empty>
      )}
    </div>
  );
}

function Users({ projectId }: { projectId: string | null }) {
  const queryClient = useQueryClient();
  const [error, setError] = useState<Err>(null);
  const [form, setForm] = useState({ username: '', password: '', roles: ['LABELER'] as Role[] });
  const [unlocked, setUnlocked] = useState<string | null>(null);

  const { data: users, error: loadError } = useQuery({ queryKey: queryKeys.users(), queryFn: async () => (await gql(USERS)).users });
  useEffect(() => {
    if (loadError) setError(describeError(loadError));
  }, [loadError]);
  const load = () => void queryClient.invalidateQueries({ queryKey: queryKeys.users() });

  async function toggle(u: UserRow, role: Role) {
    const roles = u.roles.includes(role) ? u.roles.filter((r) => r !== role) : [...u.roles, role];
    setError(null);
    try {
      await gql(SET_USER_ROLES, { userId: u.id, roles });
      load();
    } catch (e) {
      setError(describeError(e));
    }
  }

  async function unlock(u: UserRow) {
    setError(null);
    setUnlocked(null);
    try {
      await gql(UNLOCK_USER, { userId: u.id });
      setUnlocked(u.username);
    } catch (e) {
      setError(describeError(e));
    }
  }

  async function create(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      await gql(CREATE_USER, { ...form, projectIds: projectId ? [projectId] : [] });
      setForm({ username: '', password: '', roles: ['LABELER'] });
      load();
    } catch (err) {
      setError(describeError(err));
    }
  }

  return (
    <section className="panel" aria-label="Users">
      <h3>Users and roles</h3>
      <ErrorNotice error={error} onDismiss={() => setError(null)} />
      <table>
        <thead>
          <tr>
            <th>User</th>
            {ALL_ROLES.map((r) => (
              <th key={r}>{r.toLowerCase()}</th>
            ))}
            <th>Projects</th>
            <th>Login</th>
          </tr>
        </thead>
        <tbody>
          {users?.map((u) => (
            <tr key={u.id}>
              <td>{u.username}</td>
              {ALL_ROLES.map((r) => (
                <td key={r}>
                  <input type="checkbox" aria-label={`${u.username} ${r}`} checked={u.roles.includes(r)} onChange={() => void toggle(u, r)} />
                </td>
              ))}
              <td className="muted">{u.projects.map((p) => p.name).join(', ')}</td>
              <td>
                <button type="button" aria-label={`Unlock login of ${u.username}`} title="Clears the waits after failed logins" onClick={() => void unlock(u)}>
                  Unlock
                </button>
                {unlocked === u.username && <span className="muted"> Unlocked.</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form onSubmit={create} className="form-grid" style={{ marginTop: 12 }}>
        <label>
          User name
          <input value={form.username} onChange={(e) => setForm({ ...form, username: e.target.value })} required />
        </label>
        <label>
          Password
          <input type="password" autoComplete="new-password" value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} required />
        </label>
        <fieldset style={{ border: 'none', padding: 0 }}>
          <legend className="muted">Roles</legend>
          {ALL_ROLES.map((r) => (
            <label key={r} style={{ display: 'inline-flex', gap: 4, marginRight: 8 }}>
              <input
                type="checkbox"
                checked={form.roles.includes(r)}
                onChange={() => setForm({ ...form, roles: form.roles.includes(r) ? form.roles.filter((x) => x !== r) : [...form.roles, r] })}
              />
              {r.toLowerCase()}
            </label>
          ))}
        </fieldset>
        <button type="submit" className="primary">
          Create user
        </button>
      </form>
    </section>
  );
}

function Settings({ projectId }: { projectId: string }) {
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

function Ingest({ projectId }: { projectId: string }) {
  const queryClient = useQueryClient();
  const [selected, setSelected] = useState<string | null>(null);
  const [filter, setFilter] = useState('');
  const [uploading, setUploading] = useState(false);
  const [live, setLive] = useState<Record<string, { done: number; total: number }>>({});
  const [error, setError] = useState<Err>(null);

  const batchesKey = queryKeys.ingestBatches(projectId);
  const batchesQuery = useQuery({ queryKey: batchesKey, queryFn: async () => (await gql(INGEST_BATCHES, { projectId })).ingestBatches });
  // The report stays on the last answer while another batch or filter loads, as it always has.
  const filesQuery = useQuery({
    queryKey: queryKeys.ingestFiles(projectId, selected ?? '', filter),
    queryFn: async () => (await gql(INGEST_FILES, { id: selected ?? '', status: filter || null })).ingestBatch.files,
    enabled: !!selected,
    placeholderData: keepPreviousData,
  });
  const batches = batchesQuery.data ?? null;
  const files = filesQuery.data ?? null;
  useEffect(() => {
    const failure = batchesQuery.error ?? filesQuery.error;
    if (failure) setError(describeError(failure));
  }, [batchesQuery.error, filesQuery.error]);
  const load = () => void queryClient.invalidateQueries({ queryKey: batchesKey });

  // A batch's running counts come in its events; the list refetches when one finishes
  // (lib/invalidations.ts) or is new to this page.
  useProjectEvents(projectId, (e: ServerEvent) => {
    switch (e.type) {
      case 'ingest:progress':
        setLive((l) => ({ ...l, [e.batchId]: { done: e.done, total: e.total } }));
        if (!batches?.some((b) => b.id === e.batchId)) load();
        queryClient.setQueryData<IngestBatch[]>(batchesKey, (bs) =>
          bs?.map((b) =>
            b.id === e.batchId
              ? { ...b, total: e.total, accepted: e.accepted, skipped: e.skipped, rejected: e.rejected, status: e.finished ? 'DONE' : b.status }
              : b,
          ),
        );
        break;
      default:
        break;
    }
  });

  async function pullDicomweb(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const url = (form.elements.namedItem('dicomwebUrl') as HTMLInputElement).value.trim();
    const studyUid = (form.elements.namedItem('studyUid') as HTMLInputElement).value.trim();
    if (!url) return;
    setUploading(true);
    setError(null);
    try {
      const d = await gql(INGEST_DICOMWEB, { projectId, url, studyUid: studyUid || null });
      setSelected(d.ingestDicomweb.id);
      load();
    } catch (err) {
      setError(describeError(err));
    } finally {
      setUploading(false);
    }
  }

  async function upload(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const input = e.currentTarget.elements.namedItem('files') as HTMLInputElement;
    if (!input.files?.length) return;
    const body = new FormData();
    for (const f of Array.from(input.files)) body.append('files', f, f.name);
    setUploading(true);
    setError(null);
    try {
      const res = await fetch(`/upload?projectId=${encodeURIComponent(projectId)}`, {
        method: 'POST',
        body,
        credentials: 'same-origin',
        headers: { 'x-concord-request': '1' },
      });
      const json = (await res.json().catch(() => ({}))) as { batchId?: string; error?: { code?: string; message?: string }; code?: string; message?: string };
      if (!res.ok || !json.batchId) {
        setError({
          code: json.error?.code ?? json.code ?? `HTTP_${res.status}`,
          message: json.error?.message ?? json.message ?? 'The upload was not accepted.',
        });
      } else {
        setSelected(json.batchId);
        input.value = '';
        load();
      }
    } catch {
      setError({ code: 'NETWORK', message: 'The upload did not reach the server. Check your connection and try again.' });
    } finally {
      setUploading(false);
    }
  }

  return (
    <section className="panel" aria-label="Ingest">
      <h3>Ingest</h3>
      <form onSubmit={upload} className="row" style={{ justifyContent: 'flex-start' }}>
        <label>
          DICOM files or a .zip <input type="file" name="files" multiple accept=".dcm,.zip,application/dicom,application/zip" />
        </label>
        <button type="submit" className="primary" disabled={uploading}>
          {uploading ? 'Uploading…' : 'Upload'}
        </button>
      </form>
      <form onSubmit={pullDicomweb} className="row" style={{ justifyContent: 'flex-start' }}>
        <label>
          or pull from DICOMweb <input type="url" name="dicomwebUrl" placeholder="http://pacs:8042/dicom-web" size={32} />
        </label>
        <label>
          Study UID (optional) <input type="text" name="studyUid" size={24} />
        </label>
        <button type="submit" disabled={uploading}>
          {uploading ? 'Working…' : 'Pull'}
        </button>
      </form>
      <ErrorNotice error={error} onDismiss={() => setError(null)} />
      {batches?.length === 0 && <Empty>No ingest batches yet.</Empty>}
      {!!batches?.length && (
        <table data-testid="batches">
          <thead>
            <tr>
              <th>Started</th>
              <th>Source</th>
              <th>Status</th>
              <th>Total</th>
              <th>Accepted</th>
              <th>Skipped</th>
              <th>Rejected</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {batches.map((b) => (
              <tr key={b.id}>
                <td>{new Date(b.startedAt).toLocaleString()}</td>
                <td>{b.source}</td>
                <td>
                  {b.status}
                  {live[b.id] && !b.finishedAt && (
                    <>
                      {' '}
                      <progress max={Math.max(1, live[b.id].total)} value={live[b.id].done} aria-label="Ingest progress" /> {live[b.id].done}/{live[b.id].total}
                    </>
                  )}
                </td>
                <td>{b.total}</td>
                <td className="status-accepted">{b.accepted}</td>
                <td className="status-skipped">{b.skipped}</td>
                <td className="status-rejected">{b.rejected}</td>
                <td>
                  <button type="button" onClick={() => setSelected(b.id)}>
                    Files
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {selected && files && (
        <div>
          <div className="row">
            <h4>Per-file report</h4>
            <label>
              Show{' '}
              <select data-testid="file-filter" value={filter} onChange={(e) => setFilter(e.target.value)}>
                <option value="">all</option>
                <option value="ACCEPTED">accepted</option>
                <option value="SKIPPED">skipped</option>
                <option value="REJECTED">rejected</option>
              </select>
            </label>
          </div>
          <table data-testid="file-report">
            <thead>
              <tr>
                <th>File</th>
                <th>Status</th>
                <th>Reason</th>
                <th>Detail</th>
              </tr>
            </thead>
            <tbody>
              {files.map((f) => (
                <tr key={f.path}>
                  <td>{f.path}</td>
                  <td className={`status-${f.status.toLowerCase()}`}>{f.status.toLowerCase()}</td>
                  <td>{f.reason}</td>
                  <td className="muted">{f.detail}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
