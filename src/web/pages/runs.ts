import { existsSync } from 'node:fs';
import { escapeHtml } from '../../eval/report/escape.ts';
import { curveChart, lineChart, type Series } from '../../eval/report/svg.ts';
import type { EpisodeIndex } from '../../run/episode-log.ts';
import type { RunManifest } from '../../run/run-dir.ts';
import { PALETTE } from '../curves.ts';
import { passCurves, recordModalities, taskOutcomes, type TaskOutcomes } from '../pass-rates.ts';
import type { RunCatalog, ViewedRun } from '../runs.ts';
import { dl, link, page, problemsHtml, qs } from './layout.ts';

const f3 = (x: number | null | undefined): string => (x === null || x === undefined ? 'n/a' : x.toFixed(3));
const json = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

/** What the index found wrong with `episodes.jsonl`, as lines for `problemsHtml`. */
export function indexProblems(idx: EpisodeIndex): { items: string[]; more: number } {
  const items = idx.problems.slice(0, 20).map((p) => `episodes.jsonl line ${p.line}: ${p.message}`);
  if (idx.tail > 0) items.push(`episodes.jsonl ends in ${idx.tail} bytes without a newline: a record being written, or cut off by a crash (not shown)`);
  if (idx.duplicates > 0) items.push(`episodes.jsonl: ${idx.duplicates} later records repeat an earlier key (the first is shown)`);
  return { items, more: Math.max(0, idx.corrupt - 20) };
}

function provenanceRows(m: RunManifest): [string, string][] {
  const p = m.provenance;
  return [
    ['kind', m.kind],
    ['created', m.createdAt],
    ['commit', p.commit ?? 'unknown'],
    ['tarl', `${p.tarlVersion} · node ${p.node}`],
    ...Object.entries(p.data)
      .filter(([k]) => k !== 'worlds')
      .map(([k, v]): [string, string] => [`data.${k}`, json(v)]),
    ['seeds', json(p.seeds)],
    ...Object.entries(p.models).map(([k, v]): [string, string] => [`model.${k}`, json(v)]),
  ];
}

function passKChart(title: string, curves: { label: string; points: ReturnType<typeof passCurves> }[]): string {
  const kmax = Math.max(0, ...curves.map((c) => c.points.length));
  if (kmax === 0) return '';
  const series: Series[] = curves.map((c, i) => ({
    name: c.label,
    color: PALETTE[i % PALETTE.length]!,
    points: c.points.flatMap((p, j): [number, number][] => (p.passHat === null ? [] : [[j, p.passHat]])),
  }));
  return lineChart(title, Array.from({ length: kmax }, (_, i) => `k=${i + 1}`), series);
}

/** Eval steps of a training run with their pass^k (from each eval run's index: live). */
async function evalSteps(cat: RunCatalog, r: ViewedRun): Promise<{ run: ViewedRun; out: TaskOutcomes; curves: ReturnType<typeof passCurves> }[]> {
  const out = [];
  for (const e of cat.evalRuns(r)) {
    const o = taskOutcomes(await cat.index(e));
    out.push({ run: e, out: o, curves: passCurves(o) });
  }
  return out;
}

/** Up to `n` items spread evenly, always keeping the first and the last. */
function spread<T>(xs: readonly T[], n: number): T[] {
  if (xs.length <= n) return [...xs];
  return Array.from({ length: n }, (_, i) => xs[Math.round((i * (xs.length - 1)) / (n - 1))]!);
}

/**
 * pass^k, pass@k, terminations; for a run whose records state a modality, each figure also over
 * every modality's episodes alone (a column and a curve per modality).
 */
function evalSummaryHtml(idx: EpisodeIndex, trials: number | undefined): string {
  const o = taskOutcomes(idx);
  const k = trials ?? o.maxTrials;
  const parts: [string, TaskOutcomes][] = [['', o], ...recordModalities(idx).map((m): [string, TaskOutcomes] => [m, taskOutcomes(idx, m)])];
  const curves = parts.map(([m, out]) => ({ m, out, curves: passCurves(out, k) }));
  const split = parts.length > 1;
  const head = `<tr><th></th>${curves.map((c) => `<th>pass^k${c.m ? ` (${escapeHtml(c.m)})` : ''}</th><th>pass@k${c.m ? ` (${escapeHtml(c.m)})` : ''}</th>`).join('')}</tr>`;
  const rows = curves[0]!.curves.map((_, i) => `<tr><th>k=${i + 1}</th>${curves.map((c) => `<td>${f3(c.curves[i]?.passHat)}</td><td>${f3(c.curves[i]?.passAt)}</td>`).join('')}</tr>`).join('');
  const counts = curves.map(({ m, out }) => {
    const terms = Object.entries(out.terminations)
      .map(([t, v]) => `${t} ${v}`)
      .join(' · ');
    return `<p>${escapeHtml(`${m ? `${m}: ` : ''}${out.byTask.size} tasks · ${out.episodes} episodes · ${terms}`)}</p>`;
  });
  const chart = passKChart('pass^k', split ? curves.map((c) => ({ label: c.m || 'all', points: c.curves })) : [{ label: 'pass^k', points: curves[0]!.curves }]);
  return `<div class="summary"><table class="passk"><thead>${head}</thead><tbody>${rows}</tbody></table>
${counts.join('')}</div><div class="plots">${chart}</div>`;
}

