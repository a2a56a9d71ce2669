import type { Trajectory } from '../../episode/trajectory.ts';
import type { DoNothingFloor } from '../floor.ts';
import type { Summary } from '../summary.ts';
import { EPISODE_STYLE, renderEpisode } from './episode.ts';
import { episodeAnchor, escapeHtml } from './escape.ts';
import { barChart, HEAT_COLOURS, heatMap, lineChart } from './svg.ts';

export interface ReportInput {
  title: string;
  summary: Summary;
  /** The run's episodes in `episodes.jsonl` order: position n is the viewer's episode #n. */
  episodes: readonly Trajectory[];
  /** Shown as a definition list (config and provenance, no secrets). */
  meta: Record<string, string>;
  /** The task set's do-nothing floor (null or absent: not computed, e.g. τ² datasets). */
  floor?: DoNothingFloor | null;
  /** Episodes drawn in full; the rest are linked into `tarl view` (default INLINE_EPISODES). */
  inlineEpisodes?: number;
}

/**
 * Size bounds, so a report stays a few MB however large the run (10k episodes drawn in full
 * made an 83 MB page): episodes drawn in full (errored, then failed, then passed), rows of the
 * list of the others (each a link into `tarl view`), and rows of the heat map.
 */
export const INLINE_EPISODES = 100;
export const LINKED_EPISODES = 1000;
export const HEAT_ROWS = 200;
const TOP_ERRORS = 5;

const fmt = (x: number | null, digits = 3): string => (x === null ? 'n/a' : x.toFixed(digits));

/** One episode as a collapsible block (the shared renderer, `episode.ts`). */
export function episodeHtml(e: Trajectory, sharedSystem: string | undefined): string {
  return renderEpisode(e, { sharedSystem, layout: 'details' });
}

/** The report's style sheet (the viewer serves the same rules, plus its own). */
export const BASE_STYLE = `body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222}
h1{font-size:20px;overflow-wrap:anywhere}.plots{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}figure.plot{margin:0;border:1px solid #ddd;padding:8px;background:#fff;max-width:100%;overflow-x:auto}
figcaption{font-weight:600;margin-bottom:4px}table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:3px 8px;text-align:right}
dl{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:2px 12px}dt{font-weight:600}dd{margin:0;overflow-wrap:anywhere}
.tables{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}.tables caption{font-weight:600;text-align:left;padding-bottom:2px}
td.floor{color:#555;text-align:left}table.errors td{text-align:left;overflow-wrap:anywhere}table.linked td{text-align:left}
.legend .sw{display:inline-block;width:10px;height:10px;margin:0 3px 0 8px;vertical-align:-1px}.sw-pass{background:#2e9d4f}.sw-fail{background:#d2463c}.sw-error{background:#e69a1c}.sw-missing{background:#ccc}`;
export const STYLE = `${BASE_STYLE}\n${EPISODE_STYLE}`;

type Outcome = 'errored' | 'failed' | 'passed';
const outcomeOf = (e: Trajectory): Outcome => (e.termination === 'error' ? 'errored' : e.reward >= 1 ? 'passed' : 'failed');
/** The viewer's page for episode #n, relative to the report as `tarl view` serves it (/runs/ID/files/report.html). */
const viewerHref = (n: number): string => `../episodes/${n}`;

