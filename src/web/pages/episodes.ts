import { renderEpisode, episodeTitle, type GroundTruth } from '../../eval/report/episode.ts';
import { escapeHtml } from '../../eval/report/escape.ts';
import { dumps } from '../../py/dumps.ts';
import type { EpisodeHead, EpisodeIndex } from '../../run/episode-log.ts';
import type { Task } from '../../dataset/task.ts';
import { compileFilter, facets, FILTER_KEYS, kindLabel, parseFilter, searchPattern, type EpisodeFilter, type Facets, type FilterContext } from '../filters.ts';
import type { RunCatalog, ViewedRun } from '../runs.ts';
import { link, page, problemsHtml, qs } from './layout.ts';
import { indexProblems } from './runs.ts';

export const PAGE_SIZE = 50;
/** A search reads at most this many bytes of records per page, then offers to go on. */
const SEARCH_BUDGET_BYTES = 64 << 20;

/** Small LRU caches of filtered ordinals and facets, keyed by the run, the index state and the filter. */
class Lru<V> {
  private readonly m = new Map<string, V>();
  constructor(private readonly max: number) {}
  get(k: string, make: () => V): V {
    let v = this.m.get(k);
    if (v !== undefined) {
      this.m.delete(k);
      this.m.set(k, v);
      return v;
    }
    v = make();
    this.m.set(k, v);
    if (this.m.size > this.max) this.m.delete(this.m.keys().next().value!);
    return v;
  }
}
const selections = new Lru<Int32Array>(16);
const facetCache = new Lru<Facets>(16);

export function filterContext(cat: RunCatalog, r: ViewedRun): FilterContext {
  const tasks = cat.tasks(r);
  const m = cat.manifest(r);
  const modality = m.ok && typeof m.value.config.modality === 'string' ? m.value.config.modality : 'text';
  return { kindOf: (taskId) => (tasks.ok ? tasks.value.get(taskId)?.kind : undefined), runModality: modality };
}

/** Ordinals of the records whose heads pass the filter (text search aside), cached per index state. */
export function selection(r: ViewedRun, idx: EpisodeIndex, f: EpisodeFilter, ctx: FilterContext): Int32Array {
  const { q: _q, ...heads } = f;
  return selections.get(`${r.dir}|${idx.size}|${idx.count}|${JSON.stringify(heads)}`, () => {
    const out: number[] = [];
    const match = compileFilter(heads, ctx);
    for (let i = 0; i < idx.count; i++) if (match(idx.head(i))) out.push(i);
    return Int32Array.from(out);
  });
}

const select = (name: string, label: string, values: readonly string[], current: string | undefined, labels: Record<string, string> = {}): string =>
  `<label>${escapeHtml(label)} <select name="${name}"><option value="">any</option>${values
    .map((v) => `<option value="${escapeHtml(v)}"${v === current ? ' selected' : ''}>${escapeHtml(labels[v] ?? v)}</option>`)
    .join('')}</select></label>`;

function filterForm(base: string, f: EpisodeFilter, fc: Facets): string {
  return `<form class="filters" method="get" action="${escapeHtml(base)}">
${select('domain', 'domain', fc.domains, f.domain)}${select('split', 'split', fc.splits, f.split)}${select('kind', 'task kind', fc.kinds, f.kind)}
${select('outcome', 'outcome', ['pass', 'fail'], f.outcome)}${select('termination', 'termination', ['user_stop', 'agent_transfer', 'max_steps', 'error'], f.termination)}
${select('neg', '−1 verdict', ['1', '0'], f.neg, { 1: 'has a −1', 0: 'no −1' })}${select('modality', 'modality', fc.modalities, f.modality)}
${fc.steps ? `<label>step <input name="step" size="7" placeholder="${escapeHtml(`${fc.steps[0]}-${fc.steps[1]}`)}" value="${escapeHtml(f.step ?? '')}"></label>` : ''}
<label>search <input name="q" type="search" size="24" value="${escapeHtml(f.q ?? '')}"></label><button type="submit">filter</button> ${link(base, 'clear')}</form>`;
}

