import type { Diff } from '../eval/compare.ts';
import { escapeHtml } from '../eval/report/escape.ts';
import { STYLE, episodeHtml, mostCommonSystem } from '../eval/report/html.ts';
import { curveChart, divergingBars, lineChart } from '../eval/report/svg.ts';
import type { Summary } from '../eval/summary.ts';
import type { Trajectory } from '../episode/trajectory.ts';
import type { MetricsLine } from '../run/run-dir.ts';

export interface DemoReportInput {
  title: string;
  meta: Record<string, string>;
  sftMetrics: readonly MetricsLine[];
  rlMetrics: readonly MetricsLine[];
  before: { label: string; summary: Summary; pass1: number; pass1Write: number | null };
  after: { label: string; summary: Summary; pass1: number; pass1Write: number | null };
  floor: number;
  /** RL − SFT in pass^1 over write tasks, paired bootstrap over tasks. */
  diff: Diff;
  /** Per write task: RL − SFT success rate. */
  perTask: { label: string; value: number }[];
  /** Held-out episodes after RL (shown with each turn's verdict). */
  episodes: readonly Trajectory[];
  /** Seconds per stage. */
  timings: Record<string, number>;
}

const series = (lines: readonly MetricsLine[], key: string): [number, number][] =>
  lines.flatMap((l): [number, number][] => (typeof l[key] === 'number' && Number.isFinite(l[key]) ? [[l.step, l[key]]] : []));

/**
 * The demo's one page: learning curves of SFT and RL, pass^k before and after RL with the
 * paired bootstrap interval and the do-nothing floor, per-task differences, and the held-out
 * trajectories with each turn's verdict. Self-contained (inline SVG and CSS, no scripts).
 */
export function renderDemoReport(r: DemoReportInput): string {
  const f = (x: number | null): string => (x === null ? 'n/a' : x.toFixed(3));
  const c = ['#c2474a', '#4a78c2', '#2e9d4f', '#8a6fc2'];
  const curves = [
    curveChart('SFT: loss (train, held-out)', [
      { name: 'train', color: c[1]!, points: series(r.sftMetrics, 'loss/train') },
      { name: 'held-out', color: c[0]!, points: series(r.sftMetrics, 'eval/loss') },
    ], { xLabel: 'SFT step' }),
    curveChart('RL: reward (shaped) and training success', [
      { name: 'reward/mean', color: c[1]!, points: series(r.rlMetrics, 'reward/mean') },
      { name: 'outcome', color: c[2]!, points: series(r.rlMetrics, 'reward/outcome') },
    ], { xLabel: 'RL step' }),
    curveChart('RL: held-out pass^1', [
      { name: 'pass^1', color: c[0]!, points: series(r.rlMetrics, 'eval/pass1') },
      { name: 'pass^1 (write tasks)', color: c[3]!, points: series(r.rlMetrics, 'eval/pass1_write') },
    ], { xLabel: 'RL step', y: [0, 1], refs: [{ label: 'do-nothing floor', value: r.floor, color: '#888' }] }),
    curveChart('RL: KL and entropy', [
      { name: 'KL(old→new)', color: c[1]!, points: series(r.rlMetrics, 'ppo/approx_kl') },
      { name: 'entropy (est.)', color: c[2]!, points: series(r.rlMetrics, 'ppo/entropy_estimate') },
    ], { xLabel: 'RL step' }),
    curveChart('RL: episode length (env/steps)', [{ name: 'turns per episode', color: c[3]!, points: series(r.rlMetrics, 'env/steps') }], { xLabel: 'RL step' }),
  ];
  const ks = Object.keys(r.before.summary.passHatK);
  const passK = (s: Summary): [number, number][] => ks.flatMap((k, i): [number, number][] => (s.passHatK[k] == null ? [] : [[i, s.passHatK[k]!]]));
  const passCurve = lineChart('held-out pass^k before and after RL', ks.map((k) => `k=${k}`), [
    { name: r.before.label, color: c[1]!, points: passK(r.before.summary) },
    { name: r.after.label, color: c[0]!, points: passK(r.after.summary) },
  ]);
  const d = r.diff;
  const rows: [string, string, string][] = [
    ['pass^1 (all held-out tasks)', f(r.before.pass1), f(r.after.pass1)],
    ['pass^1 over tasks that need a write', f(r.before.pass1Write), f(r.after.pass1Write)],
    ['do-nothing floor (pass^1)', f(r.floor), f(r.floor)],
    ...ks.map((k): [string, string, string] => [`pass^${k}`, f(r.before.summary.passHatK[k] ?? null), f(r.after.summary.passHatK[k] ?? null)]),
    ['turns per episode', f(r.before.summary.stepsPerEpisode.mean), f(r.after.summary.stepsPerEpisode.mean)],
  ];
  const verdict =
    d.ci[0] > 0 ? 'RL improved on the SFT start: the interval excludes 0.' : d.ci[1] < 0 ? 'RL made the policy worse: the interval is below 0.' : 'No significant difference: the interval contains 0.';
  const sharedSystem = mostCommonSystem(r.episodes);
  const meta = Object.entries(r.meta).map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('');
  const timings = Object.entries(r.timings).map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${v.toFixed(1)} s</td></tr>`).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(r.title)}</title><style>${STYLE}</style></head><body>
<h1>${escapeHtml(r.title)}</h1><dl>${meta}</dl>
<h2>Held-out result</h2>
<p><strong>${escapeHtml(`${d.metric} over tasks that need a write: ${r.before.label} ${d.a.toFixed(3)} → ${r.after.label} ${d.b.toFixed(3)}, difference ${d.delta >= 0 ? '+' : ''}${d.delta.toFixed(3)}, ${Math.round(d.level * 100)}% CI [${d.ci[0].toFixed(3)}, ${d.ci[1].toFixed(3)}] (paired bootstrap over tasks).`)}</strong> ${escapeHtml(verdict)}</p>
<table><thead><tr><th></th><th>${escapeHtml(r.before.label)}</th><th>${escapeHtml(r.after.label)}</th></tr></thead><tbody>${rows.map(([k, a, b]) => `<tr><th>${escapeHtml(k)}</th><td>${a}</td><td>${b}</td></tr>`).join('')}</tbody></table>
<div class="plots">${passCurve}${divergingBars('per write task: RL − SFT success rate', r.perTask, d.ci)}</div>
<h2>Learning curves</h2><div class="plots">${curves.join('')}</div>
<h2>Time</h2><table><tbody>${timings}</tbody></table>
${sharedSystem === undefined ? '' : `<details class="system"><summary>system prompt</summary><pre>${escapeHtml(sharedSystem)}</pre></details>`}
<h2>Held-out episodes after RL, with each turn's verdict</h2>${r.episodes.map((e) => episodeHtml(e, sharedSystem)).join('\n')}
</body></html>
`;
}