/** A self-contained HTML report: inline CSS and SVG, no scripts, no network. All text escaped. */
export function renderReport(input: ReportInput): string {
  const s = input.summary;
  const eps = input.episodes;
  const ks = Object.keys(s.passHatK);
  const series = (rec: Record<string, number | null>) =>
    ks.flatMap((k, i): [number, number][] => (rec[k] === null || rec[k] === undefined ? [] : [[i, rec[k]!]]));
  // pass@k first: it is drawn wider, so pass^k stays visible on top when the two coincide.
  const passCurve = lineChart('pass^k and pass@k', ks.map((k) => `k=${k}`), [
    { name: 'pass@k', color: '#4a78c2', points: series(s.passAtK) },
    { name: 'pass^k', color: '#c2474a', points: series(s.passHatK) },
  ]);

  // Which episodes are drawn in full: errored first, then failed, then passed, in task order.
  const order = eps.map((e, n) => ({ e, n })).sort((a, b) => (a.e.taskId === b.e.taskId ? a.e.trial - b.e.trial : a.e.taskIndex - b.e.taskIndex));
  const rank: Record<Outcome, number> = { errored: 0, failed: 1, passed: 2 };
  const limit = input.inlineEpisodes ?? INLINE_EPISODES;
  const inline = new Set(order.length <= limit ? order.map((x) => x.n) : [...order].sort((a, b) => rank[outcomeOf(a.e)] - rank[outcomeOf(b.e)]).slice(0, limit).map((x) => x.n));
  const position = new Map(eps.map((e, n) => [`${e.taskId}#${e.trial}`, n]));
  const hrefOf = (taskId: string, trial: number): string => {
    const n = position.get(`${taskId}#${trial}`);
    return n === undefined || inline.has(n) ? `#${episodeAnchor(taskId, trial)}` : viewerHref(n);
  };

  const errored = new Set(eps.filter((e) => e.termination === 'error').map((e) => `${e.taskId}#${e.trial}`));
  let heatRows = s.perTask;
  let heatNote: string | undefined;
  if (heatRows.length > HEAT_ROWS) {
    const notAllPassed = new Set(heatRows.filter((t) => t.rewards.some((r, trial) => r === null || r < 1 || errored.has(`${t.taskId}#${trial}`))));
    heatRows = [...notAllPassed, ...heatRows.filter((t) => !notAllPassed.has(t))].slice(0, HEAT_ROWS);
    heatNote = `${HEAT_ROWS} of ${s.perTask.length} tasks drawn, those with a failure, error or missing trial first`;
  }
  const heat = heatMap(
    'per-task success over trials',
    heatRows.map((t) => ({
      label: t.taskId,
      cells: t.rewards.map((r, trial) => ({ value: r, error: errored.has(`${t.taskId}#${trial}`), href: hrefOf(t.taskId, trial) })),
    })),
    heatNote,
  );
  const stepBars = Object.entries(s.stepsPerEpisode.histogram)
    .map(([k, v]) => ({ label: k, value: v }))
    .sort((a, b) => Number(a.label) - Number(b.label));
  const steps = barChart('agent turns per episode', stepBars);
  const terms = barChart(
    'termination reasons',
    Object.entries(s.terminations).map(([label, value]) => ({ label, value, ...(label === 'error' && { color: HEAT_COLOURS.error }) })),
    '#8a6fc2',
  );

  const counts = { passed: 0, failed: 0, errored: 0 };
  for (const e of eps) counts[outcomeOf(e)]++;
  const floor = input.floor;
  const headline: string[][] = [];
  for (const k of ks) {
    headline.push([`pass^${k}`, fmt(s.passHatK[k] ?? null), k === '1' ? (floor ? `do-nothing floor ${fmt(floor.pass1)} (${floor.passed} of ${floor.tasks} tasks pass with nothing done)` : 'do-nothing floor n/a') : '']);
  }
  headline.push(
    ['episodes', String(s.episodes), `passed ${counts.passed} · failed ${counts.failed} · errored ${counts.errored}`],
    ['mean reward', fmt(s.meanReward), 'verifier outcome; errored episodes count as 0'],
    ['turns per episode', fmt(s.stepsPerEpisode.mean, 2), ''],
    ['tool errors per episode', fmt(s.toolErrorsPerEpisode, 2), ''],
    ["'wait' per turn", fmt(s.waitTokensPerTurn, 3), ''],
    ['reply length (chars)', fmt(s.replyChars, 1), ''],
    ['cost (USD)', s.costUsd === null ? 'unknown' : s.costUsd.toFixed(4), ''],
  );
  // Runs with a modality: every figure again over the text and the speech episodes alone.
  const columns: [string, Summary][] = [['', s], ...Object.entries(s.byModality ?? {}).map(([m, ms]): [string, Summary] => [m, ms])];
  const byModality = columns.length > 1 || s.speech ? metricsHtml(columns, ks) : '';
  const tables = [table('headline', headline, 'headline'), byModality, errorTable(eps, hrefOf), judgeTable(s), shapedTable(s)].filter(Boolean).join('');

  const meta = Object.entries(input.meta)
    .map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`)
    .join('');
  // The system prompt (the policy) is usually the same in every episode: shown once.
  const sharedSystem = mostCommonSystem(eps);
  const drawn = order.filter((x) => inline.has(x.n));
  const linked = order.filter((x) => !inline.has(x.n)).sort((a, b) => rank[outcomeOf(a.e)] - rank[outcomeOf(b.e)]);
  const listed = linked.slice(0, LINKED_EPISODES);
  const linkedHtml = linked.length === 0 ? '' : `<h2 id="linked">Other episodes (${linked.length})</h2>
<p>${escapeHtml(`Drawn above: ${drawn.length} of ${eps.length} episodes (errored, then failed, then passed). The rest open in the viewer: run \`tarl view RUN_DIR\` and open this report from it, where each link below leads to the episode's page${linked.length > listed.length ? `; the first ${listed.length} are listed here, the viewer's episode list has them all` : ''}.`)} <a href="../episodes">all episodes in the viewer</a></p>
<table class="linked"><thead><tr><th>episode</th><th>outcome</th><th>termination</th><th>turns</th></tr></thead><tbody>${listed
    .map(({ e, n }) => `<tr class="${outcomeOf(e)}"><td><a href="${escapeHtml(viewerHref(n))}">${escapeHtml(`${e.taskId} · trial ${e.trial}`)}</a></td><td>${outcomeOf(e)}</td><td>${escapeHtml(e.termination)}</td><td>${e.steps.length}</td></tr>`)
    .join('')}</tbody></table>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:${s.speech ? "; media-src 'self'" : ''}">
<title>${escapeHtml(input.title)}</title><style>${STYLE}</style></head><body>
<h1>${escapeHtml(input.title)}</h1>
<div class="tables"><dl>${meta}</dl>${tables}</div>
<div class="plots">${passCurve}${steps}${terms}${heat}</div>
${sharedSystem === undefined ? '' : `<details class="system"><summary>system prompt of this run's episodes</summary><pre>${escapeHtml(sharedSystem)}</pre></details>`}
<h2>Episodes${drawn.length < eps.length ? ` (${drawn.length} of ${eps.length} drawn)` : ''}</h2>${drawn.map(({ e }) => episodeHtml(e, sharedSystem)).join('\n')}
${linkedHtml}
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

function table(caption: string, rows: string[][], cls: string): string {
  return `<table class="${cls}"><caption>${escapeHtml(caption)}</caption><tbody>${rows
    .map(([k, v, note]) => `<tr><th>${escapeHtml(k ?? '')}</th><td>${escapeHtml(v ?? '')}</td>${note === undefined ? '' : `<td class="floor">${escapeHtml(note)}</td>`}</tr>`)
    .join('')}</tbody></table>`;
}

/** Errored episodes apart from failures: the most common reasons, each with a link to its first episode. */
function errorTable(eps: readonly Trajectory[], hrefOf: (taskId: string, trial: number) => string): string {
  const byReason = new Map<string, { count: number; first: Trajectory }>();
  for (const e of eps) {
    if (e.termination !== 'error') continue;
    const reason = (e.error ?? 'no reason recorded').split('\n')[0]!.slice(0, 200);
    const r = byReason.get(reason);
    if (r) r.count++;
    else byReason.set(reason, { count: 1, first: e });
  }
  if (byReason.size === 0) return '';
  const top = [...byReason].sort((a, b) => b[1].count - a[1].count).slice(0, TOP_ERRORS);
  const rest = eps.filter((e) => e.termination === 'error').length - top.reduce((n, [, r]) => n + r.count, 0);
  return `<table class="errors"><caption>errored episodes (not judged by the verifier; counted as failures in every rate)</caption><thead><tr><th>count</th><th>reason</th><th>first</th></tr></thead><tbody>${top
    .map(([reason, r]) => `<tr><td>${r.count}</td><td>${escapeHtml(reason)}</td><td><a href="${escapeHtml(hrefOf(r.first.taskId, r.first.trial))}">${escapeHtml(`${r.first.taskId} · trial ${r.first.trial}`)}</a></td></tr>`)
    .join('')}${rest ? `<tr><td>${rest}</td><td>other reasons</td><td></td></tr>` : ''}</tbody></table>`;
}

function judgeTable(s: Summary): string {
  const j = s.judge;
  if (!j) return '';
  const share = (n: number): string => (j.turns ? ` (${((100 * n) / j.turns).toFixed(1)}%)` : '');
  return table('judge verdicts', [
    ['judge', j.judges.join(', ')],
    ['episodes judged', String(j.judged), j.failed ? `judge failed on ${j.failed}` : ''],
    ['turns scored', String(j.turns)],
    ['+1', String(j.scores['+1']) + share(j.scores['+1'])],
    ['0', String(j.scores['0']) + share(j.scores['0'])],
    ['−1', String(j.scores['-1']) + share(j.scores['-1'])],
    ['episodes with a −1', String(j.negativeEpisodes.passed + j.negativeEpisodes.failed), `passed ${j.negativeEpisodes.passed} · failed ${j.negativeEpisodes.failed}`],
  ], 'judge');
}

function shapedTable(s: Summary): string {
  const r = s.shapedReward;
  if (!r) return '';
  const how = r.shaping ? `${r.source}: ${r.shaping.mode}, ${r.shaping.formula}, λ = ${r.shaping.lambda}, ${r.shaping.aggregation}` : r.source;
  return table('shaped reward (never a success figure)', [
    ['from', how],
    ['episodes', String(r.episodes)],
    ['mean', fmt(r.mean)],
    ['min · max', `${fmt(r.min)} · ${fmt(r.max)}`],
    ['mean when passed', fmt(r.meanByOutcome.passed)],
    ['mean when failed', fmt(r.meanByOutcome.failed)],
  ], 'shaped');
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
