import fs from 'node:fs';
import path from 'node:path';
import type { Strategy } from '@concord/trainer/al/uncertainty';
import { learningCurvesSvg, svgToPng, type Series } from './png-chart.js';

const STRATEGY_COLORS: Record<Strategy, string> = {
  entropy: '#c81e1e',
  bald: '#1e5ac8',
  margin: '#1e963c',
  random: '#787878',
  badge: '#b4780a',
  balanced: '#8c28a0',
};

/** One point of a learning curve: a metric at a number of final labels, for one strategy. */
export interface CurveSample {
  strategy: Strategy;
  labels: number;
  auc: number | null;
  accuracy: number | null;
}

/**
 * Test AUC and accuracy against labels, one line per strategy, written as `<base>.svg` and
 * `<base>.png` (the SVG keeps the text where no system font renders it). Returns both paths.
 */
export function writeCurvesChart(outDir: string, base: string, samples: CurveSample[], strategies: Strategy[], note = ''): string[] {
  const series = (metric: 'auc' | 'accuracy'): Series[] =>
    strategies.map((s) => ({
      name: s,
      color: STRATEGY_COLORS[s],
      points: samples.filter((p) => p.strategy === s && p[metric] !== null).map((p) => ({ x: p.labels, y: p[metric] as number })),
    }));
  const svg = learningCurvesSvg(
    [
      { title: `Test ROC AUC${note}`, yLabel: 'AUC (frozen test set)', series: series('auc'), yMin: 0.3, yMax: 1 },
      { title: `Test accuracy${note}`, yLabel: "accuracy at the model's threshold", series: series('accuracy'), yMin: 0.3, yMax: 1 },
    ],
    'final labels used for training',
  );
  fs.mkdirSync(outDir, { recursive: true });
  const svgPath = path.join(outDir, `${base}.svg`);
  const pngPath = path.join(outDir, `${base}.png`);
  fs.writeFileSync(svgPath, svg);
  fs.writeFileSync(pngPath, svgToPng(svg));
  return [svgPath, pngPath];
}
