'use client';
import { useCallback, useMemo, useRef, useState } from 'react';
import { useRequireSession } from '../../lib/session';
import { mayOpen } from '../../lib/roles';
import { useHotkeys } from '../../lib/hotkeys';
import { Viewer } from '../../components/viewer/ViewerLoader';
import { imageIdFor } from '../../components/viewer/concord-image-loader';
import type { ViewerHandle } from '../../components/viewer/StackViewer';
import { ViewerTools } from '../../components/ViewerTools';
import { LabelGuide } from '../../components/LabelGuide';
import { HelpOverlay, type Hotkey } from '../../components/HelpOverlay';
import { Empty, ErrorNotice, Forbidden } from '../../components/Notice';
import { useAdjudicationQueue, useDecision } from './use-adjudication-queue';
import { DecisionPanel } from './decision-panel';

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
  const [help, setHelp] = useState(false);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);
  const viewer = useRef<ViewerHandle | null>(null);
  const { queue, project, current, currentId, setCurrentId, refetch, live, move } = useAdjudicationQueue(projectId, allowed, setError);
  const moveOn = useCallback(() => setCurrentId(null), [setCurrentId]);
  const d = useDecision(current, refetch, moveOn, setError);

  useHotkeys(
    {
      '1': () => d.setValue(1),
      '0': () => d.setValue(0),
      r: () => d.reasonRef.current?.focus(),
      n: () => d.noteRef.current?.focus(),
      Enter: () => void d.decide(),
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
    return {
      ids: slices.map((s) => imageIdFor(s.imageUrl)),
      target: Math.max(
        0,
        slices.findIndex((s) => s.id === current.slice.id),
      ),
    };
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
        {current && <DecisionPanel item={current} reasonCodes={project?.reasonCodes ?? []} d={d} />}
        <ErrorNotice error={error} onDismiss={() => setError(null)} />
        {d.done > 0 && <div className="muted">{d.done} decided this session</div>}
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
