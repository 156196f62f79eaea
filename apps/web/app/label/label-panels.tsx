'use client';
import type { CalibrationFeedback, MyProgress } from '../../lib/shapes';

/** The reader's own count and queue: nothing about anyone else's reads. */
export function MyProgressBar({ progress }: { progress: MyProgress | null }) {
  if (!progress) return null;
  return (
    <div className="progress-own" data-testid="my-progress">
      <div>
        <b data-testid="reads-done">{progress.readsDone}</b> read · <b data-testid="queue-size">{progress.queueSize}</b> in your queue
      </div>
      <progress max={Math.max(1, progress.readsDone + progress.queueSize)} value={progress.readsDone} />
    </div>
  );
}

/** Onboarding only (reader-qc RQ16): the guide's answer to the calibration slice just labelled. */
export function CalibrationFeedbackNotice({ feedback }: { feedback: CalibrationFeedback | null }) {
  if (!feedback) return null;
  return (
    <div className={`notice ${feedback.correct ? 'info' : 'warn'}`} role="status" data-testid="calibration-feedback">
      Calibration {feedback.answered} of {feedback.total}: {feedback.correct ? 'correct' : 'not what the guide says'}. Guide:{' '}
      {feedback.expected === 1 ? 'compression' : 'no compression'}: {feedback.reasoning}
      {feedback.passed === true && ' · Calibration passed: blinded reads start now.'}
      {feedback.passed === false && ' · Calibration not passed: your lead has been told and can unlock you.'}
    </div>
  );
}

/** Why a slice is skipped: one of the project's reasons, by click or number key. */
export function SkipDialog({ reasons, onSkip, onCancel }: { reasons: string[]; onSkip: (reason: string) => void; onCancel: () => void }) {
  return (
    <div className="modal-backdrop" role="dialog" aria-modal="true" aria-label="Skip this slice" data-testid="skip-dialog">
      <div className="modal">
        <h2>Skip this slice — why?</h2>
        <ol className="choices">
          {reasons.slice(0, 9).map((r, i) => (
            <li key={r}>
              <button type="button" onClick={() => onSkip(r)} autoFocus={i === 0}>
                <kbd>{i + 1}</kbd> {r}
              </button>
            </li>
          ))}
        </ol>
        <button type="button" onClick={onCancel}>
          Cancel (Esc)
        </button>
      </div>
    </div>
  );
}
