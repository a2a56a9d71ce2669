import type { Diff } from '../compare.ts';
import type { TaskResult } from '../summary.ts';
import { escapeHtml } from './escape.ts';
import { divergingBars } from './svg.ts';

/** Drawn width of the per-task chart: the page's width at 1400 px, scaled down (never scrolled) on narrower windows. */
const CHART_W = 1300;

/**
 * A self-contained page for `tarl eval compare`: the estimate, its interval, and per-task
 * differences sorted by difference (largest gain first, then ties, then losses), so the tasks
 * that moved are at the ends rather than scattered by id.
 */
export function renderCompare(nameA: string, nameB: string, d: Diff, a: readonly TaskResult[], b: readonly TaskResult[]): string {
  const bMap = new Map(b.map((t) => [t.taskId, t]));
  const bars = a
    .filter((t) => t.trials > 0 && (bMap.get(t.taskId)?.trials ?? 0) > 0)
    .map((t) => {
      const o = bMap.get(t.taskId)!;
      return { label: t.taskId, value: o.successes / o.trials - t.successes / t.trials };
    })
    .sort((x, y) => y.value - x.value || x.label.localeCompare(y.label, 'en', { numeric: true }));
  const gained = bars.filter((x) => x.value > 0).length;
  const lost = bars.filter((x) => x.value < 0).length;
  const f = (x: number): string => x.toFixed(3);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>tarl eval compare</title><style>body{font:14px/1.4 system-ui,sans-serif;margin:24px}h1{font-size:20px;overflow-wrap:anywhere}figure{margin:0}figcaption{font-weight:600}figure svg{width:100%;height:auto;max-width:${CHART_W}px}</style></head><body>
<h1>${escapeHtml(`${nameA} → ${nameB}`)}</h1>
<p>${escapeHtml(`${d.metric}: A ${f(d.a)}, B ${f(d.b)}, B − A ${d.delta >= 0 ? '+' : ''}${f(d.delta)}, ${Math.round(d.level * 100)}% CI [${f(d.ci[0])}, ${f(d.ci[1])}] (paired bootstrap over ${bars.length} tasks)`)}</p>
<p>${escapeHtml(`${gained} tasks better in B, ${lost} worse, ${bars.length - gained - lost} unchanged; sorted by difference.`)}</p>
${divergingBars('per-task success rate, B − A (shaded: CI of the mean difference)', bars, d.ci, CHART_W)}
</body></html>
`;
}
