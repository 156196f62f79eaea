'use client';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { AgreementStats, Progress } from '../../lib/shapes';
import { Empty } from '../../components/Notice';
import { num } from './format';

/** The headline counts; `backlog` follows adjudication events between dashboard loads. */
export function ProgressCards({ p, backlog, a }: { p: Progress | null; backlog: number | null; a: AgreementStats }) {
  return (
    <section className="cards" aria-label="Progress" data-testid="progress-cards">
      <div className="card">
        <div className="muted">Slices</div>
        <div className="big" data-testid="p-slices">
          {p?.slices ?? '–'}
        </div>
      </div>
      <div className="card">
        <div className="muted">Reads done / required</div>
        <div className="big" data-testid="p-reads">
          {p ? `${p.readsDone} / ${p.readsRequired}` : '–'}
        </div>
      </div>
      <div className="card">
        <div className="muted">Final labels</div>
        <div className="big" data-testid="p-final">
          {p?.finalLabels ?? '–'}
        </div>
      </div>
      <div className="card">
        <div className="muted">Positive final</div>
        <div className="big">{p?.positiveFinal ?? '–'}</div>
      </div>
      <div className="card">
        <div className="muted">Adjudication backlog</div>
        <div className="big" data-testid="p-backlog">
          {backlog ?? p?.openAdjudications ?? '–'}
        </div>
      </div>
      <div className="card">
        <div className="muted">Agreement (κ)</div>
        <div className="big" data-testid="p-kappa">
          {a.pairs ? num(a.kappa) : '–'}
        </div>
        <div className="muted">{a.pairs} pairs</div>
      </div>
    </section>
  );
}

/** Reads and final labels against what is required, and reads per labeler. */
export function ProgressCharts({ p, a }: { p: Progress | null; a: AgreementStats }) {
  const readsPerReader = a.readers.map((r) => ({ reader: r.reader, reads: r.reads }));
  return (
    <div className="grid-2">
      <section className="panel" aria-label="Progress chart">
        <h3>Progress</h3>
        {p ? (
          <div className="chart">
            <ResponsiveContainer width="100%" height="100%">
              <BarChart
                layout="vertical"
                data={[
                  { name: 'Reads', done: p.readsDone, left: Math.max(0, p.readsRequired - p.readsDone) },
                  { name: 'Final', done: p.finalLabels, left: Math.max(0, p.slices - p.finalLabels) },
                ]}
              >
                <CartesianGrid strokeDasharray="3 3" stroke="#2c313c" />
                <XAxis type="number" stroke="#9aa3b2" />
                <YAxis type="category" dataKey="name" stroke="#9aa3b2" width={60} />
                <Tooltip contentStyle={{ background: '#181b22', border: '1px solid #2c313c' }} />
                <Legend />
                <Bar dataKey="done" stackId="a" fill="#4cc38a" name="done" isAnimationActive={false} />
                <Bar dataKey="left" stackId="a" fill="#2c313c" name="remaining" isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </div>
        ) : (
          <Empty>No progress figures for your role.</Empty>
        )}
      </section>
      <section className="panel" aria-label="Reads per labeler">
        <h3>Reads per labeler</h3>
        {readsPerReader.length ? (
          <div className="chart">
            <ResponsiveContainer width="100%" height="100%">
              <BarChart data={readsPerReader}>
                <CartesianGrid strokeDasharray="3 3" stroke="#2c313c" />
                <XAxis dataKey="reader" stroke="#9aa3b2" />
                <YAxis stroke="#9aa3b2" allowDecimals={false} />
                <Tooltip contentStyle={{ background: '#181b22', border: '1px solid #2c313c' }} />
                <Bar dataKey="reads" fill="#4ea1ff" isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </div>
        ) : (
          <Empty>No reads yet.</Empty>
        )}
      </section>
    </div>
  );
}
