'use client';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { AgreementStats } from '../../lib/shapes';
import { Empty } from '../../components/Notice';
import { SelectionAgreementTable } from './evaluation-panel';
import { num, pct } from './format';

/** Inter-reader agreement with intervals and n: overall, per pair, per reader, per selection mode. */
export function AgreementPanel({ a }: { a: AgreementStats }) {
  const accuracy = a.readers.map((r) => ({ reader: r.reader, sensitivity: r.sensitivity, specificity: r.specificity }));
  return (
    <section className="panel" aria-label="Agreement" data-testid="agreement">
      <h3>Inter-reader agreement</h3>
      {a.pairs === 0 ? (
        <Empty>No slice has two reads yet.</Empty>
      ) : (
        <div className="grid-2">
          <table>
            <tbody>
              <tr>
                <th>Pairs</th>
                <td data-testid="a-pairs">{a.pairs}</td>
              </tr>
              <tr>
                <th>Percent agreement</th>
                <td data-testid="a-percent">{pct(a.percentAgreement)}</td>
              </tr>
              <tr>
                <th>Positive / negative agreement</th>
                <td>
                  {pct(a.positiveAgreement)} / {pct(a.negativeAgreement)}
                </td>
              </tr>
              <tr>
                <th>Cohen&apos;s κ (95% CI)</th>
                <td>
                  {num(a.kappa)} ({num(a.kappaLow)} – {num(a.kappaHigh)})
                </td>
              </tr>
              <tr>
                <th>PABAK</th>
                <td>{num(a.pabak)}</td>
              </tr>
              <tr>
                <th>Gwet&apos;s AC1</th>
                <td>{num(a.gwetAc1)}</td>
              </tr>
              <tr>
                <th>2×2 (A rows, B columns)</th>
                <td>
                  [[{a.table[0]?.join(', ')}], [{a.table[1]?.join(', ')}]]
                </td>
              </tr>
            </tbody>
          </table>
          <div>
            <h4>Per reader pair</h4>
            <table>
              <thead>
                <tr>
                  <th>Readers</th>
                  <th>Pairs</th>
                  <th>Agree</th>
                  <th>κ (95% CI)</th>
                </tr>
              </thead>
              <tbody>
                {a.readerPairs.map((r) => (
                  <tr key={`${r.readerA}-${r.readerB}`}>
                    <td>
                      {r.readerA} × {r.readerB}
                    </td>
                    <td>{r.pairs}</td>
                    <td>{pct(r.percentAgreement)}</td>
                    <td>
                      {num(r.kappa)} ({num(r.kappaLow)} – {num(r.kappaHigh)})
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <h4>Per reader against final labels</h4>
            <table>
              <thead>
                <tr>
                  <th>Reader</th>
                  <th>Reads</th>
                  <th>Sens.</th>
                  <th>Spec.</th>
                  <th>Pos. rate</th>
                  <th>McNemar p</th>
                </tr>
              </thead>
              <tbody>
                {a.readers.map((r) => (
                  <tr key={r.reader}>
                    <td>{r.reader}</td>
                    <td>{r.reads}</td>
                    <td>{pct(r.sensitivity)}</td>
                    <td>{pct(r.specificity)}</td>
                    <td>{pct(r.positiveRate)}</td>
                    <td>{num(r.mcnemarP, 3)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <h4>Per selection mode</h4>
            <SelectionAgreementTable rows={a.bySelection} />
            {a.intraReader.length > 0 && (
              <>
                <h4>Intra-reader (repeats)</h4>
                <table>
                  <thead>
                    <tr>
                      <th>Reader</th>
                      <th>Pairs</th>
                      <th>Agree</th>
                      <th>κ</th>
                    </tr>
                  </thead>
                  <tbody>
                    {a.intraReader.map((r) => (
                      <tr key={r.reader}>
                        <td>{r.reader}</td>
                        <td>{r.pairs}</td>
                        <td>{pct(r.percentAgreement)}</td>
                        <td>{num(r.kappa)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </>
            )}
          </div>
        </div>
      )}
      {accuracy.some((r) => r.sensitivity !== null) && (
        <div className="chart">
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={accuracy}>
              <CartesianGrid strokeDasharray="3 3" stroke="#2c313c" />
              <XAxis dataKey="reader" stroke="#9aa3b2" />
              <YAxis domain={[0, 1]} stroke="#9aa3b2" />
              <Tooltip contentStyle={{ background: '#181b22', border: '1px solid #2c313c' }} />
              <Legend />
              <Bar dataKey="sensitivity" fill="#ff7a59" isAnimationActive={false} />
              <Bar dataKey="specificity" fill="#4cc38a" isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </div>
      )}
    </section>
  );
}
