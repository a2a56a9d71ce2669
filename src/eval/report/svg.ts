import { escapeHtml } from './escape.ts';

/** Small dependency-free SVG charts for the self-contained report (no network, no scripts). */

const W = 420;
const H = 220;
const PAD = { l: 44, r: 12, t: 14, b: 34 };

export interface Series {
  name: string;
  color: string;
  points: [number, number][];
}

function axes(xLabels: string[], yMax: number, yTicks: number[]): string {
  const ih = H - PAD.t - PAD.b;
  const iw = W - PAD.l - PAD.r;
  let s = `<rect x="${PAD.l}" y="${PAD.t}" width="${iw}" height="${ih}" fill="#fafafa" stroke="#bbb"/>`;
  for (const t of yTicks) {
    const y = PAD.t + ih - (t / yMax) * ih;
    s += `<line x1="${PAD.l}" x2="${W - PAD.r}" y1="${y}" y2="${y}" stroke="#e3e3e3"/>`;
    s += `<text x="${PAD.l - 6}" y="${y + 4}" font-size="11" text-anchor="end">${escapeHtml(String(+t.toFixed(2)))}</text>`;
  }
  xLabels.forEach((l, i) => {
    const x = PAD.l + ((i + 0.5) / xLabels.length) * iw;
    s += `<text x="${x}" y="${H - PAD.b + 16}" font-size="11" text-anchor="middle">${escapeHtml(l)}</text>`;
  });
  return s;
}

/**
 * Lines over categorical x (e.g. k = 1..n), y in [0, 1]. Series are drawn in order, each thinner
 * than the one before and with a smaller marker, so lines that coincide (pass^k = pass@k when
 * every task always passes or always fails) stay visible as a line inside a wider one.
 */
export function lineChart(title: string, xLabels: string[], series: Series[]): string {
  const ih = H - PAD.t - PAD.b;
  const iw = W - PAD.l - PAD.r;
  let s = axes(xLabels, 1, [0, 0.25, 0.5, 0.75, 1]);
  const key = (se: Series): string => se.points.map((p) => p.join(':')).join(' ');
  series.forEach((se, si) => {
    const width = 2.5 + 4 * (series.length - 1 - si);
    const r = 3.5 + 2.5 * (series.length - 1 - si);
    const pts = se.points.map(([xi, y]) => [PAD.l + ((xi + 0.5) / xLabels.length) * iw, PAD.t + ih - y * ih] as const);
    if (pts.length > 1) s += `<polyline fill="none" stroke="${se.color}" stroke-width="${width}" stroke-linejoin="round" points="${pts.map((p) => p.join(',')).join(' ')}"/>`;
    for (const [x, y] of pts) s += `<circle cx="${x}" cy="${y}" r="${r}" fill="${se.color}"/>`;
    // Legend in the lower left, where pass^k (falling) and pass@k (rising) leave room.
    const same = series.filter((o) => o !== se && key(o) === key(se)).map((o) => o.name);
    const ly = PAD.t + ih - 8 - (series.length - si) * 16;
    s += `<rect x="${PAD.l + 8}" y="${ly}" width="10" height="10" fill="${se.color}"/>`;
    s += `<text x="${PAD.l + 22}" y="${ly + 9}" font-size="11">${escapeHtml(same.length ? `${se.name} (= ${same.join(', ')})` : se.name)}</text>`;
  });
  return figure(title, s);
}

/** Vertical bars over categories; the y axis ends on a round tick (1, 2 or 5 × 10^k apart). */
export function barChart(title: string, bars: { label: string; value: number; color?: string }[], color = '#4a78c2'): string {
  const ih = H - PAD.t - PAD.b;
  const iw = W - PAD.l - PAD.r;
  const top = Math.max(1, ...bars.map((b) => b.value));
  const ticks = niceTicks(0, top, 6).filter((t) => Number.isInteger(t));
  // The axis ends on the first round tick at or above the tallest bar.
  if (ticks.at(-1)! < top) ticks.push(ticks.at(-1)! + (ticks[1]! - ticks[0]!));
  const max = ticks.at(-1)!;
  let s = axes(bars.map((b) => b.label), max, ticks);
  const bw = (iw / Math.max(1, bars.length)) * 0.7;
  bars.forEach((b, i) => {
    const h = (b.value / max) * ih;
    const x = PAD.l + ((i + 0.5) / bars.length) * iw - bw / 2;
    s += `<rect x="${x}" y="${PAD.t + ih - h}" width="${bw}" height="${h}" fill="${b.color ?? color}"><title>${escapeHtml(`${b.label}: ${b.value}`)}</title></rect>`;
  });
  return figure(title, s);
}

