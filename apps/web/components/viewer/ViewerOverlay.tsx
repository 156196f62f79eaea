'use client';
/** What the reader sees over the image: which slice, whether it is the target, window, inversion. */
import type { Voi } from './use-stack-viewport';

export function ViewerOverlay({
  index,
  targetIndex,
  imageIds,
  voi,
  inverted,
}: {
  index: number;
  targetIndex: number;
  imageIds: string[];
  voi: Voi | null;
  inverted: boolean;
}) {
  return (
    <>
      <div className="overlay top-left" data-testid="slice-indicator">
        <div>
          Slice {index + 1} / {imageIds.length}
        </div>
        {index === targetIndex ? (
          <div className="target-mark" data-testid="on-target">
            ● Target slice
          </div>
        ) : (
          <div className="context-mark" data-testid="off-target">
            Context slice — target is {targetIndex + 1} (Space returns)
          </div>
        )}
      </div>
      <div className="overlay top-right">
        {voi && (
          <div data-testid="voi">
            W {Math.round(voi.width)} L {Math.round(voi.center)}
          </div>
        )}
        {inverted && <div>Inverted</div>}
      </div>
      <div className="slice-strip" aria-hidden="true">
        {imageIds.map((id, i) => (
          <span key={id} className={`tick${i === targetIndex ? ' target' : ''}${i === index ? ' current' : ''}`} />
        ))}
      </div>
    </>
  );
}