function row(base: string, h: EpisodeHead, ctx: FilterContext, keep: string): string {
  const cells = [
    link(`${base}/${h.ordinal}${keep}`, String(h.ordinal)),
    escapeHtml(h.taskId),
    escapeHtml(kindLabel(h, ctx)),
    h.step === null ? '' : String(h.step),
    String(h.trial),
    `<span class="${h.reward >= 1 ? 'pass' : 'fail'}">${h.reward}</span>`,
    h.shaped === null ? '' : h.shaped.toFixed(3),
    escapeHtml(h.termination),
    String(h.turns),
    h.negTurn === null ? (h.judged ? '—' : 'not judged') : `<span class="sneg">turn ${h.negTurn}</span>`,
    h.kept === null ? '' : h.kept ? 'kept' : 'dropped',
  ];
  return `<tr class="ep ${h.reward >= 1 ? 'pass' : 'fail'}">${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
}

const filterQuery = (f: EpisodeFilter): Record<string, string | undefined> => Object.fromEntries(FILTER_KEYS.map((k) => [k, f[k]]));

export async function episodesPage(cat: RunCatalog, r: ViewedRun, query: Record<string, string | undefined>): Promise<string> {
  const idx = await cat.index(r);
  const base = `/runs/${r.id}/episodes`;
  const crumbs: [string, string][] = [[`/runs/${r.id}`, cat.name(r)]];
  const { filter: f, error } = parseFilter(query);
  const ctx = filterContext(cat, r);
  const fc = facetCache.get(`${r.dir}|${idx.size}|${idx.count}`, () => facets(idx, ctx));
  const pr = indexProblems(idx);
  const tasks = cat.tasks(r);
  let body = problemsHtml('problems in this run’s files', pr.items, pr.more);
  if (!tasks.ok) body += `<p class="muted">${escapeHtml(`task kinds and ground truth unavailable: ${tasks.error}`)}</p>`;
  if (error) body += problemsHtml('filter not understood', [error]);
  body += filterForm(base, f, fc);
  const sel = selection(r, idx, f, ctx);
  const keep = qs(filterQuery(f));
  let heads: EpisodeHead[];
  let nav: string;
  if (f.q === undefined) {
    const pages = Math.max(1, Math.ceil(sel.length / PAGE_SIZE));
    const pg = Math.min(pages, Math.max(1, Number.parseInt(query.page ?? '1', 10) || 1));
    heads = [...sel.subarray((pg - 1) * PAGE_SIZE, pg * PAGE_SIZE)].map((i) => idx.head(i));
    const at = (p: number, text: string): string => link(`${base}${qs({ ...filterQuery(f), page: p })}`, text);
    nav = `<p class="pager">${escapeHtml(`${sel.length} of ${idx.count} episodes · page ${pg} of ${pages}`)} ${pg > 1 ? at(1, '« first') + ' ' + at(pg - 1, '‹ prev') : ''} ${pg < pages ? at(pg + 1, 'next ›') + ' ' + at(pages, 'last »') : ''}</p>`;
  } else {
    // A search reads records from disk, in file order, from a cursor; it stops when the page is
    // full or after a byte budget, and offers to go on from there.
    const pattern = searchPattern(f.q);
    const cursor = Number.parseInt(query.after ?? '-1', 10);
    const after = Number.isInteger(cursor) && cursor >= -1 ? cursor : -1;
    let start = 0;
    while (start < sel.length && sel[start]! <= after) start++;
    const hits: number[] = [];
    let bytes = 0;
    let lastRead = after;
    await idx.eachText(sel.subarray(start), (i, text) => {
      lastRead = i;
      bytes += text.length;
      if (pattern.test(text)) hits.push(i);
      return hits.length < PAGE_SIZE && bytes < SEARCH_BUDGET_BYTES;
    });
    heads = hits.map((i) => idx.head(i));
    const done = sel.length === 0 || lastRead >= sel[sel.length - 1]!;
    nav = `<p class="pager">${escapeHtml(`${hits.length} matches for “${f.q}” among records ${after + 2}–${lastRead + 1} of ${idx.count}${done ? ' (end)' : ''}`)} ${after >= 0 ? link(`${base}${keep}`, '« from the start') : ''} ${done ? '' : link(`${base}${qs({ ...filterQuery(f), after: lastRead })}`, 'more ›')}</p>`;
  }
  const header = ['#', 'task', 'kind', 'step', 'trial', 'reward', 'shaped', 'termination', 'turns', '−1 verdict', 'group'];
  body += nav;
  body += heads.length
    ? `<table class="list episodes"><thead><tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${heads.map((h) => row(base, h, ctx, keep)).join('')}</tbody></table>`
    : '<p class="muted">no episodes match</p>';
  if (heads.length > 20) body += nav;
  return page({ title: `Episodes — ${cat.name(r)}`, crumbs, body });
}

function groundTruth(t: Task | undefined): GroundTruth | undefined {
  if (!t) return undefined;
  return {
    ...(t.kind !== undefined && { kind: t.kind }),
    instruction: t.instruction,
    actions: t.actions.map((a) => ({ name: a.name, arguments: dumps(a.kwargs) })),
    outputs: t.outputs,
  };
}

/** The options the shared renderer gets for an episode of this run (ground truth, tokenizer, masking). */
export function renderOptions(cat: RunCatalog, r: ViewedRun, taskId: string): { opts: Omit<Parameters<typeof renderEpisode>[1], 'layout'>; notes: string[] } {
  const notes: string[] = [];
  const tasks = cat.tasks(r);
  if (!tasks.ok) notes.push(`ground truth unavailable: ${tasks.error}`);
  const tok = cat.tokenizer(r);
  if (tok && !tok.ok) notes.push(`tokenizer unreadable, token ids shown: ${tok.error}`);
  const root = cat.roots()[r.root]!;
  const rm = cat.manifest(root);
  const rollout = rm.ok ? rm.value.config.rollout : undefined;
  const maskUnparsed = typeof rollout === 'object' && rollout !== null && 'maskUnparsed' in rollout && rollout.maskUnparsed === true;
  const gt = tasks.ok ? groundTruth(tasks.value.get(taskId)) : undefined;
  return {
    opts: {
      ...(gt && { groundTruth: gt }),
      audioUrl: (sha256: string) => `/runs/${r.id}/files/audio/${sha256}.wav`,
      tokens: { ...(tok?.ok && { decode: (ids: readonly number[]) => tok.value.pieces(ids) }), maskUnparsed },
    },
    notes,
  };
}

export async function episodePage(cat: RunCatalog, r: ViewedRun, n: number, query: Record<string, string | undefined>): Promise<{ status: 200 | 404; html: string }> {
  const idx = await cat.index(r);
  const crumbs: [string, string][] = [[`/runs/${r.id}`, cat.name(r)]];
  const { filter: f } = parseFilter(query);
  const keep = qs(filterQuery(f));
  crumbs.push([`/runs/${r.id}/episodes${keep}`, 'episodes']);
  if (!(Number.isInteger(n) && n >= 0 && n < idx.count)) {
    return { status: 404, html: page({ title: 'No such episode', crumbs, body: `<p>${escapeHtml(`${r.label} has ${idx.count} episodes; there is no #${n}.`)}</p>` }) };
  }
  const h = idx.head(n);
  const sel = selection(r, idx, { ...f, q: undefined }, filterContext(cat, r));
  let pos = -1;
  for (let lo = 0, hi = sel.length - 1; lo <= hi; ) {
    const mid = (lo + hi) >> 1;
    if (sel[mid] === n) {
      pos = mid;
      break;
    }
    if (sel[mid]! < n) lo = mid + 1;
    else hi = mid - 1;
  }
  const base = `/runs/${r.id}/episodes`;
  const prev = pos > 0 ? link(`${base}/${sel[pos - 1]}${keep}`, '‹ previous') : '';
  const next = pos >= 0 && pos < sel.length - 1 ? link(`${base}/${sel[pos + 1]}${keep}`, 'next ›') : '';
  const nav = `<p class="pager">${prev} ${pos >= 0 ? escapeHtml(`${pos + 1} of ${sel.length}${keep ? ' (filtered)' : ''}`) : ''} ${next} · ${link(`${base}/${n}/raw`, 'raw record')}</p>`;
  let body = nav;
  try {
    const e = await idx.read(n);
    const { opts, notes } = renderOptions(cat, r, e.taskId);
    body += notes.map((x) => `<p class="muted">${escapeHtml(x)}</p>`).join('');
    body += renderEpisode(e, { ...opts, layout: 'page' });
    return { status: 200, html: page({ title: episodeTitle(e), crumbs, body }) };
  } catch (err) {
    const raw = await idx.text(n).catch(() => '');
    body += problemsHtml(`record #${n} (line ${h.line}) could not be shown`, [err instanceof Error ? err.message : String(err)]);
    body += `<details open><summary>the record as stored (first 20,000 characters)</summary><pre>${escapeHtml(raw.slice(0, 20_000))}</pre></details>`;
    return { status: 200, html: page({ title: `${h.taskId} · trial ${h.trial}`, crumbs, body }) };
  }
}
