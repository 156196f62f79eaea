'use client';
import { useCallback, useMemo, useRef, useState } from 'react';
import { useRequireSession } from '../../lib/session';
import { mayOpen } from '../../lib/roles';
import { useHotkeys } from '../../lib/hotkeys';
import { markNextImageShown } from '../../lib/metrics';
import { Viewer } from '../../components/viewer/ViewerLoader';
import { imageIdFor } from '../../components/viewer/concord-image-loader';
import type { ViewerHandle } from '../../components/viewer/StackViewer';
import { ViewerTools } from '../../components/ViewerTools';
import { LabelGuide } from '../../components/LabelGuide';
import { HelpOverlay, type Hotkey } from '../../components/HelpOverlay';
import { Empty, ErrorNotice, Forbidden } from '../../components/Notice';
import { useLabelQueue } from './use-label-queue';
import { CalibrationFeedbackNotice, MyProgressBar, SkipDialog } from './label-panels';

const HOTKEYS: Hotkey[] = [
  { keys: '1', does: 'Label the target slice 1 — cord compression' },
  { keys: '0', does: 'Label the target slice 0 — no compression' },
  { keys: 'S', does: 'Skip with a reason' },
  { keys: '↑ / ↓ / wheel', does: 'Previous / next slice of the series (context)' },
  { keys: 'Space', does: 'Back to the target slice and reset the view' },
  { keys: 'I', does: 'Invert' },
  { keys: '+ / −', does: 'Zoom in / out' },
  { keys: 'Drag', does: 'Window/level (left), zoom (right), pan (middle)' },
  { keys: '?', does: 'This help' },
];

const DEFAULT_SKIP_REASONS = ['artefact or motion', 'wrong level or off-axis slice', 'image quality too poor'];

export default function LabelPage() {
  const { me, projectId } = useRequireSession();
  const allowed = !!me && mayOpen(me.roles, '/label');
  const [help, setHelp] = useState(false);
  const [skipping, setSkipping] = useState(false);
  const viewer = useRef<ViewerHandle | null>(null);
  const q = useLabelQueue(projectId, allowed);
  const { assignment, progress, project, loaded, error, setError, notice, setNotice, feedback, lastLabel, upcoming, pending, labelableId, live, label } = q;
  const queueSkip = q.skip;
  const skip = useCallback(
    (reason: string) => {
      setSkipping(false);
      queueSkip(reason);
    },
    [queueSkip],
  );

  const skipReasons = project?.reasonCodes.length ? project.reasonCodes : DEFAULT_SKIP_REASONS;

  useHotkeys(
    {
      // A held key repeats: that is never a second reading.
      '1': (e) => !e.repeat && label(1),
      '0': (e) => !e.repeat && label(0),
      s: () => assignment && setSkipping(true),
      ArrowUp: () => viewer.current?.scroll(-1),
      ArrowDown: () => viewer.current?.scroll(1),
      ' ': () => viewer.current?.reset(),
      i: () => viewer.current?.invert(),
      '+': () => viewer.current?.zoom(1.25),
      '=': () => viewer.current?.zoom(1.25),
      '-': () => viewer.current?.zoom(0.8),
      '?': () => setHelp((h) => !h),
      Escape: () => {
        setHelp(false);
        setSkipping(false);
      },
    },
    allowed && !help && !skipping,
  );
  useHotkeys(
    {
      Escape: () => {
        setHelp(false);
        setSkipping(false);
      },
      '?': () => setHelp(false),
      ...(skipping ? Object.fromEntries(skipReasons.slice(0, 9).map((r, i) => [String(i + 1), () => skip(r)])) : {}),
    },
    help || skipping,
  );

  const stack = useMemo(() => {
    if (!assignment) return { ids: [] as string[], target: 0 };
    const slices = [...assignment.slice.series.slices].sort((a, b) => a.position - b.position);
    const ids = slices.map((s) => imageIdFor(s.imageUrl));
    const target = Math.max(
      0,
      slices.findIndex((s) => s.id === assignment.slice.id),
    );
    if (slices.length === 0) return { ids: [imageIdFor(assignment.slice.imageUrl)], target: 0 };
    return { ids, target };
  }, [assignment]);

  // The upcoming slice's whole series, decoded into the cache before it is needed.
  const prefetch = useMemo(() => (upcoming ? upcoming.slice.series.slices.map((x) => imageIdFor(x.imageUrl)) : []), [upcoming]);

  if (!me) return <Empty>Loading…</Empty>;
  if (!allowed) return <Forbidden page="labeling" />;
  if (!projectId) return <Empty>You are not a member of any project yet. Ask your lead to add you.</Empty>;

  return (
    <div className="workspace">
      <div className="workspace-main">
        {assignment ? (
          <Viewer
            imageIds={stack.ids}
            targetIndex={stack.target}
            prefetch={prefetch}
            controls={viewer}
            onTargetRendered={() => markNextImageShown()}
            onError={(m) => setError({ code: 'IMAGE', message: m })}
          />
        ) : (
          <Empty>{loaded ? 'Your queue is empty — thank you. New slices appear here when they are assigned.' : 'Loading your next slice…'}</Empty>
        )}
      </div>
      <aside className="side" aria-label="Labeling panel">
        <div className="row">
          <h2>Label</h2>
          <span className={`live ${live}`} title="Realtime connection">
            {live}
          </span>
        </div>
        <MyProgressBar progress={progress} />
        {assignment && (
          <div
            className="assignment"
            data-testid="assignment"
            data-slice-id={assignment.slice.id}
            data-labelable={labelableId === assignment.id ? 'true' : 'false'}
          >
            <span className="muted">Hold until {new Date(assignment.leaseExpiresAt).toLocaleTimeString()}</span>
          </div>
        )}
        <div className="label-buttons">
          <button type="button" className="label-1" disabled={!assignment} onClick={() => label(1)} data-testid="label-1">
            <kbd>1</kbd> Compression
          </button>
          <button type="button" className="label-0" disabled={!assignment} onClick={() => label(0)} data-testid="label-0">
            <kbd>0</kbd> None
          </button>
          <button type="button" className="skip" disabled={!assignment} onClick={() => setSkipping(true)}>
            <kbd>S</kbd> Skip…
          </button>
        </div>
        {pending !== null && (
          <div className="muted" data-testid="pending-label">
            {pending.kind === 'label' ? `Label ${pending.value}` : `Skip (${pending.reason})`} queued for this slice: saved as soon as the previous one is.
          </div>
        )}
        {lastLabel !== null && <div className="muted">Last label saved: {lastLabel}</div>}
        <ErrorNotice error={error} onDismiss={() => setError(null)} />
        <CalibrationFeedbackNotice feedback={feedback} />
        {notice && (
          <div className="notice info" role="status" data-testid="notice">
            {notice}{' '}
            <button type="button" className="link" onClick={() => setNotice(null)} aria-label="Dismiss">
              ×
            </button>
          </div>
        )}
        {assignment && <ViewerTools viewer={viewer} />}
        <LabelGuide reasonCodes={project?.reasonCodes ?? []} />
        <button type="button" className="link" onClick={() => setHelp(true)}>
          Keyboard shortcuts (?)
        </button>
      </aside>
      {help && <HelpOverlay hotkeys={HOTKEYS} onClose={() => setHelp(false)} />}
      {skipping && <SkipDialog reasons={skipReasons} onSkip={skip} onCancel={() => setSkipping(false)} />}
    </div>
  );
}
