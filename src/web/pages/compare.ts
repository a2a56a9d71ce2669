import { bootstrapDiff } from '../../eval/compare.ts';
import { renderEpisode } from '../../eval/report/episode.ts';
import { escapeHtml } from '../../eval/report/escape.ts';
import { divergingBars } from '../../eval/report/svg.ts';
import type { TaskResult } from '../../eval/summary.ts';
import { episodeKey } from '../../episode/trajectory.ts';
import { Rng } from '../../generate/prng.ts';
import { kindLabel } from '../filters.ts';
import { taskOutcomes, type TaskOutcomes } from '../pass-rates.ts';
import type { RunCatalog, ViewedRun } from '../runs.ts';
import { filterContext, renderOptions } from './episodes.ts';
import { link, page, problemsHtml, qs } from './layout.ts';

const f3 = (x: number): string => x.toFixed(3);
const solved = (rate: number): boolean => rate >= 0.5;

function runSelect(cat: RunCatalog, name: string, current: string | undefined): string {
  return `<label>${name.toUpperCase()} <select name="${name}"><option value="">—</option>${cat
    .all()
    .map((r) => `<option value="${escapeHtml(r.id)}"${r.id === current ? ' selected' : ''}>${escapeHtml(r.label)}</option>`)
    .join('')}</select></label>`;
}

const toResults = (o: TaskOutcomes): TaskResult[] =>
  [...o.byTask].map(([taskId, t]) => ({ taskId, rewards: [], successes: t.c, trials: t.n }));

/**
 * Two evaluation-shaped runs (two runs, or two held-out evals of one training run) on the tasks
 * they share: pass^1 with a paired bootstrap interval, per-task success rates, the tasks that
 * flipped (solved = success in at least half the trials), and links to the two trajectories of a
 * task side by side.
 */
export async function comparePage(cat: RunCatalog, query: Record<string, string | undefined>): Promise<string> {
  const form = `<form class="filters" method="get" action="/compare">${runSelect(cat, 'a', query.a)} ${runSelect(cat, 'b', query.b)} <button type="submit">compare</button></form>`;
  const a = query.a ? cat.get(query.a) : undefined;
  const b = query.b ? cat.get(query.b) : undefined;
  if (!a || !b) {
    const missing = [query.a && !a ? `no run '${query.a}'` : '', query.b && !b ? `no run '${query.b}'` : ''].filter(Boolean);
    return page({ title: 'Compare two runs', body: `${problemsHtml('cannot compare', missing)}${form}<p class="muted">Pick two evaluation runs, or two held-out evaluations (steps) of a training run.</p>` });
  }
  const [oa, ob] = [taskOutcomes(await cat.index(a)), taskOutcomes(await cat.index(b))];
  const shared = [...oa.byTask.keys()].filter((t) => ob.byTask.has(t));
  let body = form;
  body += `<p>${escapeHtml(`A = ${a.label} (${oa.byTask.size} tasks, ${oa.episodes} episodes) · B = ${b.label} (${ob.byTask.size} tasks, ${ob.episodes} episodes) · ${shared.length} tasks in both`)}</p>`;
  if (shared.length === 0) return page({ title: 'Compare two runs', body: body + problemsHtml('cannot compare', ['the two runs share no evaluated task (training rollouts are not compared: pick held-out evaluations)']) });
  const rng = new Rng('tarl view compare');
  const d = bootstrapDiff(toResults(oa), toResults(ob), () => rng.float(), 2000);
  body += `<p class="headline">${escapeHtml(`pass^1 over shared tasks: A ${f3(d.a)} → B ${f3(d.b)}, B − A ${d.delta >= 0 ? '+' : ''}${f3(d.delta)}, ${Math.round(d.level * 100)}% CI [${f3(d.ci[0])}, ${f3(d.ci[1])}] (paired bootstrap over tasks)`)}</p>`;
  const ctx = filterContext(cat, a);
  const rows = shared.map((taskId) => {
    const ta = oa.byTask.get(taskId)!;
    const tb = ob.byTask.get(taskId)!;
    const ra = ta.c / ta.n;
    const rb = tb.c / tb.n;
    const trial = [...ta.trials.keys()].find((k) => tb.trials.has(k)) ?? 0;
    return { taskId, ta, tb, ra, rb, delta: rb - ra, trial };
  });
  const side = (taskId: string, trial: number, text: string): string => link(`/compare/episode${qs({ a: a.id, b: b.id, task: taskId, trial })}`, text);
  const lost = rows.filter((x) => solved(x.ra) && !solved(x.rb));
  const won = rows.filter((x) => !solved(x.ra) && solved(x.rb));
  const flipList = (title: string, xs: typeof rows, cls: string): string =>
    `<div class="flips ${cls}"><h3>${escapeHtml(`${title} (${xs.length})`)}</h3>${xs.length ? `<ul>${xs.map((x) => `<li>${side(x.taskId, x.trial, `${x.taskId}: ${x.ta.c}/${x.ta.n} → ${x.tb.c}/${x.tb.n}`)}</li>`).join('')}</ul>` : '<p class="muted">none</p>'}</div>`;
  body += `<h2>Tasks that flipped</h2><p class="muted">solved = success in at least half of a task's trials</p><div class="flipcols">${flipList('solved in A, not in B', lost, 'lost')}${flipList('solved in B, not in A', won, 'won')}</div>`;
  const changed = rows.filter((x) => x.delta !== 0).sort((x, y) => x.delta - y.delta);
  if (changed.length) body += `<div class="plots">${divergingBars('per-task success rate, B − A (shaded: CI of the mean difference)', changed.slice(0, 200).map((x) => ({ label: x.taskId, value: x.delta })), d.ci)}</div>`;
  body += `<h2>Per-task pass rates</h2><table class="list"><thead><tr><th>task</th><th>kind</th><th>A</th><th>B</th><th>B − A</th><th></th></tr></thead><tbody>${[...rows]
    .sort((x, y) => x.delta - y.delta || x.taskId.localeCompare(y.taskId))
    .map(
      (x) =>
        `<tr class="${x.delta < 0 ? 'fail' : x.delta > 0 ? 'pass' : ''}"><td>${escapeHtml(x.taskId)}</td><td>${escapeHtml(kindLabel({ taskId: x.taskId, domain: '' }, ctx))}</td><td>${escapeHtml(`${x.ta.c}/${x.ta.n}`)}</td><td>${escapeHtml(`${x.tb.c}/${x.tb.n}`)}</td><td>${x.delta >= 0 ? '+' : ''}${f3(x.delta)}</td><td>${side(x.taskId, x.trial, 'side by side')}</td></tr>`,
    )
    .join('')}</tbody></table>`;
  return page({ title: 'Compare two runs', body });
}

