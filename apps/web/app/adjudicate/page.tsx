'use client';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useRequireSession } from '../../lib/session';
import { mayOpen } from '../../lib/roles';
import { describeError, gql } from '../../lib/graphql';
import { ADJUDICATE, ADJUDICATION_QUEUE, PROJECT } from '../../lib/queries';
import type { AdjudicationItem, Project } from '../../lib/shapes';
import { useProjectEvents, type ServerEvent } from '../../lib/realtime';
import { useHotkeys } from '../../lib/hotkeys';
import { Viewer } from '../../components/viewer/ViewerLoader';
import { imageIdFor } from '../../components/viewer/concord-image-loader';
import type { ViewerHandle } from '../../components/viewer/StackViewer';
import { ViewerTools } from '../../components/ViewerTools';
import { LabelGuide } from '../../components/LabelGuide';
import { HelpOverlay, type Hotkey } from '../../components/HelpOverlay';
import { Empty, ErrorNotice, Forbidden } from '../../components/Notice';

const HOTKEYS: Hotkey[] = [
  { keys: '1', does: 'Decide 1 — compression' },
  { keys: '0', does: 'Decide 0 — no compression' },
  { keys: 'R', does: 'Focus the reason' },
  { keys: 'N', does: 'Focus the note' },
  { keys: 'Enter', does: 'Confirm the decision (when a value and reason are chosen)' },
  { keys: 'J / K', does: 'Next / previous item in the queue' },
  { keys: '↑ / ↓ / wheel', does: 'Scroll neighbouring slices' },
  { keys: 'Space', does: 'Back to the target slice and reset the view' },
  { keys: '?', does: 'This help' },
];