/** A heat-map cell: 1 passed, 0 failed, `error` the episode ended in error, null no record. */
export interface HeatCell {
  value: number | null;
  error?: boolean;
  href: string;
}

export const HEAT_COLOURS = { pass: '#2e9d4f', fail: '#d2463c', error: '#e69a1c', missing: '#cccccc' } as const;

/** Rows × columns of cells, each a link (`href` as given): passed green, failed red, errored amber, missing grey. */
export function heatMap(title: string, rows: { label: string; cells: HeatCell[] }[], note?: string): string {
  const cell = 16;
  const labelW = 90;
  const cols = Math.max(1, ...rows.map((r) => r.cells.length));
  const w = labelW + cols * cell + 10;
  const h = 22 + rows.length * cell;
  let s = '';
  for (let c = 0; c < cols; c++) s += `<text x="${labelW + c * cell + cell / 2}" y="14" font-size="10" text-anchor="middle">${c}</text>`;
  rows.forEach((r, ri) => {
    const y = 20 + ri * cell;
    s += `<text x="${labelW - 6}" y="${y + 12}" font-size="10" text-anchor="end">${escapeHtml(r.label)}</text>`;
    r.cells.forEach((c, ci) => {
      const what = c.value === null ? 'missing' : c.error ? 'error' : c.value >= 1 ? 'pass' : 'fail';
      s += `<a href="${escapeHtml(c.href)}"><rect x="${labelW + ci * cell}" y="${y}" width="${cell - 2}" height="${cell - 2}" fill="${HEAT_COLOURS[what]}"><title>${escapeHtml(`${r.label} trial ${ci}: ${what === 'missing' ? 'no record' : what === 'error' ? 'error' : c.value}`)}</title></rect></a>`;
    });
  });
  const legend = (['pass', 'fail', 'error', 'missing'] as const).map((k) => `<span class="sw sw-${k}"></span>${k === 'fail' ? 'failed' : k === 'error' ? 'errored' : k === 'pass' ? 'passed' : 'no record'}`).join(' ');
  return `<figure class="plot heat" data-plot="${escapeHtml(title)}"><figcaption>${escapeHtml(title)}</figcaption><p class="legend">${legend}${note ? ` · ${escapeHtml(note)}` : ''}</p><svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">${s}</svg></figure>`;
}

function figure(title: string, body: string): string {
  return `<figure class="plot" data-plot="${escapeHtml(title)}"><figcaption>${escapeHtml(title)}</figcaption><svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">${body}</svg></figure>`;
}

/** Horizontal bars around zero (e.g. per-task differences), with an optional shaded interval. */
export function divergingBars(title: string, bars: { label: string; value: number }[], band?: [number, number], w = 460): string {
  const labelW = Math.min(240, Math.max(90, 12 + 6 * Math.max(0, ...bars.map((b) => b.label.length))));
  const row = 14;
  const h = 30 + bars.length * row;
  const max = Math.max(1e-9, ...bars.map((b) => Math.abs(b.value)), ...(band ? band.map(Math.abs) : []));
  const mid = labelW + (w - labelW - 10) / 2;
  const scale = (w - labelW - 10) / 2 / max;
  let s = '';
  if (band) s += `<rect x="${mid + band[0] * scale}" y="16" width="${Math.max(1, (band[1] - band[0]) * scale)}" height="${h - 20}" fill="#f2d9a0" opacity="0.6"><title>${escapeHtml(`mean difference CI [${band[0].toFixed(3)}, ${band[1].toFixed(3)}]`)}</title></rect>`;
  s += `<line x1="${mid}" x2="${mid}" y1="12" y2="${h - 4}" stroke="#555"/>`;
  s += `<text x="${mid}" y="10" font-size="10" text-anchor="middle">0</text>`;
  bars.forEach((b, i) => {
    const y = 18 + i * row;
    const x = b.value >= 0 ? mid : mid + b.value * scale;
    s += `<text x="${labelW - 6}" y="${y + 10}" font-size="10" text-anchor="end">${escapeHtml(b.label)}</text>`;
    s += `<rect x="${x}" y="${y}" width="${Math.max(1, Math.abs(b.value) * scale)}" height="${row - 3}" fill="${b.value >= 0 ? '#2e9d4f' : '#d2463c'}"><title>${escapeHtml(`${b.label}: ${b.value >= 0 ? '+' : ''}${b.value.toFixed(3)}`)}</title></rect>`;
  });
  return `<figure class="plot" data-plot="${escapeHtml(title)}"><figcaption>${escapeHtml(title)}</figcaption><svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">${s}</svg></figure>`;
}

