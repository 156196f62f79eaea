import { Resvg } from '@resvg/resvg-js';

export interface Series {
  name: string;
  color: string;
  points: { x: number; y: number }[];
}
export interface Panel {
  title: string;
  yLabel: string;
  series: Series[];
  yMin?: number;
  yMax?: number;
}

const W = 520,
  H = 360,
  M = { left: 60, right: 20, top: 36, bottom: 50 };

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Round tick steps (1, 2, 5 × 10^n) giving about `want` ticks over the span. */
function ticks(min: number, max: number, want: number): number[] {
  const raw = (max - min) / Math.max(1, want);
  const mag = 10 ** Math.floor(Math.log10(raw || 1));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + 1e-9; v += step) out.push(+v.toFixed(6));
  return out;
}

function panelSvg(p: Panel, xLabel: string, dx: number): string {
  const pts = p.series.flatMap((s) => s.points);
  const xs = pts.map((q) => q.x);
  const xMin = Math.min(...xs, 0),
    xMax = Math.max(...xs, xMin + 1);
  const yMin = p.yMin ?? 0.4,
    yMax = p.yMax ?? 1;
  const pw = W - M.left - M.right,
    ph = H - M.top - M.bottom;
  const X = (x: number) => dx + M.left + ((x - xMin) / (xMax - xMin)) * pw;
  const Y = (y: number) => M.top + ph - ((Math.min(yMax, Math.max(yMin, y)) - yMin) / (yMax - yMin)) * ph;
  const parts: string[] = [];
  for (const t of ticks(yMin, yMax, 6)) {
    parts.push(`<line x1="${X(xMin)}" x2="${X(xMax)}" y1="${Y(t)}" y2="${Y(t)}" stroke="#e4e4e4"/>`);
    parts.push(`<text x="${X(xMin) - 6}" y="${Y(t) + 4}" text-anchor="end" font-size="11">${t.toFixed(1)}</text>`);
  }
  for (const t of ticks(xMin, xMax, 6)) {
    parts.push(`<line x1="${X(t)}" x2="${X(t)}" y1="${Y(yMin)}" y2="${Y(yMin) + 4}" stroke="#333"/>`);
    parts.push(`<text x="${X(t)}" y="${Y(yMin) + 16}" text-anchor="middle" font-size="11">${t}</text>`);
  }
  parts.push(`<rect x="${X(xMin)}" y="${M.top}" width="${pw}" height="${ph}" fill="none" stroke="#333"/>`);
  parts.push(`<text x="${dx + M.left + pw / 2}" y="${H - 12}" text-anchor="middle" font-size="12">${esc(xLabel)}</text>`);
  parts.push(`<text transform="translate(${dx + 16} ${M.top + ph / 2}) rotate(-90)" text-anchor="middle" font-size="12">${esc(p.yLabel)}</text>`);
  parts.push(`<text x="${dx + M.left + pw / 2}" y="${M.top - 14}" text-anchor="middle" font-size="14" font-weight="bold">${esc(p.title)}</text>`);
  for (const s of p.series) {
    const sorted = [...s.points].sort((a, b) => a.x - b.x);
    if (sorted.length > 1)
      parts.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${sorted.map((q) => `${X(q.x)},${Y(q.y)}`).join(' ')}"/>`);
    for (const q of sorted) parts.push(`<circle cx="${X(q.x)}" cy="${Y(q.y)}" r="3.5" fill="${s.color}"/>`);
  }
  // Legend in the lower right corner, where learning curves rarely are.
  p.series.forEach((s, i) => {
    const ly = M.top + ph - 12 - (p.series.length - 1 - i) * 16;
    const lx = dx + M.left + pw - 110;
    parts.push(`<line x1="${lx}" x2="${lx + 20}" y1="${ly}" y2="${ly}" stroke="${s.color}" stroke-width="3"/>`);
    parts.push(`<text x="${lx + 26}" y="${ly + 4}" font-size="12">${esc(s.name)}</text>`);
  });
  return parts.join('\n');
}

/** Panels side by side (e.g. test AUC and accuracy against labels), one line per series, as SVG. */
export function learningCurvesSvg(panels: Panel[], xLabel: string): string {
  const width = W * panels.length;
  const body = panels.map((p, i) => panelSvg(p, xLabel, i * W)).join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${H}" viewBox="0 0 ${width} ${H}" font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif">
<rect width="${width}" height="${H}" fill="white"/>
${body}
</svg>
`;
}

/**
 * SVG → PNG with resvg (prebuilt binary from npm, no native build). Text needs a system font
 * (DejaVu here); without one the lines still render and the SVG beside the PNG keeps the text.
 */
export function svgToPng(svg: string): Buffer {
  return Buffer.from(new Resvg(svg, { font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' }, fitTo: { mode: 'zoom', value: 2 } }).render().asPng());
}