export async function overviewPage(cat: RunCatalog): Promise<string> {
  let body = '';
  for (const r of cat.roots()) {
    const m = cat.manifest(r);
    body += `<section class="runcard"><h2>${link(`/runs/${r.id}`, r.label)}</h2>`;
    if (!m.ok) {
      body += problemsHtml('run.json could not be read', [m.error]);
      body += '</section>';
      continue;
    }
    const idx = await cat.index(r);
    const pr = indexProblems(idx);
    body += dl([...provenanceRows(m.value), ['episodes', String(idx.count)]]);
    body += `<details><summary>config</summary><pre>${escapeHtml(JSON.stringify(m.value.config, null, 2))}</pre></details>`;
    body += problemsHtml('problems in this run’s files', pr.items, pr.more);
    if (m.value.kind === 'train' || m.value.kind === 'sft') {
      const steps = await evalSteps(cat, r);
      const chart = passKChart('held-out pass^k by training step', spread(steps, 6).map((s) => ({ label: `step ${s.run.evalStep}`, points: s.curves })));
      body += chart ? `<div class="plots">${chart}</div>` : '<p class="muted">no held-out evaluations yet</p>';
    } else {
      const trials = typeof m.value.config.trials === 'number' ? m.value.config.trials : undefined;
      body += evalSummaryHtml(idx, trials);
    }
    body += '</section>';
  }
  return page({ title: 'Runs', body });
}

interface RolloutStep {
  step: number;
  n: number;
  pass: number;
  shaped: number;
  dropped: number;
  neg: number;
  /** Per modality (runs whose records state one): rollouts, successes, summed shaped reward. */
  by: Map<string, { n: number; pass: number; shaped: number }>;
}

/** Per training step: rollouts, success, mean shaped reward, dropped groups (from the index). */
function rolloutSteps(idx: EpisodeIndex): RolloutStep[] {
  const by = new Map<number, RolloutStep>();
  for (let i = 0; i < idx.count; i++) {
    const h = idx.head(i);
    if (h.step === null) continue;
    let s = by.get(h.step);
    if (!s) by.set(h.step, (s = { step: h.step, n: 0, pass: 0, shaped: 0, dropped: 0, neg: 0, by: new Map() }));
    s.n++;
    if (h.reward >= 1) s.pass++;
    s.shaped += h.shaped ?? 0;
    if (h.modality !== null) {
      let mm = s.by.get(h.modality);
      if (!mm) s.by.set(h.modality, (mm = { n: 0, pass: 0, shaped: 0 }));
      mm.n++;
      if (h.reward >= 1) mm.pass++;
      mm.shaped += h.shaped ?? 0;
    }
    if (h.kept === false) s.dropped++;
    if (h.negTurn !== null) s.neg++;
  }
  return [...by.values()].sort((a, b) => a.step - b.step);
}