/** The same task (and trial) in two runs, the two trajectories next to each other. */
export async function compareEpisodePage(cat: RunCatalog, query: Record<string, string | undefined>): Promise<{ status: 200 | 404; html: string }> {
  const a = query.a ? cat.get(query.a) : undefined;
  const b = query.b ? cat.get(query.b) : undefined;
  const task = query.task;
  const trial = Number.parseInt(query.trial ?? '0', 10);
  const crumbs: [string, string][] = [[`/compare${qs({ a: query.a, b: query.b })}`, 'A vs B']];
  if (!a || !b || task === undefined || !Number.isInteger(trial)) {
    return { status: 404, html: page({ title: 'Side by side', crumbs, body: problemsHtml('cannot show', ['need two runs (a, b), a task and a trial']) }) };
  }
  const col = async (r: ViewedRun, side: 'a' | 'b'): Promise<string> => {
    const idx = await cat.index(r);
    const i = idx.find(episodeKey({ taskId: task, trial }));
    const head = `<h2>${escapeHtml(`${side.toUpperCase()}: ${r.label}`)}</h2>`;
    if (i === undefined) return `${head}<p class="muted">${escapeHtml(`no episode of ${task} trial ${trial} in this run`)}</p>`;
    try {
      const e = await idx.read(i);
      const { opts } = renderOptions(cat, r, e.taskId);
      return `${head}<p>${link(`/runs/${r.id}/episodes/${i}`, `episode #${i}`)} · ${escapeHtml(`reward ${e.reward} · ${e.termination} · ${e.steps.length} turns`)}</p>${renderEpisode(e, { ...opts, layout: 'page', idPrefix: `${side}-` })}`;
    } catch (err) {
      return head + problemsHtml('record could not be shown', [err instanceof Error ? err.message : String(err)]);
    }
  };
  const body = `<div class="sidebyside"><div class="col">${await col(a, 'a')}</div><div class="col">${await col(b, 'b')}</div></div>`;
  return { status: 200, html: page({ title: `${task} · trial ${trial}: A and B`, crumbs, body }) };
}