/** Round tick values covering [lo, hi] (1, 2 or 5 × 10^k apart), about `n` of them. */
export function niceTicks(lo: number, hi: number, n = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / Math.max(1, n - 1);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step) out.push(+t.toPrecision(12));
  return out;
}

/**
 * Lines over a numeric x (e.g. training steps or seconds), y scaled to the data (or to `y`), with
 * optional horizontal reference lines (e.g. a do-nothing floor). Used for learning curves.
 */
export function curveChart(title: string, series: Series[], o: { xLabel?: string; y?: [number, number]; refs?: { label: string; value: number; color: string }[] } = {}): string {
  const ih = H - PAD.t - PAD.b;
  const iw = W - PAD.l - PAD.r;
  const pts = series.flatMap((s) => s.points);
  const xs = pts.map((p) => p[0]);
  const ys = [...pts.map((p) => p[1]), ...(o.refs ?? []).map((r) => r.value)];
  const x0 = xs.length ? Math.min(...xs) : 0;
  const x1 = xs.length ? Math.max(...xs) : 1;
  let [y0, y1] = o.y ?? [ys.length ? Math.min(...ys) : 0, ys.length ? Math.max(...ys) : 1];
  if (y1 - y0 < 1e-9) [y0, y1] = [y0 - 0.5, y1 + 0.5];
  const yTicks = niceTicks(y0, y1);
  const lo = Math.min(y0, yTicks[0]!);
  const hi = Math.max(y1, yTicks.at(-1)!);
  const X = (x: number): number => PAD.l + (x1 > x0 ? (x - x0) / (x1 - x0) : 0.5) * iw;
  const Y = (y: number): number => PAD.t + ih - ((y - lo) / (hi - lo)) * ih;
  let s = `<rect x="${PAD.l}" y="${PAD.t}" width="${iw}" height="${ih}" fill="#fafafa" stroke="#bbb"/>`;
  for (const t of yTicks) {
    s += `<line x1="${PAD.l}" x2="${W - PAD.r}" y1="${Y(t)}" y2="${Y(t)}" stroke="#e3e3e3"/>`;
    s += `<text x="${PAD.l - 6}" y="${Y(t) + 4}" font-size="11" text-anchor="end">${escapeHtml(String(t))}</text>`;
  }
  for (const t of niceTicks(x0, x1, 6)) s += `<text x="${X(t)}" y="${H - PAD.b + 16}" font-size="11" text-anchor="middle">${escapeHtml(String(t))}</text>`;
  if (o.xLabel) s += `<text x="${PAD.l + iw / 2}" y="${H - 4}" font-size="11" text-anchor="middle" fill="#555">${escapeHtml(o.xLabel)}</text>`;
  for (const r of o.refs ?? []) {
    s += `<line x1="${PAD.l}" x2="${W - PAD.r}" y1="${Y(r.value)}" y2="${Y(r.value)}" stroke="${r.color}" stroke-dasharray="5 4" stroke-width="1.5"/>`;
    s += `<text x="${W - PAD.r - 4}" y="${Y(r.value) - 4}" font-size="10" text-anchor="end" fill="${r.color}">${escapeHtml(r.label)}</text>`;
  }
  series.forEach((se, si) => {
    const p = se.points.map(([x, y]) => `${X(x).toFixed(1)},${Y(y).toFixed(1)}`);
    if (p.length > 1) s += `<polyline fill="none" stroke="${se.color}" stroke-width="2" points="${p.join(' ')}"/>`;
    if (p.length <= 30) for (const [x, y] of se.points) s += `<circle cx="${X(x).toFixed(1)}" cy="${Y(y).toFixed(1)}" r="3" fill="${se.color}"><title>${escapeHtml(`${se.name} at ${x}: ${y.toFixed(4)}`)}</title></circle>`;
    s += `<rect x="${PAD.l + 8 + si * 110}" y="${PAD.t + 6}" width="10" height="10" fill="${se.color}"/>`;
    s += `<text x="${PAD.l + 22 + si * 110}" y="${PAD.t + 15}" font-size="11">${escapeHtml(se.name)}</text>`;
  });
  return figure(title, s);
}
