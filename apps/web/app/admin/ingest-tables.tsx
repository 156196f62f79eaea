'use client';
/** The ingest batches with their running counts, and one batch's per-file report. */
import type { IngestBatch, IngestFile } from '../../lib/shapes';
import type { LiveCounts } from './use-ingest-batches';

export function BatchTable({ batches, live, onShowFiles }: { batches: IngestBatch[]; live: LiveCounts; onShowFiles: (batchId: string) => void }) {
  return (
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
              <button type="button" onClick={() => onShowFiles(b.id)}>
                Files
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function FileReport({ files, filter, onFilter }: { files: IngestFile[]; filter: string; onFilter: (status: string) => void }) {
  return (
    <div>
      <div className="row">
        <h4>Per-file report</h4>
        <label>
          Show{' '}
          <select data-testid="file-filter" value={filter} onChange={(e) => onFilter(e.target.value)}>
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
  );
}
