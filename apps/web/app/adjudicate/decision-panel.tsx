'use client';
import type { AdjudicationItem } from '../../lib/shapes';
import type { useDecision } from './use-adjudication-queue';

/** Both reads of the item, then the adjudicator's value, reason and optional note. */
export function DecisionPanel({ item, reasonCodes, d }: { item: AdjudicationItem; reasonCodes: string[]; d: ReturnType<typeof useDecision> }) {
  return (
    <>
      <div className="reads" data-testid="reads">
        {item.reads.map((r) => (
          <div key={r.reader} className={`read ${r.value === 1 ? 'pos' : 'neg'}`}>
            <div className="muted">Reader {r.reader}</div>
            <div className="v">{r.value}</div>
            <div className="muted">{r.value === 1 ? 'compression' : 'none'}</div>
          </div>
        ))}
      </div>
      <div className="decide">
        <div className="label-buttons">
          <button type="button" className="label-1" aria-pressed={d.value === 1} onClick={() => d.setValue(1)} data-testid="decide-1">
            <kbd>1</kbd> Compression {d.value === 1 ? '✓' : ''}
          </button>
          <button type="button" className="label-0" aria-pressed={d.value === 0} onClick={() => d.setValue(0)} data-testid="decide-0">
            <kbd>0</kbd> None {d.value === 0 ? '✓' : ''}
          </button>
        </div>
        <label>
          Reason (R)
          <select ref={d.reasonRef} value={d.reason} onChange={(e) => d.setReason(e.target.value)} data-testid="reason">
            <option value="">Choose a reason…</option>
            {reasonCodes.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <label>
          Note (N, optional)
          <textarea ref={d.noteRef} rows={2} value={d.note} onChange={(e) => d.setNote(e.target.value)} data-testid="note" />
        </label>
        <button type="button" className="primary" disabled={d.value === null || !d.reason || d.busy} onClick={() => void d.decide()} data-testid="confirm">
          Confirm decision (Enter)
        </button>
      </div>
    </>
  );
}