export default function AdjudicatePage() {
  const { me, projectId } = useRequireSession();
  const allowed = !!me && mayOpen(me.roles, '/adjudicate');
  const [queue, setQueue] = useState<AdjudicationItem[] | null>(null);
  const [project, setProject] = useState<Project | null>(null);
  const [currentId, setCurrentId] = useState<string | null>(null);
  const [value, setValue] = useState<0 | 1 | null>(null);
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [help, setHelp] = useState(false);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);
  const [done, setDone] = useState(0);
  const viewer = useRef<ViewerHandle | null>(null);
  const reasonRef = useRef<HTMLSelectElement>(null);
  const noteRef = useRef<HTMLTextAreaElement>(null);

  const refetch = useCallback(async () => {
    if (!projectId) return;
    try {
      const d = await gql(ADJUDICATION_QUEUE, { projectId });
      setQueue(d.adjudicationQueue);
      setCurrentId((cur) => (cur && d.adjudicationQueue.some((i) => i.id === cur) ? cur : (d.adjudicationQueue[0]?.id ?? null)));
    } catch (e) {
      setError(describeError(e));
    }
  }, [projectId]);

  useEffect(() => {
    if (!allowed || !projectId) return;
    void refetch();
    gql(PROJECT, { id: projectId })
      .then((d) => setProject(d.project))
      .catch((e) => setError(describeError(e)));
  }, [allowed, projectId, refetch]);

  const live = useProjectEvents(allowed ? projectId : null, (e: ServerEvent) => {
    switch (e.type) {
      case 'adjudication:queue':
        void refetch();
        break;
      default:
        break;
    }
  });

  const current = queue?.find((i) => i.id === currentId) ?? null;
  useEffect(() => {
    setValue(null);
    setNote('');
    setReason('');
  }, [currentId]);

  const decide = useCallback(async () => {
    if (!current || value === null || !reason || busy) return;
    setBusy(true);
    setError(null);
    try {
      await gql(ADJUDICATE, { itemId: current.id, value, reason, note: note.trim() || null });
      setDone((n) => n + 1);
      setCurrentId(null);
      await refetch();
    } catch (e) {
      setError(describeError(e));
      await refetch();
    } finally {
      setBusy(false);
    }
  }, [current, value, reason, note, busy, refetch]);

  const move = (delta: number) => {
    if (!queue?.length) return;
    const i = queue.findIndex((q) => q.id === currentId);
    const next = queue[Math.min(Math.max(i + delta, 0), queue.length - 1)];
    if (next) setCurrentId(next.id);
  };

  useHotkeys(
    {
      '1': () => setValue(1),
      '0': () => setValue(0),
      r: () => reasonRef.current?.focus(),
      n: () => noteRef.current?.focus(),
      Enter: () => void decide(),
      j: () => move(1),
      k: () => move(-1),
      ArrowUp: () => viewer.current?.scroll(-1),
      ArrowDown: () => viewer.current?.scroll(1),
      ' ': () => viewer.current?.reset(),
      i: () => viewer.current?.invert(),
      '?': () => setHelp((h) => !h),
      Escape: () => setHelp(false),
    },
    allowed,
  );

  const stack = useMemo(() => {
    if (!current) return { ids: [] as string[], target: 0 };
    const slices = [...current.slice.series.slices].sort((a, b) => a.position - b.position);
    if (slices.length === 0) return { ids: [imageIdFor(current.slice.imageUrl)], target: 0 };
    return { ids: slices.map((s) => imageIdFor(s.imageUrl)), target: Math.max(0, slices.findIndex((s) => s.id === current.slice.id)) };
  }, [current]);

  if (!me) return <Empty>Loading…</Empty>;
  if (!allowed) return <Forbidden page="adjudication" />;
  if (!projectId) return <Empty>You are not a member of any project yet.</Empty>;

  return (
    <div className="workspace">
      <div className="workspace-main">
        {current ? (
          <Viewer imageIds={stack.ids} targetIndex={stack.target} controls={viewer} onError={(m) => setError({ code: 'IMAGE', message: m })} />
        ) : (
          <Empty>{queue ? 'Nothing to adjudicate. New disagreements appear here as they happen.' : 'Loading the queue…'}</Empty>
        )}
      </div>
      <aside className="side" aria-label="Adjudication panel">
        <div className="row">
          <h2>
            Adjudication queue <span data-testid="adj-queue-size">{queue?.length ?? '–'}</span>
          </h2>
          <span className={`live ${live}`}>{live}</span>
        </div>
        <ul className="queue-list" data-testid="adj-queue">
          {queue?.map((item, i) => (
            <li key={item.id}>
              <button type="button" className={item.id === currentId ? 'current' : undefined} onClick={() => setCurrentId(item.id)}>
                #{i + 1} · slice {item.slice.position + 1} · opened {new Date(item.openedAt).toLocaleTimeString()}
              </button>
            </li>
          ))}
        </ul>
        {current && (
          <>
            <div className="reads" data-testid="reads">
              {current.reads.map((r) => (
                <div key={r.reader} className={`read ${r.value === 1 ? 'pos' : 'neg'}`}>
                  <div className="muted">Reader {r.reader}</div>
                  <div className="v">{r.value}</div>
                  <div className="muted">{r.value === 1 ? 'compression' : 'none'}</div>
                </div>
              ))}
            </div>
            <div className="decide">
              <div className="label-buttons">
                <button type="button" className="label-1" aria-pressed={value === 1} onClick={() => setValue(1)} data-testid="decide-1">
                  <kbd>1</kbd> Compression {value === 1 ? '✓' : ''}
                </button>
                <button type="button" className="label-0" aria-pressed={value === 0} onClick={() => setValue(0)} data-testid="decide-0">
                  <kbd>0</kbd> None {value === 0 ? '✓' : ''}
                </button>
              </div>
              <label>
                Reason (R)
                <select ref={reasonRef} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="reason">
                  <option value="">Choose a reason…</option>
                  {(project?.reasonCodes ?? []).map((r) => (
                    <option key={r} value={r}>
                      {r}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                Note (N, optional)
                <textarea ref={noteRef} rows={2} value={note} onChange={(e) => setNote(e.target.value)} data-testid="note" />
              </label>
              <button type="button" className="primary" disabled={value === null || !reason || busy} onClick={() => void decide()} data-testid="confirm">
                Confirm decision (Enter)
              </button>
            </div>
          </>
        )}
        <ErrorNotice error={error} onDismiss={() => setError(null)} />
        {done > 0 && <div className="muted">{done} decided this session</div>}
        {current && <ViewerTools viewer={viewer} />}
        <LabelGuide reasonCodes={[]} />
        <button type="button" className="link" onClick={() => setHelp(true)}>
          Keyboard shortcuts (?)
        </button>
      </aside>
      {help && <HelpOverlay hotkeys={HOTKEYS} onClose={() => setHelp(false)} />}
    </div>
  );
}
