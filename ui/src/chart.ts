import { h, s } from './dom';
import type { Point } from './metrics';

const W = 420;
const H = 120;
const PAD = { left: 44, right: 8, top: 8, bottom: 20 };

function clock(at: number): string {
  return new Date(at).toTimeString().slice(0, 8);
}

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

/**
 * A small line chart as inline SVG (no library): the line, its area, the axis maximum and the time span; gaps where
 * a point has no value. The figure's caption carries the latest value as text, and the SVG an aria-label.
 */
export function lineChart(title: string, points: Point[], format: (v: number) => string): HTMLElement {
  const values = points.map((p) => p.value).filter((v): v is number => v !== null);
  const latest = [...points].reverse().find((p) => p.value !== null)?.value ?? null;
  const max = niceMax(Math.max(0, ...values));
  const caption = h('figcaption', null, h('strong', null, title), ' ', h('span', { class: 'latest' }, latest === null ? 'no data yet' : `latest ${format(latest)}`));
  const label = values.length === 0
    ? `${title}: no samples yet`
    : `${title}: latest ${latest === null ? 'none' : format(latest)}, highest ${format(Math.max(...values))} over ${points.length} samples`;
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': label, class: 'chart' });
  const x0 = PAD.left;
  const x1 = W - PAD.right;
  const y0 = H - PAD.bottom;
  const y1 = PAD.top;
  svg.append(
    s('line', { x1: x0, y1: y0, x2: x1, y2: y0, class: 'axis' }),
    s('line', { x1: x0, y1: y1, x2: x1, y2: y1, class: 'grid' }),
    s('text', { x: x0 - 4, y: y1 + 4, 'text-anchor': 'end', class: 'tick' }, format(max)),
    s('text', { x: x0 - 4, y: y0, 'text-anchor': 'end', class: 'tick' }, '0'),
  );
  if (points.length >= 2) {
    const t0 = points[0].at;
    const span = Math.max(1, points[points.length - 1].at - t0);
    const xy = (p: Point, v: number) => [x0 + ((p.at - t0) / span) * (x1 - x0), y0 - (v / max) * (y0 - y1)];
    let run: number[][] = [];
    const flush = () => {
      if (run.length === 1) svg.append(s('circle', { cx: run[0][0], cy: run[0][1], r: 2, class: 'dot' }));
      if (run.length > 1) {
        const d = run.map(([x, y], i) => `${i ? 'L' : 'M'}${x.toFixed(1)},${y.toFixed(1)}`).join('');
        svg.append(
          s('path', { d: `${d}L${run[run.length - 1][0].toFixed(1)},${y0}L${run[0][0].toFixed(1)},${y0}Z`, class: 'area' }),
          s('path', { d, class: 'line' }),
        );
      }
      run = [];
    };
    for (const p of points) {
      if (p.value === null) flush();
      else run.push(xy(p, p.value));
    }
    flush();
    svg.append(
      s('text', { x: x0, y: H - 4, class: 'tick' }, clock(points[0].at)),
      s('text', { x: x1, y: H - 4, 'text-anchor': 'end', class: 'tick' }, clock(points[points.length - 1].at)),
    );
  } else {
    svg.append(s('text', { x: (x0 + x1) / 2, y: (y0 + y1) / 2, 'text-anchor': 'middle', class: 'tick' }, 'collecting samples…'));
  }
  return h('figure', { class: 'chart-box' }, caption, svg);
}
