'use client';
import { useEffect, useRef } from 'react';

export type Hotkey = { keys: string; does: string };

/** The `?` overlay: every hotkey of the page. Escape or `?` closes it. */
export function HelpOverlay({ hotkeys, onClose }: { hotkeys: Hotkey[]; onClose: () => void }) {
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => closeRef.current?.focus(), []);
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: Escape and the focused Close button close it by keyboard; the backdrop click is for the mouse
    <div className="modal-backdrop" role="dialog" aria-modal="true" aria-label="Keyboard shortcuts" data-testid="help" onClick={onClose}>
      {/* biome-ignore lint/a11y/useKeyWithClickEvents lint/a11y/noStaticElementInteractions: only stops a click inside from reaching the backdrop */}
      <div className="modal" onClick={(e) => e.stopPropagation()}>
        <h2>Keyboard shortcuts</h2>
        <table className="hotkeys">
          <tbody>
            {hotkeys.map((h) => (
              <tr key={h.keys}>
                <td>
                  <kbd>{h.keys}</kbd>
                </td>
                <td>{h.does}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <button ref={closeRef} type="button" onClick={onClose}>
          Close (Esc)
        </button>
      </div>
    </div>
  );
}
