import type { Trajectory } from '../../episode/trajectory.ts';
import type { Summary } from '../summary.ts';
import { EPISODE_STYLE, renderEpisode } from './episode.ts';
import { episodeAnchor, escapeHtml } from './escape.ts';
import { barChart, heatMap, lineChart } from './svg.ts';

export interface ReportInput {
  title: string;
  summary: Summary;
  episodes: readonly Trajectory[];
  /** Shown as a definition list (config and provenance, no secrets). */
  meta: Record<string, string>;
}

const fmt = (x: number | null, digits = 3): string => (x === null ? 'n/a' : x.toFixed(digits));

/** One episode as a collapsible block (the shared renderer, `episode.ts`). */
export function episodeHtml(e: Trajectory, sharedSystem: string | undefined): string {
  return renderEpisode(e, { sharedSystem, layout: 'details' });
}

/** The report's style sheet (the viewer serves the same rules, plus its own). */
export const BASE_STYLE = `body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1100px}
h1{font-size:20px}.plots{display:flex;flex-wrap:wrap;gap:16px}figure.plot{margin:0;border:1px solid #ddd;padding:8px;background:#fff}
figcaption{font-weight:600;margin-bottom:4px}table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:3px 8px;text-align:right}
dl{display:grid;grid-template-columns:max-content auto;gap:2px 12px}dt{font-weight:600}`;
export const STYLE = `${BASE_STYLE}\n${EPISODE_STYLE}`;

/** A self-contained HTML report: inline CSS and SVG, no scripts, no network. All text escaped. */
export function renderReport(input: ReportInput): string {
  const s = input.summary;
  const ks = Object.keys(s.passHatK);
  const series = (rec: Record<string, number | null>) =>
    ks.flatMap((k, i): [number, number][] => (rec[k] === null || rec[k] === undefined ? [] : [[i, rec[k]!]]));
  const passCurve = lineChart('pass^k and pass@k', ks.map((k) => `k=${k}`), [
    { name: 'pass^k', color: '#c2474a', points: series(s.passHatK) },
    { name: 'pass@k', color: '#4a78c2', points: series(s.passAtK) },
  ]);
  const heat = heatMap(
    'per-task success over trials',
    s.perTask.map((t) => ({
      label: t.taskId,
      cells: t.rewards.map((r, trial) => ({ value: r, href: episodeAnchor(t.taskId, trial) })),
    })),
  );
  const stepBars = Object.entries(s.stepsPerEpisode.histogram)
    .map(([k, v]) => ({ label: k, value: v }))
    .sort((a, b) => Number(a.label) - Number(b.label));
  const steps = barChart('agent turns per episode', stepBars);
  const terms = barChart('termination reasons', Object.entries(s.terminations).map(([label, value]) => ({ label, value })), '#8a6fc2');
  const columns: [string, Summary][] = [['', s], ...Object.entries(s.byModality ?? {}).map(([m, ms]): [string, Summary] => [m, ms])];
  const metricsTable = metricsHtml(columns, ks);
  const meta = Object.entries(input.meta)
    .map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`)
    .join('');
  // The system prompt (the policy) is usually the same in every episode: shown once.
  const sharedSystem = mostCommonSystem(input.episodes);
  const sorted = [...input.episodes].sort((a, b) => (a.taskId === b.taskId ? a.trial - b.trial : a.taskIndex - b.taskIndex));
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:${s.speech ? "; media-src 'self'" : ''}">
<title>${escapeHtml(input.title)}</title><style>${STYLE}</style></head><body>
<h1>${escapeHtml(input.title)}</h1><dl>${meta}</dl>
${metricsTable}
<div class="plots">${passCurve}${steps}${terms}${heat}</div>
${sharedSystem === undefined ? '' : `<details class="system"><summary>system prompt of this run's episodes</summary><pre>${escapeHtml(sharedSystem)}</pre></details>`}
<h2>Episodes</h2>${sorted.map((e) => episodeHtml(e, sharedSystem)).join('\n')}
</body></html>
`;
}

function metricRows(s: Summary, ks: readonly string[]): [string, string][] {
  return [
    ...ks.map((k): [string, string] => [`pass^${k}`, fmt(s.passHatK[k] ?? null)]),
    ['mean reward', fmt(s.meanReward)],
    ['episodes', String(s.episodes)],
    ['errors', String(s.errors)],
    ['turns per episode', fmt(s.stepsPerEpisode.mean, 2)],
    ['tool errors per episode', fmt(s.toolErrorsPerEpisode, 2)],
    ["'wait' per turn", fmt(s.waitTokensPerTurn, 3)],
    ['reply length (chars)', fmt(s.replyChars, 1)],
    ['cost (USD)', s.costUsd === null ? 'unknown' : s.costUsd.toFixed(4)],
  ];
}

/**
 * The headline figures: one column for a text run; for a run with a modality, the whole run and
 * then every figure over its text and its speech episodes alone, plus what speech cost.
 */
function metricsHtml(columns: readonly [string, Summary][], ks: readonly string[]): string {
  const rows = columns.map(([, s]) => metricRows(s, ks));
  const head = columns.length > 1 ? `<thead><tr><th>metric</th>${columns.map(([m]) => `<th>${escapeHtml(m || 'all')}</th>`).join('')}</tr></thead>` : '';
  const body = rows[0]!.map(([k], i) => `<tr><th>${escapeHtml(k)}</th>${rows.map((r) => `<td>${escapeHtml(r[i]![1])}</td>`).join('')}</tr>`).join('');
  const c = columns[0]![1].speech;
  const speech = c
    ? `<table class="speech"><caption>speech cost (${c.episodes} spoken episodes, ${c.utterances} utterances)</caption><tbody>${(
        [
          ['TTS seconds per episode', c.ttsSecondsPerEpisode.toFixed(3)],
          ['audio KiB per episode', (c.audioBytesPerEpisode / 1024).toFixed(1)],
          ['audio seconds per episode', c.audioSecondsPerEpisode.toFixed(2)],
          ['TTS cache hits', c.cacheHitRate === null ? 'n/a' : `${(c.cacheHitRate * 100).toFixed(0)}%`],
        ] as const
      )
        .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`)
        .join('')}</tbody></table>`
    : '';
  return `<table${columns.length > 1 ? ' class="metrics"' : ''}>${head}<tbody>${body}</tbody></table>${speech}`;
}

export function mostCommonSystem(episodes: readonly Trajectory[]): string | undefined {
  const counts = new Map<string, number>();
  for (const e of episodes) {
    const m = e.messages[0];
    if (m?.role === 'system') counts.set(m.content, (counts.get(m.content) ?? 0) + 1);
  }
  let best: string | undefined;
  let n = 0;
  for (const [text, c] of counts) if (c > n) [best, n] = [text, c];
  return best;
}
