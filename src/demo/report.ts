import type { Diff } from '../eval/compare.ts';
import { escapeHtml } from '../eval/report/escape.ts';
import { STYLE, episodeHtml, mostCommonSystem } from '../eval/report/html.ts';
import { curveChart, divergingBars, lineChart } from '../eval/report/svg.ts';
import type { Summary } from '../eval/summary.ts';
import type { Trajectory } from '../episode/trajectory.ts';
import type { MetricsLine } from '../run/run-dir.ts';
import type { DemoSpeechSummary } from './speech.ts';

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
  /** The speech stage (`--modality mixed|speech`): its figures and its RL run's metrics. */
  speech?: { summary: DemoSpeechSummary; metrics: readonly MetricsLine[] };
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
${r.speech ? speechSection(r.speech.summary, r.speech.metrics, c) : ''}
<h2>Time</h2><table><tbody>${timings}</tbody></table>
${sharedSystem === undefined ? '' : `<details class="system"><summary>system prompt</summary><pre>${escapeHtml(sharedSystem)}</pre></details>`}
<h2>Held-out episodes after RL, with each turn's verdict</h2>${r.episodes.map((e) => episodeHtml(e, sharedSystem)).join('\n')}
</body></html>
`;
}

/** The speech stage: held-out pass^1 by modality before and after, what speech cost, rewards by modality. */
function speechSection(s: DemoSpeechSummary, lines: readonly MetricsLine[], c: readonly string[]): string {
  const f = (x: number | undefined, d = 3): string => (x === undefined ? 'n/a' : x.toFixed(d));
  const rows = (['text', 'speech'] as const).flatMap((m) => {
    const b = s.before[m];
    const a = s.after[m];
    if (!b && !a) return [];
    return [`<tr><th>${m}</th><td>${b?.episodes ?? 0}</td><td>${f(b?.floor)}</td><td>${f(b?.pass1)}</td><td>${f(a?.pass1)}</td></tr>`];
  });
  const k = s.costs;
  const costs: [string, string][] = [
    ['TTS seconds per spoken episode (synthesis or cache read)', f(k?.ttsSecondsPerEpisode)],
    ['audio bytes per spoken episode', k ? Math.round(k.audioBytesPerEpisode).toLocaleString('en-US') : 'n/a'],
    ['seconds of audio per spoken episode', f(k?.audioSecondsPerEpisode, 2)],
    ['utterances served by the TTS cache', k?.cacheHitRate == null ? 'n/a' : `${(k.cacheHitRate * 100).toFixed(0)}%`],
    ['training tokens/s (forward_backward)', f(s.trainTokensPerSecond, 0)],
    ['audio placeholder share of the tokens trained on', `${(s.audioTokenShare * 100).toFixed(1)}%`],
  ];
  const curve = curveChart('speech stage: reward by modality', [
    { name: 'text', color: c[1]!, points: series(lines, 'reward/mean/text') },
    { name: 'speech', color: c[0]!, points: series(lines, 'reward/mean/speech') },
  ], { xLabel: 'RL step' });
  return `<h2>Speech stage</h2>
<p>${escapeHtml(`${s.steps} RL steps on ${s.model}, user turns ${s.modality === 'mixed' ? `spoken in a share of ${s.speechRatio} of the episodes` : 'all spoken'} (espeak-ng unless configured otherwise). The model is random: this stage shows spoken and typed rollouts training together and what speech costs, not that a model learns to hear in a few steps.`)}</p>
<table><thead><tr><th>held-out</th><th>episodes</th><th>do-nothing floor</th><th>pass^1 before</th><th>pass^1 after</th></tr></thead><tbody>${rows.join('')}</tbody></table>
<table><tbody>${costs.map(([name, v]) => `<tr><th>${escapeHtml(name)}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</tbody></table>
<div class="plots">${curve}</div>`;
}
