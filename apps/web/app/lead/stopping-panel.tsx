'use client';
import { useQuery } from '@tanstack/react-query';
import { describeError, gql } from '../../lib/graphql';
import { STOPPING_SIGNAL } from '../../lib/queries';
import { queryKeys } from '../../lib/query-keys';
import { ErrorNotice } from '../../components/Notice';

/** A difference with its sign, so a gain and a loss read apart at a glance. */
const signed = (x: number, d = 3) => (x >= 0 ? '+' : '') + x.toFixed(d);

/**
 * When to stop labelling [EV9]: each recent round's ΔAUC over the round before, with its paired
 * bootstrap interval and n; "plateau" only when every interval in the window includes 0.
 * Cached; a finished round makes it stale (lib/invalidations.ts), so it follows new rounds.
 */
export function StoppingPanel({ projectId }: { projectId: string }) {
  const { data: signal, error: loadError } = useQuery({
    queryKey: queryKeys.stoppingSignal(projectId),
    queryFn: async () => (await gql(STOPPING_SIGNAL, { projectId })).stoppingSignal,
  });
  const error = loadError ? describeError(loadError) : null;
  if (error) return <ErrorNotice error={error} />;
  if (!signal) return null;
  return (
    <section className="panel" aria-label="Stopping signal" data-testid="stopping-signal" data-plateau={signal.plateau}>
      <h3>When to stop labelling</h3>
      <p className={signal.plateau ? 'notice' : 'muted'} data-testid="stopping-verdict">
        {signal.verdict}
      </p>
      {signal.steps.length > 0 && (
        <table>
          <thead>
            <tr>
              <th>Rounds</th>
              <th>Labels</th>
              <th>ΔAUC (95% CI)</th>
            </tr>
          </thead>
          <tbody>
            {signal.steps.map((s) => (
              <tr key={s.toRound}>
                <td>
                  {s.fromRound} → {s.toRound}
                </td>
                <td>{s.labels}</td>
                {s.delta ? (
                  <td title={s.delta.method}>
                    {signed(s.delta.value)}{' '}
                    <span className="muted">
                      ({signed(s.delta.low)} to {signed(s.delta.high)})
                    </span>
                    <div className="muted small">
                      n = {s.delta.slices} slices, {s.delta.patients} patients
                    </div>
                  </td>
                ) : (
                  <td className="muted">{s.insufficient}</td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