export async function runPage(cat: RunCatalog, r: ViewedRun): Promise<string> {
  const m = cat.manifest(r);
  const crumbs: [string, string][] = r.evalStep === null ? [] : [[`/runs/${r.root}`, cat.roots()[r.root]!.label]];
  if (!m.ok) return page({ title: cat.name(r), crumbs, body: problemsHtml('run.json could not be read', [m.error]) });
  const idx = await cat.index(r);
  const pr = indexProblems(idx);
  const base = `/runs/${r.id}`;
  const files = ['run.json', 'results.json', 'report.html', 'metrics.jsonl', 'verdicts.jsonl', 'episodes.jsonl'].filter((f) => existsSync(r.run.path(f)));
  let body = problemsHtml('problems in this run’s files', pr.items, pr.more);
  body += `<p class="links">${link(`${base}/episodes`, `episodes (${idx.count})`)} · ${link(`${base}/episodes${qs({ outcome: 'fail' })}`, 'failures')} · ${link(`${base}/episodes${qs({ neg: '1' })}`, 'with a −1 verdict')} · ${link(`/compare${qs({ a: r.id })}`, 'compare with…')}</p>`;
  body += `<p class="links">files: ${files.map((f) => link(`${base}/files/${f}`, f)).join(' · ') || 'none yet'}</p>`;
  body += dl(provenanceRows(m.value));
  body += `<details><summary>config</summary><pre>${escapeHtml(JSON.stringify(m.value.config, null, 2))}</pre></details>`;
  const kind = m.value.kind;
  if (kind === 'train' || kind === 'sft') {
    body += `<h2>Learning curves</h2><div id="curves" data-metrics="/api/runs/${escapeHtml(r.id)}/metrics" data-poll="1000"><p class="status">loading metrics.jsonl…</p><ul class="problems-live"></ul><div class="plots"></div>
<p><label>any metric <select class="metric"><option value="">—</option></select></label></p><div class="plots anyplot"></div></div>`;
    const steps = await evalSteps(cat, r);
    if (steps.length) {
      const p1: [number, number][] = steps.flatMap((s): [number, number][] => (s.curves[0]?.passHat == null ? [] : [[s.run.evalStep!, s.curves[0].passHat]]));
      body += `<h2>Held-out evaluations</h2><div class="plots">${curveChart('held-out pass^1 by step', [{ name: 'pass^1', color: PALETTE[0]!, points: p1 }], { xLabel: 'step', y: [0, 1] })}${passKChart('held-out pass^k by step', spread(steps, 6).map((s) => ({ label: `step ${s.run.evalStep}`, points: s.curves })))}</div>`;
      body += `<table class="list"><thead><tr><th>step</th><th>tasks</th><th>episodes</th><th>pass^1</th><th>pass^k (k = trials)</th><th></th></tr></thead><tbody>${steps
        .map((s) => {
          const last = s.curves.at(-1);
          return `<tr><td>${s.run.evalStep}</td><td>${s.out.byTask.size}</td><td>${s.out.episodes}</td><td>${f3(s.curves[0]?.passHat)}</td><td>${f3(last?.passHat)}</td><td>${link(`/runs/${s.run.id}`, 'open')} · ${link(`/runs/${s.run.id}/episodes${qs({ outcome: 'fail' })}`, 'failures')}</td></tr>`;
        })
        .join('')}</tbody></table>`;
      if (steps.length >= 2) body += `<p>${link(`/compare${qs({ a: steps[0]!.run.id, b: steps.at(-1)!.run.id })}`, `compare step ${steps[0]!.run.evalStep} with step ${steps.at(-1)!.run.evalStep}`)}</p>`;
    }
    const rs = rolloutSteps(idx);
    if (rs.length) {
      const mods = recordModalities(idx);
      const modHead = mods.map((md) => `<th>${escapeHtml(`${md}: rollouts · success · shaped`)}</th>`).join('');
      const modCells = (s: RolloutStep): string =>
        mods
          .map((md) => {
            const x = s.by.get(md);
            return `<td>${x ? escapeHtml(`${x.n} · ${f3(x.pass / x.n)} · ${f3(x.shaped / x.n)}`) : '—'}</td>`;
          })
          .join('');
      body += `<h2>Rollouts by step</h2><table class="list"><thead><tr><th>step</th><th>rollouts</th><th>success</th><th>mean shaped reward</th><th>dropped (no signal)</th><th>with −1</th>${modHead}<th></th></tr></thead><tbody>${spread(rs, 40)
        .map((s) => `<tr><td>${s.step}</td><td>${s.n}</td><td>${f3(s.pass / s.n)}</td><td>${f3(s.shaped / s.n)}</td><td>${s.dropped}</td><td>${s.neg}</td>${modCells(s)}<td>${link(`${base}/episodes${qs({ step: s.step })}`, 'episodes')}</td></tr>`)
        .join('')}</tbody></table>`;
    }
    const ckpts = r.run.checkpointSteps();
    const tok = r.run.tokenizerFile();
    body += `<p class="muted">${escapeHtml(`checkpoints: ${ckpts.length ? [...ckpts].reverse().join(', ') : 'none'} · tokenizer: ${tok ?? 'none found (tokens are shown as ids)'}`)}</p>`;
  }
  const o = taskOutcomes(idx);
  if (o.episodes > 0) {
    const trials = typeof m.value.config.trials === 'number' ? m.value.config.trials : undefined;
    body += `<h2>Evaluation</h2>${evalSummaryHtml(idx, trials)}`;
  }
  return page({ title: cat.name(r), crumbs, body });
}
