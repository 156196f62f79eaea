/** The short guide a reader keeps beside the image (from the project's labeling rules). */
export function LabelGuide({ reasonCodes }: { reasonCodes: string[] }) {
  return (
    <section className="guide" aria-label="Labeling guide">
      <h3>Guide</h3>
      <ul>
        <li>
          <b>1 — compression</b>: any indentation that changes the contour of the cord (disc, osteophyte, ligament). Partial or circumferential both count as 1.
        </li>
        <li>
          <b>0 — none</b>: cord contour intact. Loss of the CSF rim alone, with no change in cord shape, is 0.
        </li>
        <li>Judge the marked target slice; scroll neighbours for context only.</li>
      </ul>
      {reasonCodes.length > 0 && (
        <>
          <h4>Reason codes</h4>
          <ul className="codes">
            {reasonCodes.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
