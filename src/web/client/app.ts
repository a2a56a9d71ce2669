/// <reference lib="dom" />
/**
 * The viewer's one browser script (bundled by esbuild at server start, served as /assets/app.js).
 * It follows a training run's `metrics.jsonl` by byte offset and redraws the learning curves with
 * the same chart code as the static reports. Text from the file reaches the page only through
 * `textContent` or the charts' `escapeHtml`.
 */
import { curveChart } from '../../eval/report/svg.ts';
import { CURVE_GROUPS, PALETTE, groupKeys, metricNames, seriesOf, type MetricsRow } from '../curves.ts';

interface Chunk {
  lines: MetricsRow[];
  problems: { line: number; message: string }[];
  next: number;
  nextLine: number;
  file: string;
  reset: boolean;
  size: number;
  tail: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function draw(root: HTMLElement, lines: readonly MetricsRow[]): void {
  const plots = root.querySelector<HTMLElement>('.plots')!;
  const present = new Set(metricNames(lines));
  let html = '';
  for (const g of CURVE_GROUPS) {
    const keys = groupKeys(g, present);
    if (keys.length === 0) continue;
    const refValue = g.ref ? seriesOf(lines, g.ref.key).at(-1)?.[1] : undefined;
    html += curveChart(
      g.title,
      keys.map((k, i) => ({ name: k, color: PALETTE[i % PALETTE.length]!, points: seriesOf(lines, k) })),
      { xLabel: 'step', ...(g.y && { y: g.y }), ...(g.ref && refValue !== undefined && { refs: [{ label: g.ref.label, value: refValue, color: '#888' }] }) },
    );
  }
  plots.innerHTML = html;
  const select = root.querySelector<HTMLSelectElement>('select.metric');
  if (select) {
    const names = [...present];
    if (select.options.length - 1 !== names.length) {
      const keep = select.value;
      select.replaceChildren(new Option('—', ''), ...names.map((n) => new Option(n, n, false, n === keep)));
    }
    drawAny(root, lines);
  }
}

function drawAny(root: HTMLElement, lines: readonly MetricsRow[]): void {
  const select = root.querySelector<HTMLSelectElement>('select.metric');
  const target = root.querySelector<HTMLElement>('.anyplot');
  if (!select || !target) return;
  const key = select.value;
  target.innerHTML = key ? curveChart(key, [{ name: key, color: PALETTE[1]!, points: seriesOf(lines, key) }], { xLabel: 'step' }) : '';
}

/** Polls `/api/runs/:id/metrics?from=OFFSET` for new lines; starts over when the file was replaced. */
async function follow(root: HTMLElement): Promise<void> {
  const url = root.dataset.metrics!;
  const poll = Number(root.dataset.poll ?? '1000');
  const status = root.querySelector<HTMLElement>('.status')!;
  const problemsEl = root.querySelector<HTMLElement>('.problems-live')!;
  let lines: MetricsRow[] = [];
  let problems: Chunk['problems'] = [];
  let next = 0;
  let nextLine = 1;
  let file = '';
  root.querySelector('select.metric')?.addEventListener('change', () => drawAny(root, lines));
  for (;;) {
    let changed = false;
    try {
      for (let reads = 0; reads < 64; reads++) {
        const res = await fetch(`${url}?from=${next}&line=${nextLine}&file=${encodeURIComponent(file)}`);
        if (!res.ok) throw new Error(`${res.status} ${await res.text()}`);
        const c = (await res.json()) as Chunk;
        file = c.file;
        if (c.reset) {
          [lines, problems, next, nextLine, changed] = [[], [], 0, 1, true];
          continue;
        }
        if (c.lines.length || c.problems.length) changed = true;
        lines = lines.concat(c.lines);
        problems = problems.concat(c.problems);
        next = c.next;
        nextLine = c.nextLine;
        if (c.next >= c.size - c.tail) break;
      }
      const last = lines.at(-1);
      status.textContent = lines.length
        ? `${lines.length} metrics lines, last step ${last!.step} · following the file (every ${poll / 1000} s) · checked ${new Date().toLocaleTimeString()}`
        : `no metrics lines yet · following the file (every ${poll / 1000} s)`;
    } catch (e) {
      status.textContent = `could not read metrics: ${e instanceof Error ? e.message : String(e)}`;
    }
    if (changed) {
      root.dataset.lines = String(lines.length);
      problemsEl.replaceChildren(
        ...problems.slice(0, 50).map((p) => {
          const li = document.createElement('li');
          li.textContent = `metrics.jsonl line ${p.line}: ${p.message}`;
          return li;
        }),
      );
      problemsEl.classList.toggle('problems', problems.length > 0);
      draw(root, lines);
    }
    await sleep(poll);
  }
}

const curves = document.getElementById('curves');
if (curves) void follow(curves);
