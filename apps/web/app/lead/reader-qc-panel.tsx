'use client';
import { useEffect, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { describeError, gql } from '../../lib/graphql';
import { READER_PERFORMANCE, RESUME_READER, UNLOCK_READER } from '../../lib/queries';
import { queryKeys } from '../../lib/query-keys';
import type { Estimate, ReaderKappa, ReaderPerformance } from '../../lib/shapes';
import { ErrorNotice, Empty } from '../../components/Notice';
import { num } from './format';

const COLOURS = ['#4ea1ff', '#4cc38a', '#f5a524', '#e5484d', '#a78bfa', '#2dd4bf', '#f472b6', '#9aa3b2'];

type Figure = 'goldAccuracy' | 'goldSensitivity' | 'goldSpecificity' | 'rollingGoldAccuracy';

/** A figure with its Wilson interval and n, or why it is withheld ("insufficient: 3 gold reads"). */
function Cell({ r, figure }: { r: ReaderPerformance; figure: Figure }) {
  const e = r[figure] as Estimate | null | undefined;
  if (!e) {
    const why = r.insufficient.find((s) => s.startsWith(`${figure}:`))?.slice(figure.length + 2) ?? 'insufficient';
    return (
      <td className="muted" data-testid={`rq-${figure}`} data-insufficient="true">
        {why}
      </td>
    );
  }
  return (
    <td data-testid={`rq-${figure}`} title={`${e.method} score 95% interval`}>
      {num(e.value)}{' '}
      <span className="muted">
        ({num(e.low)}–{num(e.high)})
      </span>
      <div className="muted small">
        n = {e.slices} gold reads, {e.patients} patients
      </div>
    </td>
  );
}

/** κ with its interval and the pairs it rests on, or why there is none. */
function KappaCell({ k, testId, none }: { k: ReaderKappa | null | undefined; testId: string; none: string }) {
  if (!k)
    return (
      <td className="muted" data-testid={testId}>
        {none}
      </td>
    );
  return (
    <td data-testid={testId} title={k.method}>
      {num(k.kappa)}{' '}
      <span className="muted">
        ({num(k.kappaLow)}–{num(k.kappaHigh)})
      </span>
      <div className="muted small">n = {k.pairs} pairs</div>
    </td>
  );
}

/**
 * Reader QC for the lead [RQ7]–[RQ11]: accuracy on gold slices with intervals and n, its trend
 * per block of gold reads (drift), time per read, and the flag/pause state with a resume action.
 * Cached; reads and `reader:flagged` events make it stale (lib/invalidations.ts), so it follows live.
 */
export function ReaderQcPanel({ projectId }: { projectId: string }) {
  const queryClient = useQueryClient();
  const [error, setError] = useState<{ code: string; message: string } | null>(null);
  const { data: rows = null, error: loadError } = useQuery({
    queryKey: queryKeys.readerPerformance(projectId),
    queryFn: async () => (await gql(READER_PERFORMANCE, { projectId })).readerPerformance,
  });
  useEffect(() => {
    if (loadError) setError(describeError(loadError));
  }, [loadError]);

  // Resume and unlock change the reader's row: it is refetched before the action counts as done.
  const change = useMutation({
    mutationFn: async ({ action, userId }: { action: 'resume' | 'unlock'; userId: string }) => {
      if (action === 'resume') await gql(RESUME_READER, { projectId, userId });
      else await gql(UNLOCK_READER, { projectId, userId });
    },
    onMutate: () => setError(null),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.readerPerformance(projectId) }),
    onError: (e) => setError(describeError(e)),
  });

  function resume(r: ReaderPerformance) {
    if (!window.confirm(`Resume ${r.reader}? They will receive new slices again; their flag restarts from new gold reads.`)) return;
    change.mutate({ action: 'resume', userId: r.userId });
  }

  function unlock(r: ReaderPerformance) {
    if (!window.confirm(`Unlock ${r.reader}? They did not reach the calibration pass mark; they will receive blinded reads.`)) return;
    change.mutate({ action: 'unlock', userId: r.userId });
  }

  if (!rows)
    return (
      <section className="panel" aria-label="Reader QC">
        <h3>Reader QC</h3>
        <ErrorNotice error={error} />
        {!error && <Empty>Loading…</Empty>}
      </section>
    );
  const blocks = Math.max(0, ...rows.map((r) => r.goldTrend.length));
  const trend = [...Array(blocks)].map((_, i) => ({
    block: `gold ${i * 20 + 1}–${i * 20 + 20}`,
    ...Object.fromEntries(rows.map((r) => [r.reader, r.goldTrend[i]?.accuracy?.value ?? null])),
  }));
  return (
    <section className="panel" aria-label="Reader QC" data-testid="reader-qc">
      <h3>Reader QC (gold slices)</h3>
      <ErrorNotice error={error} onDismiss={() => setError(null)} />
      <p className="muted small">
        Accuracy on gold slices with Wilson score 95% intervals; n = gold reads (patients). Withheld below 5. Rolling = last 50 gold reads. Seconds per read are
        measured by the server from lease (or the previous submit) to submit; fast = under 2 s. On-screen seconds are what the browser reported (statistics
        only).
      </p>
      {rows.length === 0 ? (
        <Empty>No readers yet.</Empty>
      ) : (
        <table data-testid="reader-qc-table">
          <thead>
            <tr>
              <th>Reader</th>
              <th>Reads</th>
              <th>Gold reads</th>
              <th>Gold accuracy</th>
              <th>Sensitivity</th>
              <th>Specificity</th>
              <th>Rolling accuracy</th>
              <th>κ vs other readers</th>
              <th>Intra-reader κ</th>
              <th>Seconds/read median (p90)</th>
              <th>On-screen s (median)</th>
              <th>Fast reads</th>
              <th>Calibration</th>
              <th>Status</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.userId} data-testid={`reader-qc-${r.reader}`} data-flagged={r.flagged} data-paused={r.paused}>
                <td>{r.reader}</td>
                <td>{r.reads}</td>
                <td data-testid="rq-goldReads">{r.goldReads}</td>
                <Cell r={r} figure="goldAccuracy" />
                <Cell r={r} figure="goldSensitivity" />
                <Cell r={r} figure="goldSpecificity" />
                <Cell r={r} figure="rollingGoldAccuracy" />
                <KappaCell k={r.agreementWithOthers} testId="rq-kappa" none="no paired reads" />
                <KappaCell k={r.intraReader} testId="rq-intra" none="no repeats" />
                <td>
                  {num(r.medianSecondsPerRead, 1)} ({num(r.p90SecondsPerRead, 1)}) <div className="muted small">n = {r.timedReads}</div>
                </td>
                <td data-testid="rq-screen">
                  {num(r.medianScreenSeconds, 1)} <div className="muted small">n = {r.screenTimedReads}</div>
                </td>
                <td className={r.fastReads > 0 ? 'warn' : undefined}>{r.fastReads}</td>
                <td data-testid="rq-calibration">
                  {!r.calibration ? (
                    <span className="muted">no set</span>
                  ) : (
                    <>
                      {r.calibration.answered}/{r.calibration.total}{' '}
                      {r.calibration.passed === true ? 'passed' : r.calibration.passed === false ? 'not passed' : 'in progress'}
                      <div className="muted small">
                        {r.calibration.accuracy
                          ? `${num(r.calibration.accuracy.value)} (${num(r.calibration.accuracy.low)}–${num(r.calibration.accuracy.high)}), n = ${r.calibration.accuracy.slices}`
                          : `insufficient: ${r.calibration.answered} answers`}
                      </div>
                      {r.calibration.passed === false && (
                        <button type="button" onClick={() => unlock(r)} data-testid={`unlock-${r.reader}`}>
                          Unlock
                        </button>
                      )}
                    </>
                  )}
                </td>
                <td data-testid="rq-status">
                  {r.paused ? 'paused' : r.flagged ? 'flagged' : 'ok'}
                  {r.paused && (
                    <button type="button" onClick={() => resume(r)} data-testid={`resume-${r.reader}`}>
                      Resume
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {trend.length > 0 && (
        <div className="chart" data-testid="reader-qc-trend">
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={trend}>
              <CartesianGrid strokeDasharray="3 3" stroke="#2c313c" />
              <XAxis dataKey="block" stroke="#9aa3b2" />
              <YAxis domain={[0, 1]} stroke="#9aa3b2" />
              <Tooltip contentStyle={{ background: '#181b22', border: '1px solid #2c313c' }} />
              <Legend />
              {rows.map((r, i) => (
                <Line key={r.userId} dataKey={r.reader} stroke={COLOURS[i % COLOURS.length]} connectNulls isAnimationActive={false} />
              ))}
            </LineChart>
          </ResponsiveContainer>
        </div>
      )}
    </section>
  );
}
